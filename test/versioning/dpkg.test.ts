import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { compareDpkgVersions, isValidDpkgVersion, parseDpkgVersion } from '../../src/versioning/dpkg.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

const dpkgPresent = spawnSync('dpkg', ['--version']).status === 0;
const skip = dpkgPresent ? false : 'dpkg not found; install the dpkg package to run this test';

/** Generates versions that exercise epochs, tildes, letters, plus signs, revisions and bad syntax. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0xdeb);
  const pieces = ['0', '1', '2', '9', '10', '01', '007', '.', '.', '~', '~', '+', 'a', 'b', 'z', 'A', 'Z', 'rc', 'dfsg', ':', '-'];
  const odd = ['_', '@', 'é', '#', ' '];
  const versions: string[] = [];
  while (versions.length < count) {
    const epoch = pick(random, ['', '', '', '0:', '1:', '2:', '10:', ':', 'a:', '2147483648:']);
    let upstream = pick(random, ['1', '0', '2', '10', '1', 'a', '~']) + tokens(random, pieces, 0, 6);
    if (random() < 0.08) upstream += pick(random, odd) + tokens(random, pieces, 0, 2);
    const revision = random() < 0.5 ? '' : `-${tokens(random, ['0', '1', '2', '10', '.', '~', '+', 'a', 'ubuntu', 'deb12u'], 0, 4)}`;
    const version = epoch + upstream + revision;
    if (!version.startsWith('-')) versions.push(version);
  }
  return versions;
}

/** Runs the real dpkg on each pair and returns: `-1`, `0`, `1`, or `E` when it rejects a version. */
function dpkgOutcomes(pairs: ReadonlyArray<readonly [string, string]>): Outcome[] {
  const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
  const outcomes: Outcome[] = [];
  const chunkSize = 500;
  for (let start = 0; start < pairs.length; start += chunkSize) {
    const lines = [
      'r() { dpkg --compare-versions "$1" lt "$2" 2>/dev/null; s=$?',
      '  if [ $s = 0 ]; then echo -1; elif [ $s = 1 ]; then',
      '    if dpkg --compare-versions "$1" eq "$2" 2>/dev/null; then echo 0; else echo 1; fi',
      '  else echo E; fi; }',
      ...pairs.slice(start, start + chunkSize).map(([a, b]) => `r ${quote(a)} ${quote(b)}`),
    ];
    const result = spawnSync('sh', ['-s'], { input: lines.join('\n'), encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(result.status, 0, result.stderr);
    for (const line of result.stdout.trim().split('\n')) outcomes.push(line === 'E' ? 'E' : (Number(line) as -1 | 0 | 1));
  }
  return outcomes;
}

test('dpkg matches dpkg --compare-versions on 3000 pairs', { skip }, () => {
  const pairs = pairsFrom(seededRandom(7), generateVersions(1500), 3000);
  const theirs = dpkgOutcomes(pairs);
  const ours = pairs.map(([a, b]) => outcomeOf(compareDpkgVersions, a, b));
  assert.equal(theirs.length, pairs.length);
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  // The generated set must exercise all three outcomes and rejected versions.
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

// Tuples: [smaller, larger] under Debian policy.
const ORDERED: Array<[string, string]> = [
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0', '1.0a'],
  ['1.0a', '1.0+'],
  ['1.0', '1.0.1'],
  ['1.9', '1.10'],
  ['1:0.1', '2:0.0'],
  ['9.9', '1:0.1'],
  ['1.0-1', '1.0-2'],
  ['1.0-9', '1.0-10'],
  ['1.0-1~bpo1', '1.0-1'],
  ['2.36-9+deb12u4', '2.36-9+deb12u10'],
];

test('dpkg orders policy examples both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareDpkgVersions(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareDpkgVersions(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('dpkg treats missing revision as 0', () => {
  assert.equal(compareDpkgVersions('1.0', '1.0-0'), 0);
  assert.equal(compareDpkgVersions('0:1.0', '1.0'), 0);
  assert.equal(compareDpkgVersions('1.01', '1.1'), 0);
});

test('dpkg parse splits epoch and revision', () => {
  assert.deepEqual(parseDpkgVersion(' 2:1.2-3-4 '), { epoch: 2, upstream: '1.2-3', revision: '4', warning: undefined });
  assert.equal(parseDpkgVersion('a1').warning, 'version number does not start with digit');
  assert.equal(parseDpkgVersion('1.0-r#').warning, 'invalid character in revision number');
});

test('dpkg rejects what dpkg rejects', () => {
  for (const value of ['', '1:', ':1', '1.0-', '1 0', 'abc:1.0', '2147483648:1', '-1:1', '1.0-a:b']) {
    assert.equal(isValidDpkgVersion(value), false, JSON.stringify(value));
    assert.throws(() => compareDpkgVersions(value, '1'), { code: 'VERSION_INVALID' }, JSON.stringify(value));
  }
  assert.equal(isValidDpkgVersion('2147483647:1'), true);
});

test('dpkg error names scheme and value', () => {
  assert.throws(() => parseDpkgVersion('1:'), { message: 'invalid dpkg version "1:": nothing after colon in version number' });
});
