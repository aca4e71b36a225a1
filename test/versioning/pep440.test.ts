import assert from 'node:assert/strict';
import { test } from 'node:test';

import { comparePep440, isValidPep440, normalizePep440 } from '../../src/versioning/pep440.js';
import { runPythonLines, skipUnlessPythonModule } from './python-reference.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

const skip = skipUnlessPythonModule('packaging.version', 'python3-packaging');

/** Generates versions with epochs, pre, post and dev releases, local segments and odd spellings. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0x440);
  const number = (): string => pick(random, ['0', '1', '2', '10', '01', '00', '99999999999999999999', '9007199254740993']);
  const versions: string[] = [];
  while (versions.length < count) {
    let version = pick(random, ['', '', '', 'v', 'V', ' ']);
    if (random() < 0.2) version += `${number()}!`;
    version += number() + tokens(random, ['.0', '.1', '.2', '.10', '.0'], 0, 3);
    if (random() < 0.4) version += pick(random, ['a', 'b', 'c', 'rc', 'alpha', 'Beta', 'pre', 'preview', '-a', '.rc', '_b']) + pick(random, ['', '0', '1', '2', '-1']);
    if (random() < 0.3) version += pick(random, ['.post', 'post', '-', '-r', '.rev', 'r', '_post']) + pick(random, ['', '0', '1', '2']);
    if (random() < 0.3) version += pick(random, ['.dev', 'dev', '-dev', '_dev']) + pick(random, ['', '0', '1', '2']);
    if (random() < 0.3) version += `+${tokens(random, ['abc', '1', '2', '01', 'ubuntu', 'x', '1e5', '0x10'], 1, 2)}${tokens(random, ['.1', '-2', '_a', '.abc', '.10'], 0, 2)}`;
    if (random() < 0.05) version += pick(random, ['.', '+', '-', 'x', '..1', ' ', '+ſ', '\u00a0']);
    versions.push(version);
  }
  return versions;
}

const REFERENCE_SCRIPT = `
import json, sys
from packaging.version import Version, InvalidVersion
def version(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None
for line in sys.stdin:
    a, b = json.loads(line)
    va, vb = version(a), version(b)
    if va is None or vb is None:
        outcome = "E"
    else:
        outcome = -1 if va < vb else (1 if va > vb else 0)
    print(json.dumps([outcome, None if va is None else str(va)]))
`;

test('pep440 matches packaging on 4000 pairs', { skip }, () => {
  const pairs = pairsFrom(seededRandom(44), generateVersions(2000), 4000);
  const results = runPythonLines(REFERENCE_SCRIPT, pairs) as Array<[Outcome, string | null]>;
  const ours = pairs.map(([a, b]) => outcomeOf(comparePep440, a, b));
  const theirs = results.map(([outcome]) => outcome);
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

test('pep440 normalizes like packaging', { skip }, () => {
  const versions = generateVersions(2000);
  const results = runPythonLines(REFERENCE_SCRIPT, versions.map((v) => [v, v])) as Array<[Outcome, string | null]>;
  const wrong: string[] = [];
  versions.forEach((value, i) => {
    const expected = results[i]![1];
    const actual = isValidPep440(value) ? normalizePep440(value) : null;
    if (actual !== expected && wrong.length < 10) wrong.push(`${JSON.stringify(value)}: bulwark ${actual}, packaging ${expected}`);
  });
  assert.deepEqual(wrong, [], `first mismatches:\n${wrong.join('\n')}`);
});

// Tuples: [smaller, larger] as PEP 440 orders them.
const ORDERED: Array<[string, string]> = [
  ['1.0.dev0', '1.0a0'],
  ['1.0a0', '1.0a1'],
  ['1.0a1', '1.0b0'],
  ['1.0b0', '1.0rc0'],
  ['1.0rc0', '1.0'],
  ['1.0', '1.0+local'],
  ['1.0+abc', '1.0+1'],
  ['1.0+1', '1.0+1.abc'],
  ['1.0', '1.0.post0'],
  ['1.0.post0.dev0', '1.0.post0'],
  ['1.0.post0', '1.1.dev0'],
  ['2.0', '1!0.1'],
  ['9007199254740992', '9007199254740993'],
];

test('pep440 orders PEP examples both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(comparePep440(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(comparePep440(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('pep440 normalizes spellings', () => {
  assert.equal(normalizePep440(' v1.0-ALPHA_1.r2-DEV3+Ubuntu-1 '), '1.0a1.post2.dev3+ubuntu.1');
  assert.equal(normalizePep440('1.0-1'), '1.0.post1');
  assert.equal(normalizePep440('0!1.0c'), '1.0rc0');
  assert.equal(comparePep440('1.0.0', '1'), 0);
});

test('pep440 rejects invalid versions', () => {
  for (const value of ['', 'a', '1.0+', '1..0', '1.0-dev-x', 'latest', '1.0+ubuntu..1']) {
    assert.equal(isValidPep440(value), false, JSON.stringify(value));
    assert.throws(() => comparePep440(value, '1.0'), { code: 'VERSION_INVALID' }, JSON.stringify(value));
  }
});
