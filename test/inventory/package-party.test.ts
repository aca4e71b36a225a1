import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseParty } from '../../src/inventory/package-party.js';

/** [metadata text, expected party as name and email]. */
const CASES: Array<[string, { name: string; email?: string }]> = [
  ['Santiago Vila <sanvila@debian.org>', { name: 'Santiago Vila', email: 'sanvila@debian.org' }],
  ['Natanael Copa <ncopa@alpinelinux.org>', { name: 'Natanael Copa', email: 'ncopa@alpinelinux.org' }],
  ['Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)', { name: 'Isaac Z. Schlueter', email: 'i@izs.me' }],
  ['GitHub Inc. (https://github.com)', { name: 'GitHub Inc.' }],
  ['SUSE LLC <https://www.suse.com/>', { name: 'SUSE LLC' }],
  ['xi@resolvent.net', { name: 'xi@resolvent.net', email: 'xi@resolvent.net' }],
  ['<ops@example.com>', { name: 'ops@example.com', email: 'ops@example.com' }],
  ['Red Hat, Inc.', { name: 'Red Hat, Inc.' }],
  ['  Debian   QA Group  ', { name: 'Debian QA Group' }],
];

test('parseParty reads name and email', () => {
  for (const [text, expected] of CASES) assert.deepEqual(parseParty(text, 'person'), { ...expected, kind: 'person' }, text);
});

test('parseParty keeps the kind', () => {
  assert.deepEqual(parseParty('Fedora Project', 'organization'), { name: 'Fedora Project', kind: 'organization' });
});

test('parseParty rejects empty text', () => {
  assert.equal(parseParty('', 'person'), undefined);
  assert.equal(parseParty('   ', 'person'), undefined);
  assert.equal(parseParty(undefined, 'person'), undefined);
});

test('parseParty caps long text', () => {
  assert.equal(parseParty('x'.repeat(10_000), 'person')?.name.length, 512);
});
