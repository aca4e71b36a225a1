import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';

import { eventsFromJson, readJsonEvents } from '../../../src/runtime/events/json-events.js';
import type { RuntimeEvent } from '../../../src/runtime/fields/field-types.js';

async function readAll(text: string, malformed: { line: number; message: string }[]): Promise<RuntimeEvent[]> {
  const events: RuntimeEvent[] = [];
  for await (const event of readJsonEvents(Readable.from([text]), { onMalformed: (problem) => malformed.push(problem) })) events.push(event);
  return events;
}

describe('readJsonEvents', () => {
  it('reads flat events keyed by field names', async () => {
    const malformed: { line: number; message: string }[] = [];
    const events = await readAll('{"evt.type":"openat","fd.name":"/etc/shadow","fd.num":3,"proc.aname":["bash","sshd"]}\n\n', malformed);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.source, 'syscall');
    assert.equal(events[0]?.fields['fd.num'], 3);
    assert.deepEqual(events[0]?.fields['proc.aname'], ['bash', 'sshd']);
    assert.deepEqual(malformed, []);
  });

  it('counts and skips malformed lines', async () => {
    const malformed: { line: number; message: string }[] = [];
    const events = await readAll('{"evt.type":"execve"}\nnot json\n[1,2]\n{"a":{"b":1}}\n{"evt.type":"openat"}\n', malformed);
    assert.equal(events.length, 2);
    assert.deepEqual(
      malformed.map((problem) => problem.line),
      [2, 3, 4],
    );
    assert.match(malformed[2]?.message ?? '', /field 'a'/);
  });

  it('reads audit Events and EventLists', () => {
    const event = { apiVersion: 'audit.k8s.io/v1', kind: 'Event', verb: 'get' };
    const single = eventsFromJson(event, 'syscall');
    assert.ok(Array.isArray(single));
    assert.equal(single[0]?.source, 'k8s_audit');
    const list = eventsFromJson({ apiVersion: 'audit.k8s.io/v1', kind: 'EventList', items: [event, event] }, 'syscall');
    assert.ok(Array.isArray(list));
    assert.equal(list.length, 2);
    assert.equal(typeof eventsFromJson({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' }, 'syscall'), 'string');
  });

  it('takes the source from evt.source', () => {
    const events = eventsFromJson({ 'evt.source': 'k8s_audit', 'ka.verb': 'create' }, 'syscall');
    assert.ok(Array.isArray(events));
    assert.equal(events[0]?.source, 'k8s_audit');
  });
});
