import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { compareRubyGemsVersions, isValidRubyGemsVersion } from '../../src/versioning/rubygems.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

const rubyPresent = spawnSync('ruby', ['--version']).status === 0;
const skip = rubyPresent ? false : 'ruby not found; install the ruby package to run this test';

// Reads JSON pairs, one a line, and prints Gem::Version's <=> for each, or E when it rejects one.
const RUBY_SCRIPT = `
require 'json'
STDIN.each_line do |line|
  a, b = JSON.parse(line)
  begin
    puts(Gem::Version.new(a) <=> Gem::Version.new(b))
  rescue ArgumentError
    puts 'E'
  end
end
`;

function rubyOutcomes(pairs: ReadonlyArray<readonly [string, string]>): Outcome[] {
  const input = pairs.map((pair) => JSON.stringify(pair)).join('\n') + '\n';
  const result = spawnSync('ruby', ['-e', RUBY_SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n').map((line) => (line === 'E' ? 'E' : (Number(line) as -1 | 0 | 1)));
}

/** Generates versions with zero runs, letters, dashes, leading zeros, whitespace and bad forms. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0x9e4);
  const pieces = ['.0', '.0', '.1', '.2', '.10', '.01', '.a', '.b', '.pre', '.rc1', '.0a', 'a', 'b', '1', '0', '-1', '-rc', '-0', '--', '.'];
  const versions: string[] = [];
  while (versions.length < count) {
    let version = pick(random, ['1', '1', '0', '2', '10', '01', '00', 'a', '']) + tokens(random, pieces, 0, 5);
    if (random() < 0.05) version = pick(random, [' ', '\t', '\n']) + version + pick(random, [' ', '', '\r\n']);
    if (random() < 0.04) version += pick(random, ['_', '+', '!', 'é', ' 1']);
    versions.push(version);
  }
  return versions;
}

test('rubygems matches Gem::Version on 6000 pairs', { skip }, () => {
  const pairs = pairsFrom(seededRandom(11), generateVersions(3000), 6000);
  const theirs = rubyOutcomes(pairs);
  assert.equal(theirs.length, pairs.length);
  const ours = pairs.map(([a, b]) => outcomeOf(compareRubyGemsVersions, a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

// Tuples: [smaller, larger] under Gem::Version.
const ORDERED: Array<[string, string]> = [
  ['1.0.a', '1.0'],
  ['1.0.b1', '1.0'],
  ['1.0.a', '1.0.b'],
  ['1.0.rc1', '1.0.rc2'],
  ['1.0.pre', '1.0.rc1'],
  ['1.9', '1.10'],
  ['1.0', '1.0.1'],
  ['1.0-rc1', '1.0'],
  ['5.2.4.rc1', '5.2.4'],
  ['5.2.4', '5.2.4.1'],
];

test('rubygems orders examples both ways', () => {
  for (const [smaller, larger] of ORDERED) {
    assert.equal(compareRubyGemsVersions(smaller, larger), -1, `${smaller} < ${larger}`);
    assert.equal(compareRubyGemsVersions(larger, smaller), 1, `${larger} > ${smaller}`);
  }
});

test('rubygems equal spellings', () => {
  assert.equal(compareRubyGemsVersions('1.0', '1.0.0'), 0);
  assert.equal(compareRubyGemsVersions('1.0.a', '1.a'), 0);
  assert.equal(compareRubyGemsVersions('1.0-rc1', '1.0.pre.rc1'), 0);
  assert.equal(compareRubyGemsVersions('01.2', '1.2'), 0);
  assert.equal(compareRubyGemsVersions(' 1.2 ', '1.2'), 0);
  assert.equal(compareRubyGemsVersions('', '0'), 0);
});

test('rubygems rejects invalid versions', () => {
  for (const value of ['a', '.1', '1.', '1..2', '1.0_1', '1+2', '-1', '1 2', '1.0\0', 'x'.repeat(2000)]) {
    assert.equal(isValidRubyGemsVersion(value), false, value);
    assert.throws(() => compareRubyGemsVersions(value, '1.0'), { code: 'VERSION_INVALID', message: /rubygems/ }, value);
  }
});

test('rubygems long input runs fast', () => {
  const start = performance.now();
  assert.equal(isValidRubyGemsVersion(`1${'.a-'.repeat(300)}!`), false);
  assert.equal(compareRubyGemsVersions(`1${'.0'.repeat(500)}`, '1'), 0);
  assert.ok(performance.now() - start < 100);
});
