import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeBuffer, parseBpftraceLine, parseLostEventsMessage } from '../../../src/runtime/live/bpftrace-output.js';
import type { ScriptPlan } from '../../../src/runtime/live/bpftrace-script.js';
import { findSyscall } from '../../../src/runtime/live/syscall-table.js';

const plan: ScriptPlan = { syscalls: [findSyscall('execve'), findSyscall('openat')].map((spec) => spec!), untraceable: [] };
const printf = (data: string): string => JSON.stringify({ type: 'printf', data: `${data}\n` });
const US = '\x1f';

test('exit line of openat', () => {
  const line = printf(['X', '2', '101', '100', '1', '0', '0', '4294967295', '8012', '123456789', '3', '4294967196', '577', '420', 'cat'].join(US));
  const record = parseBpftraceLine(line, plan);
  assert.equal(record.kind, 'exit');
  if (record.kind !== 'exit') return;
  assert.equal(record.syscall.name, 'openat');
  assert.equal(record.tid, 101);
  assert.equal(record.pid, 100);
  assert.equal(record.ppid, 1);
  assert.equal(record.loginuid, 4294967295);
  assert.equal(record.cgroupId, '8012');
  assert.equal(record.monotonicNs, 123456789n);
  assert.equal(record.result, 3);
  assert.deepEqual(record.numbers, { dirfd: 4294967196, flags: 577, mode: 420 });
  assert.equal(record.exec, undefined);
  assert.equal(record.comm, 'cat');
});

test('exit line of execve', () => {
  const line = printf(['X', '1', '7', '7', '6', '1000', '1000', '1000', '1', '55', '0', '136', '2', '19', 'bash'].join(US));
  const record = parseBpftraceLine(line, plan);
  assert.equal(record.kind, 'exit');
  if (record.kind !== 'exit') return;
  assert.deepEqual(record.exec, { ttyMajor: 136, ttyMinor: 2, argsLength: 19 });
  assert.deepEqual(record.numbers, {});
  assert.equal(record.comm, 'bash');
});

test('string, process exit and probe lines', () => {
  assert.deepEqual(parseBpftraceLine(printf(['S', '9', '2', 'name', `/tmp/a${US}b`].join(US)), plan), { kind: 'string', tid: 9, syscallId: 2, key: 'name', value: `/tmp/a${US}b` });
  assert.deepEqual(parseBpftraceLine(printf(['P', '42'].join(US)), plan), { kind: 'process-exit', pid: 42 });
  assert.deepEqual(parseBpftraceLine('{"type": "attached_probes", "data": {"probes": 12}}', plan), { kind: 'attached', probes: 12 });
  assert.deepEqual(parseBpftraceLine('{"type": "lost_events", "data": {"events": 5}}', plan), { kind: 'lost', count: 5 });
  assert.deepEqual(parseBpftraceLine('{"type": "time", "data": "12:00:00"}', plan), { kind: 'ignored' });
});

test('fork line', () => {
  assert.deepEqual(parseBpftraceLine(printf(['F', '10', '11', '10'].join(US)), plan), { kind: 'fork', pid: 10, childPid: 11, childPpid: 10 });
});

test('escaped text parses as JSON', () => {
  // Quotes, backslashes and control characters in a path make bpftrace escape them; both parse paths must agree.
  for (const value of ['/tmp/a"b', '/tmp/a\\b', '/tmp/a\\u001fb', '/tmp/tab\there', '/tmp/new\nline', '/tmp/plain']) {
    const line = printf(['S', '9', '2', 'name', value].join(US));
    assert.deepEqual(parseBpftraceLine(line, plan), { kind: 'string', tid: 9, syscallId: 2, key: 'name', value }, line);
  }
});

test('malformed lines are reported', () => {
  const malformed = [
    'not json',
    '[]',
    '{"type": "printf", "data": 3}',
    printf('Q'),
    printf(['X', '9', '1'].join(US)),
    printf(['X', '2', '101', '100'].join(US)),
    printf(['X', '2', 'a', '100', '1', '0', '0', '0', '1', '5', '3', '1', '2', '3', 'cat'].join(US)),
    printf(['X', '2', '1', '100', '1', '0', '0', '0', '1', '5', '3', '1', 'x', '3', 'cat'].join(US)),
    printf(['S', '1'].join(US)),
    printf('P'),
    printf(['F', '10', '11'].join(US)),
    printf(['F', '10', 'x', '10'].join(US)),
    // An unescaped quote inside the text is not JSON that bpftrace writes.
    String.raw`{"type": "printf", "data": "S\u001f9\u001f2\u001fname\u001fa"b\n"}`,
  ];
  for (const line of malformed) assert.equal(parseBpftraceLine(line, plan).kind, 'malformed', line);
});

test('buffer decoding and lost messages', () => {
  assert.equal(decodeBuffer('ls\\x00-l\\x00'), 'ls\0-l\0');
  assert.equal(decodeBuffer('a\\x1fb'), 'a\x1fb');
  assert.equal(parseLostEventsMessage('Lost 17 events'), 17);
  assert.equal(parseLostEventsMessage('Attaching 3 probes...'), undefined);
});
