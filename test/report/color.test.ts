import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorSeverity, shouldUseColor } from '../../src/report/color.js';

test('shouldUseColor needs a TTY', () => {
  assert.equal(shouldUseColor({ isTTY: true, env: {} }), true);
  assert.equal(shouldUseColor({ isTTY: false, env: {} }), false);
  assert.equal(shouldUseColor({ env: {} }), false);
});

test('shouldUseColor honours NO_COLOR', () => {
  assert.equal(shouldUseColor({ isTTY: true, env: { NO_COLOR: '1' } }), false);
  assert.equal(shouldUseColor({ isTTY: true, env: { NO_COLOR: '' } }), true);
});

test('colorSeverity wraps in SGR', () => {
  assert.equal(colorSeverity('CRITICAL', 'CRITICAL'), '\u001b[1;31mCRITICAL\u001b[0m');
  assert.equal(colorSeverity('LOW', 'LOW '), '\u001b[34mLOW \u001b[0m');
});
