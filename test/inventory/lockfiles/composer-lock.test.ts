import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composerLockFormat } from '../../../src/inventory/lockfiles/composer-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'php', name, 'composer.lock');

for (const [name, production, development] of [
  ['trivy-happy', 8, 2],
  ['scancode', 8, 22],
] as const) {
  test(`composer ${name} fixture`, { skip: fixture(name).skip }, async () => {
    const { output, packages } = await analyzeFile(composerLockFormat, fixture(name).path, 'composer.lock');
    assert.equal(output.diagnostics, undefined);
    assert.equal(packages.filter((pkg) => !pkg.dev).length, production);
    assert.equal(packages.filter((pkg) => pkg.dev).length, development);
  });
}

test('composer dependencies by name', { skip: fixture('trivy-happy').skip }, async () => {
  const { byKey } = await analyzeFile(composerLockFormat, fixture('trivy-happy').path, 'composer.lock');
  // "php" and "ext-json" are platform requirements, not packages.
  assert.deepEqual(byKey.get('guzzlehttp/guzzle@6.5.8')?.dependsOn, ['guzzlehttp/promises@1.5.2', 'guzzlehttp/psr7@1.9.0', 'symfony/polyfill-intl-idn@v1.27.0']);
  assert.equal(byKey.get('guzzlehttp/guzzle@6.5.8')?.direct, undefined);
});

test('composer malformed entries', async () => {
  const lock = { packages: [{ name: 'a/b', version: '1.0.0', require: { 'C/D': '^2' } }, { name: 'c/d', version: 'v2.1.0' }, { version: '1' }], 'packages-dev': {} };
  const { output, byKey } = await analyzeText(composerLockFormat, JSON.stringify(lock), 'composer.lock');
  assert.deepEqual(byKey.get('a/b@1.0.0')?.dependsOn, ['c/d@v2.1.0']);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), [
    'composer.lock: packages[2] has no "name" or "version", so it was skipped',
    'composer.lock: "packages-dev" is not an array, so it was skipped',
  ]);
});
