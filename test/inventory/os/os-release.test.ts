import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { osAnalyzers } from '../../../src/inventory/os/index.js';
import { osInfoFromOsRelease, osReleaseAnalyzer, parseKeyValueLines } from '../../../src/inventory/os/os-release.js';
import { resolveOs, type OsCandidate } from '../../../src/inventory/os/resolve-os.js';
import { sharedPath } from '../../helpers/shared.js';

const fixtures = sharedPath('fixtures', 'os-release');

/**
 * Every release-file set: [folder, family, version, codename, path of the winning file]. The
 * values come from the files themselves; see the comments for the sets where a rule decides.
 */
const EXPECTED: Array<[string, string, string, string | undefined, string]> = [
  ['almalinux-8.4', 'almalinux', '8.4', undefined, 'etc/os-release'],
  ['alpine-3.3', 'alpine', '3.3.3', undefined, 'etc/os-release'],
  ['alpine-3.4', 'alpine', '3.4.6', undefined, 'etc/os-release'],
  ['alpine-3.5', 'alpine', '3.5.3', undefined, 'etc/os-release'],
  ['alpine-3.6', 'alpine', '3.6.5', undefined, 'etc/os-release'],
  ['alpine-3.7', 'alpine', '3.7.3', undefined, 'etc/os-release'],
  ['alpine-3.8', 'alpine', '3.8.5', undefined, 'etc/os-release'],
  ['alpine-3.9', 'alpine', '3.9.6', undefined, 'etc/os-release'],
  ['alpine-3.10', 'alpine', '3.10.9', undefined, 'etc/os-release'],
  ['alpine-3.11', 'alpine', '3.11.13', undefined, 'etc/os-release'],
  ['alpine-3.12', 'alpine', '3.12.9', undefined, 'etc/os-release'],
  ['alpine-3.13', 'alpine', '3.13.7', undefined, 'etc/os-release'],
  ['alpine-3.14', 'alpine', '3.14.3', undefined, 'etc/os-release'],
  ['alpine-3.15', 'alpine', '3.15.0', undefined, 'etc/os-release'],
  ['alpine-3.16', 'alpine', '3.16.0', undefined, 'etc/os-release'],
  ['alpine-3.17', 'alpine', '3.17.5', undefined, 'etc/os-release'],
  ['alpine-3.18', 'alpine', '3.18.4', undefined, 'etc/os-release'],
  // VERSION_ID=3.19_alpha20230901 is an edge snapshot.
  ['alpine-edge', 'alpine', 'edge', undefined, 'etc/os-release'],
  ['amazon-2', 'amzn', '2', undefined, 'etc/os-release'],
  // No VERSION_ID; BUILD_ID=rolling.
  ['arch', 'arch', 'rolling', undefined, 'etc/os-release'],
  ['azurelinux-3.0', 'azurelinux', '3.0', undefined, 'etc/os-release'],
  ['centos-8', 'centos', '8', undefined, 'usr/lib/os-release'],
  ['chainguard-20230214', 'chainguard', '20230214', undefined, 'etc/os-release'],
  // Debian 7 and 8 write no VERSION_CODENAME; the code name comes from the release table.
  ['debian-7', 'debian', '7', 'wheezy', 'etc/os-release'],
  ['debian-8', 'debian', '8', 'jessie', 'etc/os-release'],
  ['debian-9', 'debian', '9', 'stretch', 'etc/os-release'],
  ['debian-10', 'debian', '10', 'buster', 'etc/os-release'],
  ['debian-11', 'debian', '11', 'bullseye', 'etc/os-release'],
  ['debian-12', 'debian', '12', 'bookworm', 'etc/os-release'],
  // "trixie/sid" has no VERSION_ID, so the version is the code name.
  ['debian-sid', 'debian', 'trixie', 'trixie', 'usr/lib/os-release'],
  ['distroless-debian-9', 'debian', '9', 'stretch', 'etc/os-release'],
  ['distroless-debian-10', 'debian', '10', 'buster', 'etc/os-release'],
  ['distroless-debian-11', 'debian', '11', 'bullseye', 'etc/os-release'],
  ['echo-1', 'echo', '1', undefined, 'etc/os-release'],
  // VERSION_CODENAME="" is no code name.
  ['fedora-36', 'fedora', '36', undefined, 'usr/lib/os-release'],
  ['gentoo', 'gentoo', '', undefined, 'etc/os-release'],
  ['hummingbird-20251124', 'hummingbird', '20251124', undefined, 'etc/os-release'],
  ['mariner-1.0', 'mariner', '1.0', undefined, 'etc/os-release'],
  ['minimos-20241031', 'minimos', '20241031', undefined, 'etc/os-release'],
  ['opensuse-leap-15.2', 'opensuse-leap', '15.2', undefined, 'etc/os-release'],
  // Oracle Linux without os-release: oracle-release beats the "Red Hat" text of redhat-release.
  ['oraclelinux-6', 'ol', '6.10', undefined, 'etc/oracle-release'],
  ['oraclelinux-7', 'ol', '7.9', undefined, 'etc/oracle-release'],
  ['oraclelinux-8', 'ol', '8.9', undefined, 'etc/oracle-release'],
  ['oraclelinux-8.3', 'ol', '8.3', undefined, 'etc/os-release'],
  ['oraclelinux-9', 'ol', '9.3', undefined, 'etc/oracle-release'],
  ['photon-2.0', 'photon', '2.0', undefined, 'etc/os-release'],
  ['postmarketos-v25.06', 'postmarketos', 'v25.06', undefined, 'etc/os-release'],
  // Raspbian writes its code name only in VERSION="9 (stretch)".
  ['raspbian-9', 'raspbian', '9', 'stretch', 'etc/os-release'],
  ['redhat-7.3', 'rhel', '7.3', undefined, 'usr/lib/os-release'],
  // os-release says 7.7 and redhat-release says 7.4; os-release wins.
  ['rhel-7', 'rhel', '7.7', undefined, 'etc/os-release'],
  ['rhel-8', 'rhel', '8.1', undefined, 'etc/os-release'],
  ['rhel-9', 'rhel', '9.0', undefined, 'etc/os-release'],
  ['rockylinux-8.4', 'rocky', '8.4', undefined, 'etc/os-release'],
  ['secureos-2025.09.09', 'secureos', '2025.09.09', undefined, 'etc/os-release'],
  ['sles-15.2', 'sles', '15.2', undefined, 'etc/os-release'],
  // Ubuntu 10.04 has only lsb-release.
  ['ubuntu-10.04', 'ubuntu', '10.04', 'lucid', 'etc/lsb-release'],
  // Ubuntu 12.04-15.10 os-release has no code name field; the release table supplies it.
  ['ubuntu-12.04', 'ubuntu', '12.04', 'precise', 'etc/os-release'],
  ['ubuntu-12.10', 'ubuntu', '12.10', 'quantal', 'etc/os-release'],
  ['ubuntu-13.04', 'ubuntu', '13.04', 'raring', 'etc/os-release'],
  ['ubuntu-13.10', 'ubuntu', '13.10', 'saucy', 'etc/os-release'],
  ['ubuntu-14.04', 'ubuntu', '14.04', 'trusty', 'etc/os-release'],
  ['ubuntu-14.10', 'ubuntu', '14.10', 'utopic', 'etc/os-release'],
  ['ubuntu-15.04', 'ubuntu', '15.04', 'vivid', 'etc/os-release'],
  ['ubuntu-15.10', 'ubuntu', '15.10', 'wily', 'etc/os-release'],
  ['ubuntu-16.04', 'ubuntu', '16.04', 'xenial', 'etc/os-release'],
  ['ubuntu-16.10', 'ubuntu', '16.10', 'yakkety', 'etc/os-release'],
  ['ubuntu-17.04', 'ubuntu', '17.04', 'zesty', 'etc/os-release'],
  ['ubuntu-17.10', 'ubuntu', '17.10', 'artful', 'etc/os-release'],
  ['ubuntu-18.04', 'ubuntu', '18.04', 'bionic', 'etc/os-release'],
  ['ubuntu-18.10', 'ubuntu', '18.10', 'cosmic', 'etc/os-release'],
  ['ubuntu-19.04', 'ubuntu', '19.04', 'disco', 'etc/os-release'],
  ['ubuntu-19.10', 'ubuntu', '19.10', 'eoan', 'etc/os-release'],
  ['ubuntu-20.04', 'ubuntu', '20.04', 'focal', 'etc/os-release'],
  ['ubuntu-20.10', 'ubuntu', '20.10', 'groovy', 'etc/os-release'],
  ['ubuntu-21.04', 'ubuntu', '21.04', 'hirsute', 'etc/os-release'],
  ['ubuntu-21.10', 'ubuntu', '21.10', 'impish', 'etc/os-release'],
  ['ubuntu-22.04', 'ubuntu', '22.04', 'jammy', 'etc/os-release'],
  ['ubuntu-22.10', 'ubuntu', '22.10', 'kinetic', 'etc/os-release'],
  ['ubuntu-23.04', 'ubuntu', '23.04', 'lunar', 'etc/os-release'],
  ['ubuntu-23.10', 'ubuntu', '23.10', 'mantic', 'etc/os-release'],
  ['wolfi-20220914', 'wolfi', '20220914', undefined, 'etc/os-release'],
];

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Runs every OS analyzer that wants a file of the set, as the layer walk would, and resolves the OS. */
async function detectOs(setFolder: string): Promise<{ os: ReturnType<typeof resolveOs>; diagnostics: number }> {
  const candidates: OsCandidate[] = [];
  let diagnostics = 0;
  for (const file of listFiles(setFolder)) {
    const content = readFileSync(file);
    const info = { path: relative(setFolder, file), size: content.length, mode: 0o644 };
    for (const analyzer of osAnalyzers.filter((candidate) => candidate.required(info))) {
      const output = await analyzer.analyze({ info, content });
      if (output.os !== undefined) candidates.push({ path: info.path, os: output.os });
      diagnostics += output.diagnostics?.length ?? 0;
    }
  }
  return { os: resolveOs(candidates), diagnostics };
}

