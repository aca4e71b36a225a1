import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { ExitRecord } from '../../../src/runtime/live/bpftrace-output.js';
import { ContainerMetadataCache } from '../../../src/runtime/live/container-metadata.js';
import { LiveEventBuilder } from '../../../src/runtime/live/live-event-builder.js';
import { ProcessTable } from '../../../src/runtime/live/process-table.js';
import { findSyscall } from '../../../src/runtime/live/syscall-table.js';
import { UserNames } from '../../../src/runtime/live/user-names.js';

const ID = 'f94121b4944c364b4e82a30ba81a9b9b3d69818f2e6417f244a1a686a48d9b4d';

/** Creates a fake /proc with a container shell (pid 10, whose root has its own passwd) under bulwark (pid 5). */
function fakeProc(): string {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-proc-'));
  const addProcess = (pid: number, name: string, ppid: number, cgroup: string): void => {
    const folder = join(root, String(pid));
    mkdirSync(join(folder, 'root', 'etc'), { recursive: true });
    writeFileSync(join(folder, 'stat'), `${pid} (${name}) S ${ppid} ${pid} ${pid} 0 -1 0`);
    writeFileSync(join(folder, 'cmdline'), `${name}\0-c\0true\0`);
    writeFileSync(join(folder, 'status'), 'Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n');
    writeFileSync(join(folder, 'cgroup'), `0::${cgroup}\n`);
    writeFileSync(join(folder, 'root', 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n');
    writeFileSync(join(folder, 'root', 'etc', 'group'), 'root:x:0:\nwww-data:x:33:\n');
  };
  addProcess(10, 'sh', 1, `/libpod_parent/libpod-${ID}`);
  addProcess(5, 'node', 1, '/user.slice');
  addProcess(6, 'podman', 5, '/user.slice');
  return root;
}

function exitRecord(overrides: Partial<ExitRecord> & Pick<ExitRecord, 'syscall' | 'syscallId'>): ExitRecord {
  return { kind: 'exit', tid: 11, pid: 11, ppid: 10, uid: 33, gid: 33, loginuid: 4294967295, cgroupId: '77', monotonicNs: 1_000n, result: 0, numbers: {}, comm: 'cat', ...overrides };
}

function builder(procRoot: string): LiveEventBuilder {
  const inspect = async (program: string) => (program === 'podman' ? JSON.stringify([{ Name: 'web', ImageName: 'docker.io/library/nginx:1.27' }]) : undefined);
  return new LiveEventBuilder({
    processes: new ProcessTable({ procRoot }),
    users: new UserNames(procRoot),
    containers: new ContainerMetadataCache(inspect),
    excludedPid: 5,
    clockOffsetNs: 1_700_000_000_000_000_000n,
    procRoot,
  });
}

test('exec then open in a container', async () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    const execve = findSyscall('execve')!;
    const openat = findSyscall('openat')!;
    events.addString({ kind: 'string', tid: 11, syscallId: 1, key: 'filename', value: '/usr/bin/cat' });
    events.addString({ kind: 'string', tid: 11, syscallId: 1, key: 'args0', value: 'cat\\x00/etc/shadow\\x00' });
    events.addString({ kind: 'string', tid: 11, syscallId: 1, key: 'cgroup', value: `libpod-${ID}` });
    events.addString({ kind: 'string', tid: 11, syscallId: 1, key: 'exe', value: 'cat' });
    const exec = events.build(exitRecord({ syscall: execve, syscallId: 1, exec: { ttyMajor: 136, ttyMinor: 0, argsLength: 16 } }));
    assert.equal(exec.kind, 'event');
    if (exec.kind !== 'event') return;
    assert.equal(exec.partial, false);
    const execFields = exec.event.fields;
    assert.equal(execFields['evt.type'], 'execve');
    assert.equal(execFields['proc.name'], 'cat');
    assert.equal(execFields['proc.cmdline'], 'cat /etc/shadow');
    assert.equal(execFields['proc.args'], '/etc/shadow');
    assert.equal(execFields['proc.exepath'], '/usr/bin/cat');
    assert.equal(execFields['proc.pname'], 'sh');
    assert.equal(execFields['proc.pcmdline'], 'sh -c true');
    assert.equal(execFields['proc.tty'], 34816);
    assert.equal(execFields['proc.is_exe_from_memfd'], false);
    assert.equal(execFields['container.id'], 'f94121b4944c');
    assert.equal(execFields['container.full_id'], ID);
    assert.equal(execFields['user.name'], 'www-data');
    assert.equal(execFields['group.name'], 'www-data');
    assert.equal(execFields['user.loginuid'], -1);
    assert.equal(execFields['evt.rawtime'], '1700000000000001000');

    // The inspect lookup runs in the background; later events of the container get the name and image.
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.addString({ kind: 'string', tid: 11, syscallId: 2, key: 'name', value: 'shadow' });
    const open = events.build(exitRecord({ syscall: openat, syscallId: 2, result: 3, numbers: { dirfd: 4294967196, flags: 0o1101, mode: 0 } }));
    assert.equal(open.kind, 'event');
    if (open.kind !== 'event') return;
    const openFields = open.event.fields;
    assert.equal(openFields['fd.nameraw'], 'shadow');
    // cwd is unknown in the fake /proc, so a relative path stays as given.
    assert.equal(openFields['fd.name'], 'shadow');
    assert.equal(openFields['evt.arg.flags'], 'O_WRONLY|O_CREAT|O_TRUNC');
    assert.equal(openFields['evt.is_open_write'], true);
    assert.equal(openFields['evt.is_open_read'], false);
    assert.equal(openFields['evt.arg.dirfd'], -100);
    assert.equal(openFields['fd.num'], 3);
    assert.equal(openFields['proc.cmdline'], 'cat /etc/shadow');
    assert.equal(openFields['container.name'], 'web');
    assert.equal(openFields['container.image.repository'], 'docker.io/library/nginx');
    assert.equal(openFields['container.image.tag'], '1.27');
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('gone process is partially enriched', () => {
  const procRoot = fakeProc();
  try {
    const result = builder(procRoot).build(exitRecord({ syscall: findSyscall('ptrace')!, syscallId: 3, pid: 99, tid: 99, ppid: 10, comm: 'perl', result: -1, numbers: { request: 16, pid: 10 } }));
    assert.equal(result.kind, 'event');
    if (result.kind !== 'event') return;
    assert.equal(result.partial, true);
    assert.equal(result.event.fields['proc.name'], 'perl');
    assert.equal(result.event.fields['proc.cmdline'], undefined);
    assert.equal(result.event.fields['evt.arg.request'], 'PTRACE_ATTACH');
    assert.equal(result.event.fields['evt.res'], 'EPERM');
    // The parent's container applies to a child that exited before /proc was read.
    assert.equal(result.event.fields['container.id'], 'f94121b4944c');
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('bulwark descendants are excluded', () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    const symlinkat = findSyscall('symlinkat')!;
    assert.deepEqual(events.build(exitRecord({ syscall: symlinkat, syscallId: 4, pid: 7, tid: 7, ppid: 6, comm: 'conmon' })), { kind: 'excluded' });
    assert.deepEqual(events.build(exitRecord({ syscall: symlinkat, syscallId: 4, pid: 5, tid: 5, ppid: 1, comm: 'node' })), { kind: 'excluded' });
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('forked child inherits details', () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    // The container shell (pid 10) forks pid 12, which opens a file before any exec and is gone from /proc.
    events.processForked({ kind: 'fork', pid: 10, childPid: 12, childPpid: 10 });
    events.addString({ kind: 'string', tid: 12, syscallId: 2, key: 'name', value: '/etc/shadow' });
    const open = events.build(exitRecord({ syscall: findSyscall('openat')!, syscallId: 2, pid: 12, tid: 12, ppid: 10, comm: 'sh', result: 3, numbers: { dirfd: 4294967196, flags: 0, mode: 0 } }));
    assert.equal(open.kind, 'event');
    if (open.kind !== 'event') return;
    assert.equal(open.partial, false);
    assert.equal(open.event.fields['proc.cmdline'], 'sh -c true');
    assert.equal(open.event.fields['proc.pname'], 'sh');
    assert.deepEqual(open.event.fields['proc.apid'], [10]);
    assert.equal(open.event.fields['container.id'], 'f94121b4944c');
    assert.equal(open.event.fields['user.name'], 'www-data');
    assert.equal(open.event.fields['fd.name'], '/etc/shadow');
    assert.equal(open.event.fields['evt.is_open_read'], true);
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('exec takes the working directory from /proc', () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    // pid 10 forks 13, which changes directory to /dev/shm and runs ./x there.
    events.processForked({ kind: 'fork', pid: 10, childPid: 13, childPpid: 10 });
    mkdirSync(join(procRoot, '13'));
    symlinkSync('/dev/shm', join(procRoot, '13', 'cwd'));
    events.addString({ kind: 'string', tid: 13, syscallId: 1, key: 'filename', value: './x' });
    events.addString({ kind: 'string', tid: 13, syscallId: 1, key: 'args0', value: './x\\x00' });
    const exec = events.build(exitRecord({ syscall: findSyscall('execve')!, syscallId: 1, pid: 13, tid: 13, ppid: 10, comm: 'x', exec: { ttyMajor: 0, ttyMinor: 0, argsLength: 4 } }));
    assert.equal(exec.kind, 'event');
    if (exec.kind !== 'event') return;
    assert.equal(exec.event.fields['proc.cwd'], '/dev/shm/');
    assert.equal(exec.event.fields['proc.exepath'], '/dev/shm/x');
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('chdir moves the working directory', () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    // pid 10 forks 15, which runs `cd /var/log && exec grep …` and is gone from /proc before its exec is read.
    symlinkSync('/', join(procRoot, '10', 'cwd'));
    events.processForked({ kind: 'fork', pid: 10, childPid: 15, childPpid: 10 });
    events.addString({ kind: 'string', tid: 15, syscallId: 1, key: 'path', value: 'var/log' });
    const chdir = events.build(exitRecord({ syscall: findSyscall('chdir')!, syscallId: 1, pid: 15, tid: 15, ppid: 10, comm: 'sh' }));
    assert.equal(chdir.kind, 'event');
    events.addString({ kind: 'string', tid: 15, syscallId: 2, key: 'filename', value: '/usr/bin/grep' });
    events.addString({ kind: 'string', tid: 15, syscallId: 2, key: 'args0', value: 'grep\\x00' });
    const exec = events.build(exitRecord({ syscall: findSyscall('execve')!, syscallId: 2, pid: 15, tid: 15, ppid: 10, comm: 'grep', exec: { ttyMajor: 0, ttyMinor: 0, argsLength: 5 } }));
    assert.equal(exec.kind, 'event');
    if (exec.kind !== 'event') return;
    assert.equal(exec.event.fields['proc.cwd'], '/var/log/');
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('reparented process names its new parent', () => {
  const procRoot = fakeProc();
  try {
    const events = builder(procRoot);
    // pid 6 (podman) forks 14; when 6 exits, 14 is reparented to the container shell, pid 10.
    events.processForked({ kind: 'fork', pid: 6, childPid: 14, childPpid: 6 });
    events.processExited(6);
    events.addString({ kind: 'string', tid: 14, syscallId: 2, key: 'name', value: '/etc/shadow' });
    const open = events.build(exitRecord({ syscall: findSyscall('openat')!, syscallId: 2, pid: 14, tid: 14, ppid: 10, comm: 'podman', result: 3, numbers: { dirfd: 4294967196, flags: 0, mode: 0 } }));
    assert.equal(open.kind, 'event');
    if (open.kind !== 'event') return;
    assert.equal(open.event.fields['proc.ppid'], 10);
    assert.equal(open.event.fields['proc.pname'], 'sh');
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});

test('dup names the descriptor', () => {
  const procRoot = fakeProc();
  try {
    mkdirSync(join(procRoot, '10', 'fd'));
    symlinkSync('/dev/null', join(procRoot, '10', 'fd', '1'));
    const events = builder(procRoot);
    const dup2 = findSyscall('dup2')!;
    const record = exitRecord({ syscall: dup2, syscallId: 5, pid: 10, tid: 10, ppid: 1, comm: 'sh', result: 1, numbers: { oldfd: 3, newfd: 1 } });
    const first = events.build(record);
    assert.equal(first.kind, 'event');
    if (first.kind !== 'event') return;
    assert.equal(first.event.fields['fd.num'], 1);
    assert.equal(first.event.fields['fd.name'], '/dev/null');
    assert.ok(Object.keys(first.event.fields).includes('fd.name'));

    // The link is read on first access, so a descriptor closed before then has no name.
    const second = events.build(record);
    unlinkSync(join(procRoot, '10', 'fd', '1'));
    assert.equal(second.kind, 'event');
    if (second.kind !== 'event') return;
    assert.equal(second.event.fields['fd.name'], undefined);
  } finally {
    rmSync(procRoot, { recursive: true, force: true });
  }
});
