import assert from 'node:assert/strict';

import { BulwarkError } from '../../src/errors.js';

/**
 * Asserts that a promise rejects with a BulwarkError of the given code whose message matches the
 * pattern. Tests check the code first, so a reworded message fails only the pattern check.
 */
export async function expectCode(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof BulwarkError, `expected a BulwarkError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}
