import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { compareGoVersions, isValidGoVersion } from '../../src/versioning/go.js';
import { describeMismatches, outcomeOf, pairsFrom, pick, seededRandom, tokens } from './reference-pairs.js';
import type { Outcome } from './reference-pairs.js';

/** The Go toolchain vendors golang.org/x/mod/semver; the test builds a program from that copy. */
const goRoot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const semverSource = join(goRoot, 'src', 'cmd', 'vendor', 'golang.org', 'x', 'mod', 'semver', 'semver.go');
const skip = goRoot !== '' && existsSync(semverSource) ? false : 'go toolchain with vendored x/mod/semver not found; install golang-go to run this test';

const MAIN_PROGRAM = `package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"reference/semver"
)

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		pair := strings.SplitN(scanner.Text(), "\\t", 2)
		fmt.Println(semver.IsValid(pair[0]), semver.IsValid(pair[1]), semver.Compare(pair[0], pair[1]))
	}
}
`;

/** Runs x/mod/semver on each pair; the `v` prefix is added where missing, as Bulwark adds it. */
function referenceOutcomes(pairs: ReadonlyArray<readonly [string, string]>): Outcome[] {
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-go-semver-'));
  try {
    cpSync(semverSource, join(directory, 'semver', 'semver.go'));
    writeFileSync(join(directory, 'go.mod'), 'module reference\n\ngo 1.19\n');
    writeFileSync(join(directory, 'main.go'), MAIN_PROGRAM);
    const prefixed = (v: string): string => (v.startsWith('v') ? v : `v${v}`);
    const input = pairs.map(([a, b]) => `${prefixed(a)}\t${prefixed(b)}`).join('\n') + '\n';
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off' };
    const result = spawnSync('go', ['run', '.'], { cwd: directory, input, env, encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim().split('\n').map((line) => {
      const [validA, validB, order] = line.split(' ');
      return validA === 'true' && validB === 'true' ? (Number(order) as -1 | 0 | 1) : 'E';
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Generates Go versions: shorthands, pre-releases, pseudo-versions, build metadata, bad forms. */
function generateVersions(count: number): string[] {
  const random = seededRandom(0x90);
  const number = (): string => pick(random, ['0', '1', '2', '10', '01', '999999999999999999999']);
  const identifier = (): string => pick(random, ['alpha', 'beta', 'rc', '0', '1', '2', '10', '01', 'x-y', '', 'A']);
  const versions: string[] = [];
  while (versions.length < count) {
    let version = pick(random, ['v', 'v', '', 'V']) + number();
    if (random() < 0.9) version += `.${number()}`;
    if (random() < 0.85) version += `.${number()}`;
    if (random() < 0.4) {
      version += random() < 0.3 ? `-0.${pick(random, ['20191109021931', '20230101000000'])}-${pick(random, ['daa7c04131f5', 'abcdef012345'])}` : `-${identifier()}${tokens(random, ['.1', '.alpha', '.0', '.01', '-1'], 0, 2)}`;
    }
    if (random() < 0.2) version += pick(random, ['+incompatible', '+meta', '+', '+a.b', '+01']);
    if (random() < 0.03) version += pick(random, [' ', 'x', '.']);
    versions.push(version);
  }
  return versions;
}

test('go matches x/mod/semver on 4000 pairs', { skip }, () => {
  const pairs = pairsFrom(seededRandom(9), generateVersions(2000), 4000);
  const theirs = referenceOutcomes(pairs);
  const ours = pairs.map(([a, b]) => outcomeOf(compareGoVersions, a, b));
  const mismatches = describeMismatches(pairs, ours, theirs);
  assert.deepEqual(mismatches, [], `first mismatches:\n${mismatches.join('\n')}`);
  for (const outcome of [-1, 0, 1, 'E'] as const) assert.ok(theirs.filter((o) => o === outcome).length > 50, `few ${outcome} outcomes`);
});

/**
 * The `tests` table of golang.org/x/mod/semver's semver_test.go: inputs in ascending order, each
 * with its canonical form, or '' when the input is invalid. Equal canonical forms compare equal.
 */
const UPSTREAM_TESTS: Array<[string, string]> = [
  ['bad', ''],
  ['v1-alpha.beta.gamma', ''],
  ['v1-pre', ''],
  ['v1+meta', ''],
  ['v1-pre+meta', ''],
  ['v1.2-pre', ''],
  ['v1.2+meta', ''],
  ['v1.2-pre+meta', ''],
  ['v1.0.0-alpha', 'v1.0.0-alpha'],
  ['v1.0.0-alpha.1', 'v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta', 'v1.0.0-alpha.beta'],
  ['v1.0.0-beta', 'v1.0.0-beta'],
  ['v1.0.0-beta.2', 'v1.0.0-beta.2'],
  ['v1.0.0-beta.11', 'v1.0.0-beta.11'],
  ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ['v1', 'v1.0.0'],
  ['v1.0', 'v1.0.0'],
  ['v1.0.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.0', 'v1.2.0'],
  ['v1.2.3-456', 'v1.2.3-456'],
  ['v1.2.3-456.789', 'v1.2.3-456.789'],
  ['v1.2.3-456-789', 'v1.2.3-456-789'],
  ['v1.2.3-456a', 'v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre'],
  ['v1.2.3-pre+meta', 'v1.2.3-pre'],
  ['v1.2.3-pre.1', 'v1.2.3-pre.1'],
  ['v1.2.3-zzz', 'v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3'],
  ['v1.2.3+meta', 'v1.2.3'],
  ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v1.2.3+meta-pre.sha.256a', 'v1.2.3'],
];

test('go upstream table validity', () => {
  for (const [input, canonical] of UPSTREAM_TESTS) assert.equal(isValidGoVersion(input), canonical !== '', input);
});

test('go upstream table order both ways', () => {
  const valid = UPSTREAM_TESTS.filter(([, canonical]) => canonical !== '');
  for (let i = 0; i < valid.length; i++) {
    for (let j = 0; j < valid.length; j++) {
      const [a, canonicalA] = valid[i]!;
      const [b, canonicalB] = valid[j]!;
      const expected = canonicalA === canonicalB ? 0 : i < j ? -1 : 1;
      assert.equal(compareGoVersions(a, b), expected, `${a} vs ${b}`);
    }
  }
  assert.equal(compareGoVersions('v1.19', 'v1.2'), 1);
});

test('go accepts versions without v', () => {
  assert.equal(compareGoVersions('1.2.3', 'v1.2.3'), 0);
  assert.equal(compareGoVersions('0.0.0-20191109021931-daa7c04131f5', '0.0.1'), -1);
  assert.equal(compareGoVersions('2.0.0+incompatible', '2.0.0'), 0);
});

test('go rejects invalid versions', () => {
  for (const value of ['', 'v', 'bad', 'v1.2-pre', 'v01.2.3', 'v1.2.3-01', '(devel)']) {
    assert.throws(() => compareGoVersions(value, 'v1.0.0'), { code: 'VERSION_INVALID' }, value);
  }
});
