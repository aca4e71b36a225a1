import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanResult } from '../../src/model/report.js';
import { compareDiagnostics, compareResults, compareText, sortedStrings } from '../../src/report/sort.js';

test('compareText uses code units', () => {
  assert.deepEqual(sortedStrings(['b', 'B', 'a', 'Z', 'é']), ['B', 'Z', 'a', 'b', 'é']);
  assert.equal(compareText('x', 'x'), 0);
});

test('compareResults puts OS first', () => {
  const results: ScanResult[] = [
    { target: 'a/package-lock.json', class: 'lang-pkgs', type: 'npm' },
    { target: 'Dockerfile', class: 'config', type: 'dockerfile' },
    { target: 'z', class: 'os-pkgs', type: 'alpine' },
  ];
  assert.deepEqual(
    results.sort(compareResults).map((result) => result.class),
    ['os-pkgs', 'lang-pkgs', 'config'],
  );
});

test('compareDiagnostics orders line numbers', () => {
  const diagnostics = ['.bulwarkignore:10', '.bulwarkignore:2', 'a.txt', '.bulwarkignore:1'].map((target) => ({
    target,
    message: 'm',
    code: 'FORMAT_INVALID' as const,
  }));
  assert.deepEqual(
    diagnostics.sort(compareDiagnostics).map((diagnostic) => diagnostic.target),
    ['.bulwarkignore:1', '.bulwarkignore:2', '.bulwarkignore:10', 'a.txt'],
  );
});
