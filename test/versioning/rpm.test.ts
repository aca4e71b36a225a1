import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareRpmVersions, isValidRpmVersion, parseRpmVersion, rpmvercmp } from '../../src/versioning/rpm.js';
import { runPythonLines, skipUnlessPythonModule } from './python-reference.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

const skip = skipUnlessPythonModule('rpm', 'python3-rpm');

/** Generates EVR strings with epochs, tildes, carets, letters, separators and releases. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0x4b3);
  const pieces = ['0', '1', '2', '10', '01', '007', '.', '.', '~', '^', 'a', 'b', 'Z', 'rc', 'el', '_', '+', '..', 'é'];
  const versions: string[] = [];
  while (versions.length < count) {
    const epoch = pick(random, ['', '', '', '0:', '1:', '2:', '00:', ':', '10:']);
    const version = pick(random, ['1', '0', '2', 'a', '~', '^', '.']) + tokens(random, pieces, 0, 6);
    const release = random() < 0.5 ? '' : `-${tokens(random, ['1', '2', '10', '.', 'el9', 'fc40', '~', '^', '_', 'a'], 0, 4)}`;
    versions.push(epoch + version + release);
  }
  return versions;
}

const REFERENCE_SCRIPT = `
import json, sys, rpm
for line in sys.stdin:
    a, b = json.loads(line)
    try:
        va, vb = rpm.ver(a), rpm.ver(b)
    except Exception:
        print(json.dumps("E"))
        continue
    print(json.dumps(-1 if va < vb else (1 if va > vb else 0)))
`;

test('rpm matches rpm.ver on 4000 pairs', { skip }, () => {
  const pairs = pairsFrom(seededRandom(11), generateVersions(2000), 4000);
  const theirs = runPythonLines(REFERENCE_SCRIPT, pairs) as Outcome[];
  const ours = pairs.map(([a, b]) => outcomeOf(compareRpmVersions, a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

const VERCMP_SCRIPT = `
import json, sys, rpm
for line in sys.stdin:
    a, b = json.loads(line)
    print(json.dumps(rpm.labelCompare(("0", a, None), ("0", b, None))))
`;

test('rpmvercmp matches labelCompare on 4000 pairs', { skip }, () => {
  const random = seededRandom(12);
  const pool = generateVersions(2000).map((v) => v.replace(/^[0-9]*:/, '').replace(/-.*$/, '')).filter((v) => v !== '');
  const pairs = pairsFrom(random, pool, 4000);
  const theirs = runPythonLines(VERCMP_SCRIPT, pairs) as Outcome[];
  const ours = pairs.map(([a, b]) => rpmvercmp(a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
});

// Tuples: [smaller, larger] as rpm orders them.
const ORDERED: Array<[string, string]> = [
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0', '1.0^git1'],
  ['1.0^git1', '1.0.1'],
  ['1.0a', '1.0.1'],
  ['1.9', '1.10'],
  ['1.0', '1.0-1'],
  ['1.0-1', '1.0-2.el9'],
  ['2.0', '1:1.0'],
  ['1.0-1.el8', '1.0-1.el9'],
];

test('rpm orders examples both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareRpmVersions(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareRpmVersions(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('rpm treats separators alike', () => {
  assert.equal(compareRpmVersions('1_0', '1.0'), 0);
  assert.equal(compareRpmVersions('1..0', '1.0'), 0);
  assert.equal(compareRpmVersions('0:1.0', '1.0'), 0);
  assert.equal(compareRpmVersions('01.1', '1.01'), 0);
});

test('rpm parse splits epoch and release', () => {
  assert.deepEqual(parseRpmVersion('2:1.0-3-4.el9'), { epoch: '2', version: '1.0-3', release: '4.el9' });
  assert.deepEqual(parseRpmVersion(':1.0'), { epoch: '0', version: '1.0', release: undefined });
  assert.deepEqual(parseRpmVersion('a:1.0'), { epoch: undefined, version: 'a:1.0', release: undefined });
});

test('rpm rejects empty and NUL', () => {
  assert.equal(isValidRpmVersion(''), false);
  assert.equal(isValidRpmVersion('1\u00000'), false);
  assert.throws(() => compareRpmVersions('', '1'), { code: 'VERSION_INVALID' });
});
