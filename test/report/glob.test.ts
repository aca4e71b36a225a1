import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BRACE_EXPANSIONS, compileGlob, normalizeGlobPath } from '../../src/report/glob.js';

// Each row: pattern, path, expected match. The cases follow doublestar's documented semantics.
const CASES: Array<[string, string, boolean]> = [
  ['app/package-lock.json', 'app/package-lock.json', true],
  ['app/package-lock.json', 'app/sub/package-lock.json', false],
  ['**/*-lock.json', 'package-lock.json', true],
  ['**/*-lock.json', 'a/b/c/package-lock.json', true],
  ['**/*-lock.json', 'a/b/c/package.json', false],
  ['vendor/**', 'vendor', true],
  ['vendor/**', 'vendor/github.com/x/y.go', true],
  ['vendor/**', 'src/vendor/x', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'a/x/y/c', false],
  ['*.json', 'a.json', true],
  ['*.json', 'dir/a.json', false],
  ['a?c', 'abc', true],
  ['a?c', 'a/c', false],
  ['[ab]x', 'bx', true],
  ['[ab]x', 'cx', false],
  ['[!ab]x', 'cx', true],
  ['[^ab]x', 'ax', false],
  ['v[0-9].txt', 'v7.txt', true],
  ['v[0-9].txt', 'vx.txt', false],
  ['{app,web}/package.json', 'web/package.json', true],
  ['{app,web}/package.json', 'api/package.json', false],
  ['{a,{b,c}}/x', 'c/x', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'axb', false],
  ['a**b', 'axxb', true],
  ['a**b', 'ax/xb', false],
  ['/usr/lib/**', 'usr/lib/x.so', true],
  ['./app/*', 'app/x', true],
  ['usr/lib/*', '/usr/lib/x.so', true],
  ['資料/*.txt', '資料/メモ.txt', true],
];

test('glob match table', () => {
  for (const [pattern, path, expected] of CASES) {
    assert.equal(compileGlob(pattern).matches(path), expected, `${pattern} vs ${path}`);
  }
});

test('glob rejects unclosed brackets', () => {
  assert.throws(() => compileGlob('a/[bc'), /unclosed "\["/);
  assert.throws(() => compileGlob('a/{b,c'), /unclosed "\{"/);
});

test('glob caps brace expansion', () => {
  const pattern = '{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}';
  assert.throws(() => compileGlob(pattern), new RegExp(`more than ${MAX_BRACE_EXPANSIONS}`));
});

test('glob hostile pattern stays linear', () => {
  // A backtracking matcher takes exponential time on this pair; the matcher here finishes at once.
  const glob = compileGlob('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b');
  assert.equal(glob.matches('a'.repeat(4000)), false);
});

test('normalizeGlobPath strips leading markers', () => {
  assert.equal(normalizeGlobPath('/usr/bin/x'), 'usr/bin/x');
  assert.equal(normalizeGlobPath('././app'), 'app');
  assert.equal(normalizeGlobPath('app\\win\\x'), 'app/win/x');
});
