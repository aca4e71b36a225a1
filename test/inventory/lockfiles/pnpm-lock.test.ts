import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeDependencyPath, splitDependencyPath } from '../../../src/inventory/lockfiles/pnpm-dependency-path.js';
import { pnpmLockFormat } from '../../../src/inventory/lockfiles/pnpm-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'pnpm', name, 'pnpm-lock.yaml');

test('pnpm path peer suffixes', () => {
  assert.equal(normalizeDependencyPath('/foo@1.0.0(react@18.0.0)', 'at'), 'foo@1.0.0');
  assert.equal(normalizeDependencyPath('@a/b@2.0.0(@c/d@1.0.0)(e@1.0.0)', 'at'), '@a/b@2.0.0');
  assert.equal(normalizeDependencyPath('/foo_bar/1.0.0_react@18.0.0+@babel+core@7.0.0', 'slash'), 'foo_bar/1.0.0');
  assert.deepEqual(splitDependencyPath('@a/b@2.0.0', 'at'), { name: '@a/b', reference: '2.0.0' });
  assert.deepEqual(splitDependencyPath('@a/b/2.0.0', 'slash'), { name: '@a/b', reference: '2.0.0' });
  assert.deepEqual(splitDependencyPath('registry.npmjs.org/foo/1.0.0', 'slash'), { name: 'foo', reference: '1.0.0' });
});

// Counts are keys under `packages:`. Peer variants of one package would merge into one.
for (const [name, keys, distinct, dev, direct] of [
  ['trivy-v6', 85, 85, 79, 3],
  ['scancode-tabler-v6', 19, 19, 19, 1],
  ['osv-scalibr-v9', 13, 13, 2, 4],
  ['kube-score-v9', 202, 202, 180, 13],
  ['osv.dev-frontend3-v9', 416, 416, 377, 20],
] as const) {
  const file = fixture(name);
  test(`pnpm ${name} fixture has ${keys} packages`, { skip: file.skip }, async () => {
    const { output, packages } = await analyzeFile(pnpmLockFormat, file.path, 'pnpm-lock.yaml');
    assert.equal(output.diagnostics, undefined);
    assert.equal(packages.length, distinct);
    assert.equal(packages.filter((pkg) => pkg.dev).length, dev);
    assert.equal(packages.filter((pkg) => pkg.direct).length, direct);
  });
}

test('pnpm v6 dev flags and dependencies', { skip: fixture('trivy-v6').skip }, async () => {
  const { byKey } = await analyzeFile(pnpmLockFormat, fixture('trivy-v6').path, 'pnpm-lock.yaml');
  assert.equal(byKey.get('react@18.1.0')?.dev, false);
  assert.equal(byKey.get('react@18.1.0')?.direct, true);
  assert.equal(byKey.get('mocha@10.0.0')?.dev, true);
  assert.equal(byKey.get('mocha@10.0.0')?.direct, true);
  assert.deepEqual(byKey.get('@babel/runtime@7.22.3')?.dependsOn, ['regenerator-runtime@0.13.11']);
});

test('pnpm v9 tarballs, file deps, dev reach', { skip: fixture('trivy-v9').skip }, async () => {
  const { packages, byKey } = await analyzeFile(pnpmLockFormat, fixture('trivy-v9').path, 'pnpm-lock.yaml');
  // 22 keys: package1@file:package1 and lodash@file:foo/bar/lodash.tgz are the project's own files.
  assert.equal(packages.length, 20);
  assert.equal(byKey.get('debug@4.3.5')?.direct, true);
  assert.deepEqual(byKey.get('debug@4.3.5')?.dependsOn, ['ms@2.1.2']);
  assert.deepEqual(byKey.get('debug@4.3.4')?.dependsOn, ['ms@2.0.0']);
  assert.equal(byKey.get('is-negative@2.0.1')?.direct, true);
  // ms@2.0.0 is a devDependency but also reached from finalhandler, a production dependency.
  assert.equal(byKey.get('ms@2.0.0')?.dev, false);
  assert.equal(byKey.get('jquery@3.6.0')?.dev, true);
  // asynckit is a dependency of the local package1.
  assert.equal(byKey.get('asynckit@0.4.0')?.dev, false);
  assert.equal(byKey.get('sleep-utils@1.0.3')?.direct, true);
  assert.equal(byKey.get('await-sleep@0.0.1')?.dev, true);
});

test('pnpm v9 peer suffix dependencies', { skip: fixture('osv-scalibr-v9').skip }, async () => {
  const { byKey } = await analyzeFile(pnpmLockFormat, fixture('osv-scalibr-v9').path, 'pnpm-lock.yaml');
  const plugin = byKey.get('@typescript-eslint/eslint-plugin@5.62.0');
  assert.equal(plugin?.direct, true);
  assert.ok(plugin?.dependsOn?.includes('@typescript-eslint/parser@5.62.0'));
  assert.ok(plugin?.dependsOn?.includes('typescript@4.9.5'));
});

test('pnpm v5 slash paths', async () => {
  const text = [
    'lockfileVersion: 5.4',
    'specifiers:',
    '  foo: ^1.0.0',
    'dependencies:',
    '  foo: 1.0.0_react@18.0.0',
    'devDependencies:',
    '  bar-alias: /@scope/bar/2.0.0',
    'packages:',
    '  /foo/1.0.0_react@18.0.0:',
    '    resolution: {integrity: sha512-x}',
    '    dependencies:',
    '      react: 18.0.0',
    '    dev: false',
    '  /react/18.0.0:',
    '    resolution: {integrity: sha512-y}',
    '    dev: false',
    '  /@scope/bar/2.0.0:',
    '    resolution: {integrity: sha512-z}',
    '    dev: true',
  ].join('\n');
  const { output, byKey } = await analyzeText(pnpmLockFormat, text, 'pnpm-lock.yaml');
  assert.equal(output.diagnostics, undefined);
  assert.deepEqual([...byKey.keys()], ['@scope/bar@2.0.0', 'foo@1.0.0', 'react@18.0.0']);
  assert.deepEqual(byKey.get('foo@1.0.0')?.dependsOn, ['react@18.0.0']);
  assert.equal(byKey.get('foo@1.0.0')?.direct, true);
  assert.equal(byKey.get('@scope/bar@2.0.0')?.direct, true);
  assert.equal(byKey.get('@scope/bar@2.0.0')?.dev, true);
  assert.equal(byKey.get('react@18.0.0')?.direct, false);
});

test('pnpm invalid entries are diagnostics', async () => {
  const text = "lockfileVersion: '9.0'\npackages:\n  nonsense: {}\n  ok@1.0.0: {}\n";
  const { output, packages } = await analyzeText(pnpmLockFormat, text, 'pnpm-lock.yaml');
  assert.deepEqual(packages.map((pkg) => pkg.name), ['ok']);
  assert.match(output.diagnostics?.[0]?.message ?? '', /packages\["nonsense"\]/);
});
