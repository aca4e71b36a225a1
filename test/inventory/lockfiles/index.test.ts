import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLockfileAnalyzers, lockfileAnalyzers } from '../../../src/inventory/lockfiles/index.js';

const info = (path: string) => ({ path, size: 100, mode: 0o644 });

test('lockfile analyzers have unique ids', () => {
  const ids = lockfileAnalyzers.map((analyzer) => analyzer.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 10);
});

test('lockfile analyzers claim one format each', () => {
  for (const [path, id] of [
    ['app/package-lock.json', 'npm-lock'],
    ['app/yarn.lock', 'yarn-lock'],
    ['app/pnpm-lock.yaml', 'pnpm-lock'],
    ['app/poetry.lock', 'poetry-lock'],
    ['app/Pipfile.lock', 'pipfile-lock'],
    ['app/requirements.txt', 'pip-requirements'],
    ['app/go.mod', 'go-mod'],
    ['app/Cargo.lock', 'cargo-lock'],
    ['app/Gemfile.lock', 'gemfile-lock'],
    ['app/composer.lock', 'composer-lock'],
  ] as const) {
    const claimed = lockfileAnalyzers.filter((analyzer) => analyzer.required(info(path))).map((analyzer) => analyzer.id);
    assert.deepEqual(claimed, [id], path);
  }
  assert.deepEqual(lockfileAnalyzers.filter((analyzer) => analyzer.required(info('app/package.json'))), []);
});

test('lockfile analyzers take custom limits', () => {
  const analyzers = createLockfileAnalyzers({ maxFileSize: 1024 });
  assert.equal(analyzers.every((analyzer) => analyzer.maxFileSize === 1024), true);
});

test('lockfile output survives JSON', async () => {
  const analyzer = lockfileAnalyzers.find((candidate) => candidate.id === 'go-mod');
  assert.ok(analyzer);
  const content = Buffer.from('\uFEFFmodule a\n\ngo 1.21\n\nrequire b.example/c v1.0.0\n');
  const output = await analyzer.analyze({ info: info('go.mod'), content });
  assert.deepEqual(JSON.parse(JSON.stringify(output)), output);
  assert.equal(output.packageSets?.[0]?.packages[0]?.name, 'b.example/c');
});
