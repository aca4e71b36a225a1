import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { compareComposerVersions, isValidComposerVersion, normalizeComposerVersion, phpVersionCompare } from '../../src/versioning/composer.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

const phpPresent = spawnSync('php', ['--version']).status === 0;
const skip = phpPresent ? false : 'php not found; install the php-cli package to run this test';

// Reads JSON pairs, one a line, and prints version_compare() of each pair.
const PHP_SCRIPT = `
while (($line = fgets(STDIN)) !== false) {
  [$a, $b] = json_decode($line);
  echo version_compare($a, $b), "\\n";
}
`;

function phpOutcomes(pairs: ReadonlyArray<readonly [string, string]>): Outcome[] {
  const input = pairs.map((pair) => JSON.stringify(pair)).join('\n') + '\n';
  const result = spawnSync('php', ['-r', PHP_SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n').map((line) => Number(line) as -1 | 0 | 1);
}

/** Generates Composer versions: v prefixes, 1 to 5 parts, stabilities, `-dev`, dates, bad forms. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0xc0);
  const number = (): string => pick(random, ['0', '1', '2', '10', '01', '99999', '9223372036854775808']);
  const stability = (): string =>
    pick(random, ['', '', '-alpha', '-a', 'beta', '-b', '.RC', '-rc', 'RC', '-patch', 'pl', '-p', '-stable', '-STABLE', '-meh']) +
    tokens(random, ['1', '2', '.1', '-1', '10'], 0, 2);
  const versions: string[] = [];
  while (versions.length < count) {
    let version: string;
    if (random() < 0.1) {
      version = pick(random, ['2010', '2023']) + tokens(random, ['01', '-02', '.12', ':30', '5'], 1, 4);
    } else {
      version = pick(random, ['', '', 'v', 'V']) + number() + tokens(random, ['.0', '.1', '.2', '.10', '.01'], 0, 4);
    }
    version += stability();
    if (random() < 0.15) version += pick(random, ['-dev', '.dev', 'dev', '.x-dev', '.*-dev']);
    if (random() < 0.05) version += pick(random, ['+build.5', '@dev', ' as 2.0', '@beta']);
    if (random() < 0.03) version = pick(random, ['dev-main', 'master', 'dev-feature/x', 'x', '']);
    versions.push(version);
  }
  return versions;
}

test('composer order matches php on 6000 pairs', { skip }, () => {
  const pool = generateVersions(3000);
  const pairs = pairsFrom(seededRandom(13), pool, 6000);
  const ours = pairs.map(([a, b]) => outcomeOf(compareComposerVersions, a, b));
  // PHP compares the normalized forms, and pairs that Bulwark rejects stay `E` on both sides.
  const valid = pairs.filter(([a, b]) => isValidComposerVersion(a) && isValidComposerVersion(b));
  const compared = phpOutcomes(valid.map(([a, b]) => [normalizeComposerVersion(a)!, normalizeComposerVersion(b)!]));
  let next = 0;
  const theirs = pairs.map(([a, b]): Outcome => (isValidComposerVersion(a) && isValidComposerVersion(b) ? compared[next++]! : 'E'));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

test('phpVersionCompare matches php on raw strings', { skip }, () => {
  const random = seededRandom(0x5);
  const pieces = ['1', '0', '10', '.', '.', '-', '_', '+', 'a', 'b', 'RC', 'rc', 'dev', 'pl', 'p', 'x', '#', '..', '9223372036854775809'];
  const pool = Array.from({ length: 1500 }, () => tokens(random, pieces, 0, 6));
  const pairs = pairsFrom(seededRandom(14), pool, 3000);
  const theirs = phpOutcomes(pairs);
  const ours = pairs.map(([a, b]) => phpVersionCompare(a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
});

/**
 * Cases of testNormalizeSucceeds in composer/semver's tests/VersionParserTest.php. The rows that
 * map `dev-master` and `dev-trunk` to `9999999-dev` are left out, because composer/semver 3.x
 * keeps them as the branches `dev-master` and `dev-trunk`.
 */
const NORMALIZED: Array<[string, string]> = [
  ['1.0.0', '1.0.0.0'],
  ['1.2.3.4', '1.2.3.4'],
  ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
  ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0-rc1', '1.0.0.0-RC1'],
  ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
  ['1.0-dev', '1.0.0.0-dev'],
  ['0', '0.0.0.0'],
  ['10.4.13-beta', '10.4.13.0-beta'],
  ['10.4.13beta2', '10.4.13.0-beta2'],
  ['10.4.13beta.2', '10.4.13.0-beta2'],
  ['10.4.13-b', '10.4.13.0-beta'],
  ['10.4.13-b5', '10.4.13.0-beta5'],
  ['v1.0.0', '1.0.0.0'],
  ['2010.01', '2010.01.0.0'],
  ['2010.01.02', '2010.01.02.0'],
  ['2010.1.555', '2010.1.555.0'],
  ['2010.10.200', '2010.10.200.0'],
  ['v20100102', '20100102'],
  ['2010-01-02', '2010.01.02'],
  ['2010-01-02.5', '2010.01.02.5'],
  ['20100102-203040', '20100102.203040'],
  ['20150920.0.0', '20150920.0.0'],
  ['20100102203040-10', '20100102203040.10'],
  ['20100102-203040-p1', '20100102.203040-patch1'],
  ['1.x-dev', '1.9999999.9999999.9999999-dev'],
  ['dev-feature-foo', 'dev-feature-foo'],
  ['DEV-FOOBAR', 'dev-FOOBAR'],
  ['dev-feature/foo', 'dev-feature/foo'],
  ['dev-feature+issue-1', 'dev-feature+issue-1'],
  ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
  ['1.0.0+foo', '1.0.0.0'],
  ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
  ['1.0.0-alpha2.1+foo', '1.0.0.0-alpha2.1'],
  ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'],
  ['1.0.0+foo as 2.0', '1.0.0.0'],
];

/** Cases of testNormalizeFails in the same file. */
const NOT_NORMALIZED = ['', 'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar'];

test('composer normalize upstream table', () => {
  for (const [input, expected] of NORMALIZED) assert.equal(normalizeComposerVersion(input), expected, input);
  for (const input of NOT_NORMALIZED) assert.equal(normalizeComposerVersion(input), undefined, input);
});

// Tuples: [smaller, larger] under Composer.
const ORDERED: Array<[string, string]> = [
  ['1.0.0-dev', '1.0.0-alpha1'],
  ['1.0.0-alpha1', '1.0.0-beta1'],
  ['1.0.0-beta1', '1.0.0-RC1'],
  ['1.0.0-RC1', '1.0.0'],
  ['1.0.0', '1.0.0-patch1'],
  ['1.0.0-beta2-dev', '1.0.0-beta2'],
  ['1.0.0.1', '1.0.1'],
  ['v1.9', 'v1.10'],
  ['1.2.x-dev', '1.3.0'],
];

test('composer orders examples both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareComposerVersions(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareComposerVersions(larger, smaller), 1, `${larger} > ${smaller}`);
  }
  assert.equal(compareComposerVersions('v1.2', '1.2.0.0'), 0);
});

test('composer rejects branches and invalid values', () => {
  for (const value of ['dev-main', 'master', 'a', '1.0.0-meh', '1.0.0.0.0', '1'.repeat(2000)]) {
    assert.equal(isValidComposerVersion(value), false, value);
    assert.throws(() => compareComposerVersions(value, '1.0.0'), { code: 'VERSION_INVALID', message: /composer/ }, value);
  }
});

test('composer long input runs fast', () => {
  const start = performance.now();
  assert.equal(isValidComposerVersion(`1.0-beta${'.1'.repeat(400)}!`), false);
  assert.equal(isValidComposerVersion(`2010${'-01'.repeat(300)}!`), false);
  assert.ok(performance.now() - start < 100);
});
