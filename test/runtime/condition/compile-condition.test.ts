import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ConditionNode } from '../../../src/runtime/condition/ast.js';
import { CompileError, compileCondition, type CompileScope } from '../../../src/runtime/condition/compile-condition.js';
import { parseCondition } from '../../../src/runtime/condition/condition-parser.js';
import type { FieldValue, RuntimeEvent } from '../../../src/runtime/fields/field-types.js';
import { createK8sAuditFieldCatalogue } from '../../../src/runtime/fields/k8s-audit-fields.js';
import { createSyscallFieldCatalogue } from '../../../src/runtime/fields/syscall-fields.js';

const macros = new Map<string, string>([
  ['spawned_process', 'evt.type in (execve, execveat)'],
  ['loop_a', 'loop_b'],
  ['loop_b', 'loop_a'],
]);
const lists = new Map<string, string[]>([['shells', ['bash', 'sh']]]);

const scope: CompileScope = {
  catalogue: createSyscallFieldCatalogue(),
  resolveMacro: (name) => {
    const text = macros.get(name);
    return text === undefined ? undefined : parseCondition(text);
  },
  resolveList: (name) => lists.get(name),
};

function matches(condition: string, fields: Record<string, FieldValue>): boolean {
  return compileCondition(parseCondition(condition), scope).predicate({ source: 'syscall', fields });
}

