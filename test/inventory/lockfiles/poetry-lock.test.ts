import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poetryLockFormat } from '../../../src/inventory/lockfiles/poetry-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'python', 'poetry', name, 'poetry.lock');

// Poetry 1.x marks dev packages with `category`, Poetry 2 with `groups`: both give the same set.
for (const name of ['trivy-v1-flask', 'trivy-v2-flask']) {
  test(`poetry ${name} fixture`, { skip: fixture(name).skip }, async () => {
    const { output, packages, byKey } = await analyzeFile(poetryLockFormat, fixture(name).path, 'poetry.lock');
    assert.equal(output.diagnostics, undefined);
    assert.equal(packages.length, 15);
    assert.equal(packages.filter((pkg) => pkg.dev).length, 7);
    assert.equal(byKey.get('pytest@5.4.3')?.dev, true);
    assert.equal(byKey.get('flask@1.0.3')?.dev, false);
    assert.deepEqual(byKey.get('flask@1.0.3')?.dependsOn, ['click@8.1.8', 'itsdangerous@2.2.0', 'jinja2@3.1.5', 'werkzeug@3.1.3']);
    assert.equal(byKey.get('flask@1.0.3')?.direct, undefined);
  });
}

test('poetry univers fixture', { skip: fixture('scancode-univers').skip }, async () => {
  const { packages, byKey } = await analyzeFile(poetryLockFormat, fixture('scancode-univers').path, 'poetry.lock');
  assert.equal(packages.length, 5);
  assert.deepEqual(byKey.get('packaging@21.0')?.dependsOn, ['pyparsing@3.1.2']);
});

test('poetry local, ambiguous, malformed', async () => {
  const text = [
    '[[package]]',
    'name = "Typing_Extensions"',
    'version = "4.0.0"',
    '[[package]]',
    'name = "numpy"',
    'version = "1.24.0"',
    '[[package]]',
    'name = "numpy"',
    'version = "2.0.0"',
    '[[package]]',
    'name = "app"',
    'version = "0.1.0"',
    'groups = ["main"]',
    '[package.source]',
    'type = "directory"',
    'url = "."',
    '[[package]]',
    'name = "lib"',
    'version = "1.0.0"',
    'groups = ["main", "dev"]',
    '[package.dependencies]',
    'typing-extensions = ">=4"',
    'numpy = [{version = "<2", markers = "python_version < \\"3.9\\""}, {version = ">=2"}]',
    '[[package]]',
    'version = "1.0.0"',
  ].join('\n');
  const { output, byKey } = await analyzeText(poetryLockFormat, text, 'poetry.lock');
  assert.deepEqual([...byKey.keys()], ['Typing_Extensions@4.0.0', 'lib@1.0.0', 'numpy@1.24.0', 'numpy@2.0.0']);
  assert.deepEqual(byKey.get('lib@1.0.0')?.dependsOn, ['Typing_Extensions@4.0.0']);
  assert.equal(byKey.get('lib@1.0.0')?.dev, false);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), ['poetry.lock: package[5] has no "name" or "version", so it was skipped']);
});

test('poetry invalid TOML is a diagnostic', async () => {
  const { output } = await analyzeText(poetryLockFormat, '[[package]]\nname = "a\n', 'poetry.lock');
  assert.equal(output.packageSets, undefined);
  assert.match(output.diagnostics?.[0]?.message ?? '', /^poetry\.lock: invalid TOML at line 2/);
});