test('os detection table covers every fixture set', { skip: fixtures.skip }, () => {
  const folders = readdirSync(fixtures.path).filter((name) => statSync(join(fixtures.path, name)).isDirectory());
  assert.equal(folders.length, 81);
  assert.deepEqual(EXPECTED.map(([folder]) => folder).sort(), folders.sort());
});

for (const [folder, family, version, codename, path] of EXPECTED) {
  test(`os detection ${folder}`, { skip: fixtures.skip }, async () => {
    const { os, diagnostics } = await detectOs(join(fixtures.path, folder));
    assert.ok(os !== undefined, 'no OS detected');
    assert.equal(os.family, family);
    assert.equal(os.version, version);
    assert.equal(os.codename, codename);
    assert.equal(os.path, path);
    assert.equal(diagnostics, 0);
  });
}

test('os-release keeps prettyName', { skip: fixtures.skip }, async () => {
  const { os } = await detectOs(join(fixtures.path, 'distroless-debian-11'));
  assert.equal(os?.prettyName, 'Distroless');
});

test('os-release parses shell quoting', () => {
  const fields = parseKeyValueLines(`# comment\nA="x \\"y\\" \\$z"\nB='single quoted'\nC=bare\r\n\n  D = spaced\n`);
  assert.equal(fields.get('A'), 'x "y" $z');
  assert.equal(fields.get('B'), 'single quoted');
  assert.equal(fields.get('C'), 'bare');
  assert.equal(fields.has('D'), false);
});

