import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runShellCheck } from '../../../src/misconfig/dockerfile/shellcheck.js';

const SCRIPT = [
  { text: 'echo $1 \\', line: 10 },
  { text: '  && echo "$2"', line: 12 },
];

test('shellcheck maps lines back', async () => {
  const outcome = await runShellCheck({ script: SCRIPT, shell: 'sh', variables: [] });
  assert.equal(outcome.status, 'ok');
  assert.ok(outcome.status === 'ok');
  assert.deepEqual(outcome.findings.map((finding) => [finding.code, finding.line, finding.column]), [['SC2086', 10, 6]]);
});

test('shellcheck declares ARG and ENV', async () => {
  const script = [{ text: 'echo "$app_home"', line: 3 }];
  const undeclared = await runShellCheck({ script, shell: 'sh', variables: [] });
  const declared = await runShellCheck({ script, shell: 'sh', variables: ['app_home'] });
  assert.ok(undeclared.status === 'ok');
  assert.ok(declared.status === 'ok');
  assert.deepEqual(undeclared.findings.map((finding) => finding.code), ['SC2154']);
  assert.deepEqual(declared.findings, []);
});

test('shellcheck over time limit is killed', async () => {
  // A 1 ms limit is far below ShellCheck's start-up time (tens of milliseconds), so the timer fires first.
  const outcome = await runShellCheck({ script: SCRIPT, shell: 'sh', variables: [] }, { timeoutMs: 1 });
  assert.equal(outcome.status, 'timeout');
});

test('shellcheck missing executable', async () => {
  const outcome = await runShellCheck({ script: SCRIPT, shell: 'sh', variables: [] }, { executable: '/nonexistent/shellcheck' });
  assert.equal(outcome.status, 'missing');
});
