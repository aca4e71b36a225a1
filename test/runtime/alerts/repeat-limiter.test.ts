import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RepeatLimiter } from '../../../src/runtime/alerts/repeat-limiter.js';

const SECOND = 1e9;

describe('RepeatLimiter', () => {
  it('passes a burst, then the rate', () => {
    const limiter = new RepeatLimiter({ perSecond: 1, burst: 2 });
    const start = 1_700_000_000 * SECOND;
    assert.equal(limiter.allow('R', 'out', start), true);
    assert.equal(limiter.allow('R', 'out', start), true);
    assert.equal(limiter.allow('R', 'out', start + 0.5 * SECOND), false);
    assert.equal(limiter.allow('R', 'out', start + 1.1 * SECOND), true);
    assert.equal(limiter.suppressed, 1);
  });

  it('limits each distinct alert apart', () => {
    const limiter = new RepeatLimiter({ perSecond: 1, burst: 1 });
    assert.equal(limiter.allow('R', 'a', 0), true);
    assert.equal(limiter.allow('R', 'b', 0), true);
    assert.equal(limiter.allow('S', 'a', 0), true);
    assert.equal(limiter.allow('R', 'a', 0), false);
  });

  it('ignores events that go back in time', () => {
    const limiter = new RepeatLimiter({ perSecond: 1, burst: 1 });
    assert.equal(limiter.allow('R', 'a', 10 * SECOND), true);
    assert.equal(limiter.allow('R', 'a', 5 * SECOND), false);
  });
});