describe('compileCondition', () => {
  // condition, event fields, expected result
  const table: [string, Record<string, FieldValue>, boolean][] = [
    ['proc.name = bash', { 'proc.name': 'bash' }, true],
    ['proc.name != bash', { 'proc.name': 'sh' }, true],
    ['proc.name != bash', {}, false],
    ['proc.name = bash', {}, false],
    ['fd.num >= 0', { 'fd.num': 3 }, true],
    ['fd.num >= 0', { 'fd.num': -1 }, false],
    ['fd.num < 10', { 'fd.num': '7' }, true],
    ['proc.cmdline contains shadow', { 'proc.cmdline': 'cat /etc/shadow' }, true],
    ['proc.cmdline icontains SHADOW', { 'proc.cmdline': 'cat /etc/shadow' }, true],
    ['fd.name startswith /etc/', { 'fd.name': '/etc/passwd' }, true],
    ['fd.name endswith .pem', { 'fd.name': '/tmp/key.pem' }, true],
    ['fd.name glob /home/*/.ssh/*', { 'fd.name': '/home/ann/.ssh/id_rsa' }, true],
    ['fd.name glob /home/*/.ssh/*', { 'fd.name': '/root/.ssh/id_rsa' }, false],
    ['fd.name pmatch (/etc, /usr/bin)', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name pmatch (/etc, /usr/bin)', { 'fd.name': '/etcetera' }, false],
    ['fd.name pmatch (/etc, /usr/bin)', { 'fd.name': '/etc' }, true],
    ['proc.name in (shells)', { 'proc.name': 'sh' }, true],
    ['proc.name in (shells, zsh)', { 'proc.name': 'zsh' }, true],
    ['proc.name in ("shells")', { 'proc.name': 'shells' }, true],
    ['proc.name in ("shells")', { 'proc.name': 'sh' }, false],
    ['proc.name regex "ba.h"', { 'proc.name': 'bash' }, true],
    ['proc.name regex "as"', { 'proc.name': 'bash' }, false],
    ['proc.name bcontains 6173', { 'proc.name': 'bash' }, true],
    ['proc.name bstartswith 6261', { 'proc.name': 'bash' }, true],
    ['proc.name bstartswith 6173', { 'proc.name': 'bash' }, false],
    ['proc.name exists', { 'proc.name': 'x' }, true],
    ['proc.name exists', {}, false],
    ['toupper(proc.name) = BASH', { 'proc.name': 'bash' }, true],
    ['tolower(proc.name) = bash', { 'proc.name': 'BaSh' }, true],
    ['basename(proc.exe) = curl', { 'proc.exe': '/usr/bin/curl' }, true],
    ['b64(proc.cmdline) = hello', { 'proc.cmdline': 'aGVsbG8=' }, true],
    ['len(proc.name) = 4', { 'proc.name': 'bash' }, true],
    ['proc.name = val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'bash' }, true],
    ['proc.name = val(proc.pname)', { 'proc.name': 'bash' }, false],
    ['proc.aname = sshd', { 'proc.aname[1]': 'bash', 'proc.aname[2]': 'sshd' }, true],
    ['proc.aname[2] = sshd', { 'proc.aname': ['bash', 'sshd'] }, true],
    ['proc.aname[0] = cat', { 'proc.name': 'cat' }, true],
    ['fd.snet in ("10.0.0.0/8")', { 'fd.snet': '10.1.2.3' }, true],
    ['fd.net != "127.0.0.0/8"', { 'fd.net': '127.0.0.1' }, false],
    ['spawned_process and not proc.name in (shells)', { 'evt.type': 'execve', 'proc.name': 'ls' }, true],
    ['spawned_process and not proc.name in (shells)', { 'evt.type': 'execve', 'proc.name': 'bash' }, false],
  ];
  for (const [condition, fields, expected] of table) {
    it(`${condition} on ${JSON.stringify(fields)} is ${expected}`, () => {
      assert.equal(matches(condition, fields), expected);
    });
  }

  it('indexes event types through macros and junctions', () => {
    const types = (text: string) => {
      const { eventTypes } = compileCondition(parseCondition(text), scope);
      return eventTypes === 'all' ? 'all' : [...eventTypes].sort();
    };
    assert.deepEqual(types('spawned_process and proc.name = ls'), ['execve', 'execveat']);
    assert.deepEqual(types('evt.type = open or evt.type in (openat, openat2)'), ['open', 'openat', 'openat2']);
    assert.deepEqual(types('spawned_process and evt.type = execve'), ['execve']);
    assert.equal(types('proc.name = ls'), 'all');
    assert.equal(types('not evt.type = execve'), 'all');
    assert.equal(types('evt.type = execve or proc.name = ls'), 'all');
  });

  const failures: [string, CompileError['kind']][] = [
    ['proc.nope = 1', 'unknown-field'],
    ['missing_macro', 'unknown-macro'],
    ['loop_a', 'macro-cycle'],
    ['fd.num = abc', 'invalid-value'],
    ['proc.name > 3', 'invalid-value'],
    ['proc.name bcontains xyz', 'invalid-value'],
    ['evt.arg = 1', 'invalid-value'],
    ['proc.name[1] = a', 'invalid-value'],
  ];
  for (const [condition, kind] of failures) {
    it(`rejects ${condition} as ${kind}`, () => {
      assert.throws(() => compileCondition(parseCondition(condition), scope), (error: unknown) => error instanceof CompileError && error.kind === kind);
    });
  }

  it('names the macro chain of a cycle', () => {
    assert.throws(() => compileCondition(parseCondition('loop_a'), scope), /loop_a -> loop_b -> loop_a/);
  });

  it('reads k8s audit fields from the audit document', () => {
    const k8sScope: CompileScope = { ...scope, catalogue: createK8sAuditFieldCatalogue() };
    const audit = {
      verb: 'create',
      requestURI: '/api/v1/namespaces/a/pods/p/exec?command=sh&command=-c',
      requestObject: { spec: { containers: [{ image: 'quay.io/org/app:1.2@sha256:ab', securityContext: { privileged: true } }, { image: 'nginx' }] } },
    };
    const event: RuntimeEvent = { source: 'k8s_audit', fields: {}, raw: audit };
    const check = (text: string) => compileCondition(parseCondition(text) as ConditionNode, k8sScope).predicate(event);
    assert.equal(check('ka.req.pod.containers.privileged intersects (true)'), true);
    assert.equal(check('ka.req.pod.containers.image.repository in (quay.io/org/app, nginx)'), true);
    assert.equal(check('ka.req.pod.containers.image.repository in (nginx)'), false);
    assert.equal(check('ka.uri.param[command] = sh'), true);
    assert.equal(check('jevt.value[/verb] = create'), true);
    assert.equal(check('ka.target.name exists'), false);
  });
});
