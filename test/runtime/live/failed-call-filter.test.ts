import assert from 'node:assert/strict';
import { test } from 'node:test';

import { successOnlyCalls } from '../../../src/runtime/live/failed-call-filter.js';
import { findSyscall } from '../../../src/runtime/live/syscall-table.js';
import { loadRules } from '../../../src/runtime/rules/load-rules.js';

const SYSCALLS = ['execve', 'openat', 'dup2', 'accept', 'connect'].map((name) => findSyscall(name)!);

function rules(...conditions: string[]) {
  const text = conditions.map((condition, index) => `- rule: R${index}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: WARNING\n`).join('');
  const ruleset = loadRules([{ file: 'rules.yaml', text }]);
  assert.deepEqual(ruleset.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  return ruleset.rules;
}

test('open rules that need an fd', () => {
  const names = successOnlyCalls(rules('evt.type = openat and fd.num >= 0 and fd.name = /etc/shadow'), SYSCALLS);
  assert.equal(names.has('openat'), true);
  // No rule can match these calls, so their failures are irrelevant too.
  assert.equal(names.has('execve'), true);
  assert.equal(names.has('dup2'), true);
});

test('failed open rule keeps failures', () => {
  const names = successOnlyCalls(rules('evt.type = openat and fd.num >= 0', 'evt.type = openat and fd.num = -1'), SYSCALLS);
  assert.equal(names.has('openat'), false);
});

test('any-type rule keeps failures', () => {
  const names = successOnlyCalls(rules('proc.name = nc'), SYSCALLS);
  assert.deepEqual([...names], []);
});

test('fd bound only counts where fd is the result', () => {
  // accept's fd.num is its listening socket argument, so a bound on it does not constrain the result.
  const names = successOnlyCalls(rules('evt.type in (accept, dup2) and fd.num >= 0'), SYSCALLS);
  assert.equal(names.has('dup2'), true);
  assert.equal(names.has('accept'), false);
});

test('rawres bound applies to any call', () => {
  const names = successOnlyCalls(rules('evt.type in (accept, connect) and evt.rawres >= 0'), SYSCALLS);
  assert.equal(names.has('accept'), true);
  assert.equal(names.has('connect'), true);
});

test('disabled rules are ignored', () => {
  const text = '- rule: Off\n  desc: d\n  condition: evt.type = openat and fd.num = -1\n  output: o\n  priority: WARNING\n  enabled: false\n';
  const ruleset = loadRules([{ file: 'rules.yaml', text }]);
  assert.equal(successOnlyCalls(ruleset.rules, SYSCALLS).has('openat'), true);
});
