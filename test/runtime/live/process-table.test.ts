import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { ProcessTable, type ProcessInfo } from '../../../src/runtime/live/process-table.js';

const SHELL: ProcessInfo = { pid: 20, ppid: 1, name: 'bash', argv: ['bash', '-l'], cwd: '/root', uid: 0, gid: 0, containerId: null, partial: false };

/** Runs `body` with a fake /proc that starts empty, so a read finds no process unless the test adds one. */
function withFakeProc(body: (procRoot: string) => void): void {
  const procRoot = mkdtempSync(join(tmpdir(), 'bulwark-proc-'));
  try {
    body(procRoot);
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
}

test('fork copies the caller', () => {
  withFakeProc((procRoot) => {
    const table = new ProcessTable({ procRoot });
    table.set(SHELL);
    table.recordFork(20, 21, 20);
    assert.deepEqual(table.get(21), { ...SHELL, pid: 21, ppid: 20 });
    assert.deepEqual(table.ancestors(table.get(21)!, 8).map((ancestor) => ancestor.pid), [20]);
  });
});

test('fork with CLONE_PARENT', () => {
  withFakeProc((procRoot) => {
    const table = new ProcessTable({ procRoot });
    table.set(SHELL);
    table.recordFork(20, 22, 1);
    assert.equal(table.get(22)?.ppid, 1);
  });
});

test('late fork keeps the exec', () => {
  withFakeProc((procRoot) => {
    const table = new ProcessTable({ procRoot });
    table.set(SHELL);
    const cat: ProcessInfo = { pid: 21, ppid: 20, name: 'cat', argv: ['cat', '/etc/hostname'], partial: false };
    table.set(cat);
    table.recordFork(20, 21, 20);
    assert.equal(table.get(21), cat);
  });
});

test('fork of unknown caller reads /proc', () => {
  withFakeProc((procRoot) => {
    const folder = join(procRoot, '30');
    mkdirSync(folder);
    writeFileSync(join(folder, 'stat'), '30 (sshd) S 1 30 30 0 -1 0');
    writeFileSync(join(folder, 'cmdline'), '/usr/sbin/sshd\0-D\0');
    const table = new ProcessTable({ procRoot });
    table.recordFork(30, 31, 30);
    assert.equal(table.get(31)?.name, 'sshd');
    assert.deepEqual(table.get(31)?.argv, ['/usr/sbin/sshd', '-D']);
    assert.equal(table.get(31)?.ppid, 30);
    // A caller that is gone leaves the child unknown.
    table.recordFork(40, 41, 40);
    assert.equal(table.get(41), undefined);
  });
});
