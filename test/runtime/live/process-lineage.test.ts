import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LineageCache } from '../../../src/runtime/live/process-lineage.js';
import type { ProcessInfo } from '../../../src/runtime/live/process-table.js';

const init: ProcessInfo = { pid: 1, name: 'systemd', argv: ['/sbin/init'], exepath: '/usr/lib/systemd/systemd', partial: false };
const shell: ProcessInfo = { pid: 20, ppid: 1, name: 'bash', argv: ['bash', '-c', 'cat x'], partial: false };
const cat: ProcessInfo = { pid: 21, ppid: 20, name: 'cat', argv: ['cat', 'x'], partial: false };

test('command line of a process', () => {
  const cache = new LineageCache();
  assert.deepEqual(cache.commandLine(shell), { args: '-c cat x', cmdline: 'bash -c cat x' });
  assert.deepEqual(cache.commandLine({ pid: 5, name: 'kworker', argv: [], partial: false }), { args: '', cmdline: 'kworker' });
  assert.equal(cache.commandLine(shell), cache.commandLine(shell));
});

test('lineage fields parent first', () => {
  const lineage = new LineageCache().lineage(cat, [shell, init]);
  assert.deepEqual(lineage.names, ['bash', 'systemd']);
  assert.deepEqual(lineage.pids, [20, 1]);
  assert.deepEqual(lineage.exepaths, ['', '/usr/lib/systemd/systemd']);
  assert.deepEqual(lineage.cmdlines, ['bash -c cat x', 'systemd']);
});

test('lineage reused until chain changes', () => {
  const cache = new LineageCache();
  const first = cache.lineage(cat, [shell, init]);
  assert.equal(cache.lineage(cat, [shell, init]), first);
  // The parent exec'd: the table contains a new object for pid 20, so the lineage is rebuilt.
  const perl: ProcessInfo = { pid: 20, ppid: 1, name: 'perl', argv: ['perl', '-e', '1'], partial: false };
  const second = cache.lineage(cat, [perl, init]);
  assert.notEqual(second, first);
  assert.deepEqual(second.names, ['perl', 'systemd']);
  assert.deepEqual(cache.lineage(cat, [perl]).names, ['perl']);
});