test('os-release reports garbage lines and keeps going', async () => {
  const content = Buffer.from('ID=debian\nthis is not an assignment\nVERSION_ID="12"\n');
  const output = await osReleaseAnalyzer.analyze({ info: { path: 'etc/os-release', size: content.length, mode: 0o644 }, content });
  assert.equal(output.os?.family, 'debian');
  assert.equal(output.os?.version, '12');
  assert.equal(output.diagnostics?.length, 1);
  assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
  assert.match(output.diagnostics?.[0]?.message ?? '', /line 2/);
});

test('os-release without ID gives a diagnostic', async () => {
  const content = Buffer.from('NAME="Something"\n');
  const output = await osReleaseAnalyzer.analyze({ info: { path: 'usr/lib/os-release', size: content.length, mode: 0o644 }, content });
  assert.equal(output.os, undefined);
  assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
});

test('os-release binary content does not throw', async () => {
  const content = Buffer.alloc(4096, 0xff);
  content.write('\n\n\n', 100);
  const output = await osReleaseAnalyzer.analyze({ info: { path: 'etc/os-release', size: content.length, mode: 0o644 }, content });
  assert.equal(output.os, undefined);
  assert.ok((output.diagnostics?.length ?? 0) >= 1);
});

test('os-release family normalization', () => {
  assert.equal(osInfoFromOsRelease(new Map([['ID', 'opensuse'], ['NAME', 'openSUSE Leap'], ['VERSION_ID', '42.3']]), 'etc/os-release')?.family, 'opensuse-leap');
  assert.equal(osInfoFromOsRelease(new Map([['ID', 'sles_sap'], ['VERSION_ID', '15.4']]), 'etc/os-release')?.family, 'sles');
  assert.equal(osInfoFromOsRelease(new Map([['ID', 'Ubuntu'], ['VERSION_ID', '24.04']]), 'etc/os-release')?.codename, 'noble');
});

test('os-release required paths', () => {
  const wants = (path: string): boolean => osReleaseAnalyzer.required({ path, size: 100, mode: 0o644 });
  assert.equal(wants('etc/os-release'), true);
  assert.equal(wants('usr/lib/os-release'), true);
  assert.equal(wants('/etc/os-release'), false);
  assert.equal(wants('usr/etc/os-release'), false);
  assert.equal(wants('etc/os-release.d/x'), false);
});
