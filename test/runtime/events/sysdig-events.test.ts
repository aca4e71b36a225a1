import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

import { compileCondition } from '../../../src/runtime/condition/compile-condition.js';
import { parseCondition } from '../../../src/runtime/condition/condition-parser.js';
import { readCaptureEvents } from '../../../src/runtime/events/sysdig-events.js';
import type { RuntimeEvent } from '../../../src/runtime/fields/field-types.js';
import { createSyscallFieldCatalogue } from '../../../src/runtime/fields/syscall-fields.js';
import { sharedPath } from '../../helpers/shared.js';

const sysdigMissing = spawnSync('sysdig', ['--version']).error === undefined ? false : 'sysdig is not installed (apt-get install sysdig)';

// Conditions over fields the capture reader prints; each covers an operator or a value kind.
const CONDITIONS = [
  'evt.type=execve',
  'evt.type in (open, openat) and fd.name contains /etc',
  'fd.name startswith /lib',
  'proc.name=curl and evt.dir=<',
  'evt.type=connect and fd.l4proto=tcp',
  'fd.typechar=4 or fd.typechar=6',
  'evt.rawres < 0',
  'evt.rawres >= 0 and evt.type=read',
  'fd.num=3',
  'proc.aname[2]=sshd',
  'not proc.name=curl',
  'fd.name glob /etc/*',
  'fd.rport=80',
  'evt.is_open_read=true',
  'fd.name endswith .so.6',
  'proc.name icontains CURL',
  'fd.name != /etc/ld.so.cache',
  'evt.failed=true',
  'fd.type=ipv6',
  'fd.directory=/etc',
  'fd.filename=resolv.conf',
  'evt.type=close and fd.num >= 3',
  'evt.res=ENOENT',
  'fd.name exists and not fd.name contains /',
  'evt.arg.flags contains O_RDONLY',
  'proc.name in (curl, bash)',
  'fd.lport > 1024',
  'fd.sockfamily=ip and fd.connected=true',
  'fd.name pmatch (/etc)',
  'proc.cmdline contains "http://www.google.com"',
];
const CAPTURES = ['curl_google.scap', 'test_ipv6_client.scap', 'single_ipv6_conn.scap'];

function sysdigMatches(file: string, condition: string): string[] {
  const result = spawnSync('sysdig', ['-r', file, '-p', '%evt.num', condition], { encoding: 'utf8' });
  assert.equal(result.status, 0, `sysdig failed on ${condition}: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('readCaptureEvents', () => {
  for (const capture of CAPTURES) {
    const shared = sharedPath('captures', capture);
    it(`matches the events sysdig filters in ${capture}`, { skip: shared.skip || sysdigMissing }, async () => {
      const events: RuntimeEvent[] = [];
      for await (const event of readCaptureEvents(shared.path)) events.push(event);
      assert.ok(events.length > 0);
      const catalogue = createSyscallFieldCatalogue();
      let nonEmpty = 0;
      for (const condition of CONDITIONS) {
        const { predicate } = compileCondition(parseCondition(condition), { catalogue, resolveMacro: () => undefined, resolveList: () => undefined });
        const ours = events.filter(predicate).map((event) => String(event.fields['evt.num']));
        const theirs = sysdigMatches(shared.path, condition);
        assert.deepEqual(ours, theirs, `events matching ${condition}`);
        if (theirs.length > 0) nonEmpty++;
      }
      // The table must exercise the capture, not only agree on empty results.
      assert.ok(nonEmpty >= 8, `only ${nonEmpty} conditions matched any event`);
    });
  }

  it('counts every event of the capture', { skip: sharedPath('captures', 'curl_google.scap').skip || sysdigMissing }, async () => {
    let count = 0;
    for await (const event of readCaptureEvents(sharedPath('captures', 'curl_google.scap').path)) if (event.source === 'syscall') count++;
    assert.equal(count, 1221);
  });

  it('raises FORMAT_INVALID for a capture sysdig cannot read', { skip: sharedPath('captures', 'curl_google_comments.scap').skip || sysdigMissing }, async () => {
    // sysdig 0.29 (Debian 12) stops on this newer capture layout, so the reader must report it.
    await assert.rejects(async () => {
      for await (const event of readCaptureEvents(sharedPath('captures', 'curl_google_comments.scap').path)) void event;
    }, (error: unknown) => (error as { code?: string }).code === 'FORMAT_INVALID');
  });
});
