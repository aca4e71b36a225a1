import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { npmLockFormat } from '../../../src/inventory/lockfiles/npm-lock.js';
import { PROJECT_ROOT, sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const trivyV1 = sharedPath('fixtures', 'lang', 'npm', 'trivy', 'package-lock_v1.json');
const trivyV2 = sharedPath('fixtures', 'lang', 'npm', 'trivy', 'package-lock_v2.json');
const trivyV3 = sharedPath('fixtures', 'lang', 'npm', 'trivy', 'package-lock_v3.json');
const payment = sharedPath('fixtures', 'lang', 'npm', 'microservices-demo-paymentservice', 'package-lock.json');
const currency = sharedPath('fixtures', 'lang', 'npm', 'microservices-demo-currencyservice', 'package-lock.json');

test('npm lock matches lock files outside node_modules', () => {
  assert.equal(npmLockFormat.matches('app/package-lock.json'), true);
  assert.equal(npmLockFormat.matches('npm-shrinkwrap.json'), true);
  assert.equal(npmLockFormat.matches('app/node_modules/x/npm-shrinkwrap.json'), false);
  assert.equal(npmLockFormat.matches('app/package.json'), false);
});

// The trivy fixtures lock one project in three formats: 33 install locations, of which
// debug@2.6.9 and ms@2.0.0 are installed twice, so 31 distinct packages.
for (const [version, fixture] of [
  [1, trivyV1],
  [2, trivyV2],
  [3, trivyV3],
] as const) {
  test(`npm lock v${version} trivy fixture`, { skip: fixture.skip }, async () => {
    const { output, packages, byKey } = await analyzeFile(npmLockFormat, fixture.path, 'app/package-lock.json');
    assert.equal(output.diagnostics, undefined);
    assert.equal(packages.length, 31);
    assert.equal(packages.filter((pkg) => pkg.dev).map((pkg) => `${pkg.name}@${pkg.version}`).join(','), 'debug@2.5.2,ms@0.7.2');
    assert.deepEqual(byKey.get('body-parser@1.18.3')?.dependsOn?.slice(0, 3), ['bytes@3.0.0', 'content-type@1.0.5', 'debug@2.6.9']);
    assert.deepEqual(byKey.get('debug@2.5.2')?.dependsOn, ['ms@0.7.2']);
    assert.equal(byKey.get('asap@2.0.6')?.path, 'app/package-lock.json');
    assert.equal(output.packageSets?.[0]?.type, 'npm');
    assert.equal(output.packageSets?.[0]?.target, 'app/package-lock.json');
    const direct = packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name);
    // v1 does not record the project's own dependencies.
    if (version === 1) assert.deepEqual(direct, []);
    else assert.deepEqual(direct, ['@babel/helper-string-parser', 'body-parser', 'debug', 'finalhandler', 'ms', 'promise']);
  });
}

// Each lock records `integrity` for all 33 install locations; the hex is the base64 digest decoded with Python.
for (const [version, fixture] of [
  [2, trivyV2],
  [3, trivyV3],
] as const) {
  test(`npm lock v${version} integrity hashes`, { skip: fixture.skip }, async () => {
    const { packages, byKey } = await analyzeFile(npmLockFormat, fixture.path, 'app/package-lock.json');
    assert.equal(packages.filter((pkg) => pkg.hashes?.length === 1).length, 31);
    assert.deepEqual(byKey.get('@babel/helper-string-parser@7.19.4')?.hashes, [
      { algorithm: 'SHA-512', value: '9c7b43a1072ea859b060d60fcf745a879a61da9f0f15e142b1993d03fe3c74f73fac6a1c279277840019ee96fbe95597ddf64abbeb84aff1611f98cbc7bba6af' },
    ]);
  });
}

test('npm lock v1 integrity hashes', { skip: trivyV1.skip }, async () => {
  const { byKey } = await analyzeFile(npmLockFormat, trivyV1.path, 'app/package-lock.json');
  assert.equal(byKey.get('@babel/helper-string-parser@7.19.4')?.hashes?.[0]?.value.slice(0, 16), '9c7b43a1072ea859');
});

test('npm lock counts real app fixtures', { skip: payment.skip || currency.skip }, async () => {
  // 237 and 300 install locations, of which the rest are second copies of one name@version.
  for (const [fixture, locations, distinct] of [
    [payment, 237, 209],
    [currency, 300, 273],
  ] as const) {
    const lock = JSON.parse(readFileSync(fixture.path, 'utf8')) as { packages: Record<string, { version: string; name?: string }> };
    const keys = Object.keys(lock.packages).filter((key) => key !== '');
    assert.equal(keys.length, locations);
    const { packages } = await analyzeFile(npmLockFormat, fixture.path, 'package-lock.json');
    assert.equal(packages.length, distinct);
  }
});

test('npm lock agrees with npm ls on the project', async () => {
  const { packages } = await analyzeFile(npmLockFormat, join(PROJECT_ROOT, 'package-lock.json'), 'package-lock.json');
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string; optional?: boolean }>;
  };

  // `npm ls` exits non-zero when optional platform packages are missing, but still prints the tree.
  let listing: string;
  try {
    listing = execFileSync('npm', ['ls', '--all', '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    listing = (error as { stdout: string }).stdout;
  }
  interface Node {
    name?: string;
    version?: string;
    dependencies?: Record<string, Node>;
  }
  const installed = new Set<string>();
  const walk = (node: Node): void => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.version !== undefined) installed.add(`${child.name ?? name}@${child.version}`);
      walk(child);
    }
  };
  walk(JSON.parse(listing) as Node);

  const parsed = new Set(packages.map((pkg) => `${pkg.name}@${pkg.version}`));
  for (const key of installed) assert.ok(parsed.has(key), `npm ls lists ${key}, the analyzer does not`);
  // The lock file also lists optional packages for other platforms, which npm did not install.
  const optionalVersions = new Set(
    Object.entries(lock.packages)
      .filter(([, entry]) => entry.optional === true)
      .map(([location, entry]) => `${location.slice(location.lastIndexOf('node_modules/') + 13)}@${entry.version}`),
  );
  for (const key of parsed) assert.ok(installed.has(key) || optionalVersions.has(key), `${key} is neither installed nor optional`);
  assert.equal(packages.length, new Set([...installed, ...optionalVersions]).size);
});

test('npm lock v1 resolves nested dependencies', async () => {
  const lock = {
    lockfileVersion: 1,
    dependencies: {
      a: { version: '1.0.0', requires: { b: '^2.0.0', c: '^1.0.0' }, dependencies: { b: { version: '2.0.0', dev: true } } },
      b: { version: '1.0.0', requires: { c: '^1.0.0' } },
      c: { version: '1.0.0' },
      'string-width-cjs': { version: 'npm:string-width@4.2.3' },
      local: { version: 'file:packages/local' },
    },
  };
  const { packages, byKey } = await analyzeText(npmLockFormat, JSON.stringify(lock), 'package-lock.json');
  assert.deepEqual(packages.map((pkg) => `${pkg.name}@${pkg.version}`), ['a@1.0.0', 'b@1.0.0', 'b@2.0.0', 'c@1.0.0', 'string-width@4.2.3']);
  assert.deepEqual(byKey.get('a@1.0.0')?.dependsOn, ['b@2.0.0', 'c@1.0.0']);
  assert.deepEqual(byKey.get('b@1.0.0')?.dependsOn, ['c@1.0.0']);
  assert.equal(byKey.get('b@2.0.0')?.dev, true);
  assert.equal(byKey.get('a@1.0.0')?.direct, undefined);
});

test('npm lock v2 prefers packages over dependencies', async () => {
  const lock = {
    lockfileVersion: 2,
    packages: { '': { dependencies: { a: '^1' } }, 'node_modules/a': { version: '1.0.1' } },
    dependencies: { a: { version: '1.0.0' } },
  };
  const { packages } = await analyzeText(npmLockFormat, JSON.stringify(lock), 'package-lock.json');
  assert.deepEqual(packages.map((pkg) => `${pkg.name}@${pkg.version}`), ['a@1.0.1']);
  assert.equal(packages[0]?.direct, true);
});

test('npm lock workspaces, links, aliases, bundles', async () => {
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'root', workspaces: ['packages/*'], devDependencies: { tool: '^1' } },
      'packages/web': { name: 'web', version: '0.1.0', dependencies: { lib: '^1', 'old-react': 'npm:react@^16' } },
      'node_modules/web': { resolved: 'packages/web', link: true },
      'node_modules/lib': { version: '1.2.0', dependencies: { web: '*', inner: '^1' } },
      'node_modules/lib/node_modules/inner': { version: '1.0.0', inBundle: true },
      'node_modules/old-react': { name: 'react', version: '16.14.0' },
      'node_modules/tool': { version: '1.0.0', devOptional: true },
      'packages/web/node_modules/lib': { version: '2.0.0' },
    },
  };
  const { output, packages, byKey } = await analyzeText(npmLockFormat, JSON.stringify(lock), 'package-lock.json');
  assert.equal(output.diagnostics, undefined);
  assert.deepEqual(packages.map((pkg) => `${pkg.name}@${pkg.version}`), ['inner@1.0.0', 'lib@1.2.0', 'lib@2.0.0', 'react@16.14.0', 'tool@1.0.0']);
  // The link to the workspace resolves to project code, which is not a package of the set.
  assert.deepEqual(byKey.get('lib@1.2.0')?.dependsOn, ['inner@1.0.0']);
  assert.equal(byKey.get('lib@2.0.0')?.direct, true);
  assert.equal(byKey.get('react@16.14.0')?.direct, true);
  assert.equal(byKey.get('inner@1.0.0')?.direct, false);
  assert.equal(byKey.get('tool@1.0.0')?.dev, true);
});

test('npm lock reports entries without version', async () => {
  const lock = { lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { resolved: 'x' }, 'node_modules/b': 7, 'node_modules/c': { version: '1.0.0' } } };
  const { output, packages } = await analyzeText(npmLockFormat, JSON.stringify(lock), 'p/package-lock.json');
  assert.deepEqual(packages.map((pkg) => pkg.name), ['c']);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), [
    'p/package-lock.json: packages["node_modules/b"] is not an object, so it was skipped',
    'p/package-lock.json: packages["node_modules/a"] has no "version", so it was skipped',
  ]);
});

test('npm lock invalid JSON is a diagnostic', async () => {
  const { output } = await analyzeText(npmLockFormat, '{"lockfileVersion": 3, "packages": {', 'package-lock.json');
  assert.equal(output.packageSets, undefined);
  assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
  assert.match(output.diagnostics?.[0]?.message ?? '', /^package-lock\.json: invalid JSON/);
});

test('npm lock caps depth, size and count', async () => {
  const deep = `${'['.repeat(50)}${']'.repeat(50)}`;
  const depth = await analyzeText(npmLockFormat, deep, 'package-lock.json', { maxJsonDepth: 20 });
  assert.equal(depth.output.diagnostics?.[0]?.code, 'LIMIT_EXCEEDED');
  assert.match(depth.output.diagnostics?.[0]?.message ?? '', /50 levels deep, above the maxJsonDepth limit of 20/);

  const size = await analyzeText(npmLockFormat, '{"lockfileVersion":3}', 'package-lock.json', { maxFileSize: 10 });
  assert.equal(size.output.diagnostics?.[0]?.code, 'LIMIT_EXCEEDED');
  assert.equal(size.output.packageSets, undefined);

  const lock = { lockfileVersion: 3, packages: { 'node_modules/a': { version: '1' }, 'node_modules/b': { version: '1' }, 'node_modules/c': { version: '1' } } };
  const count = await analyzeText(npmLockFormat, JSON.stringify(lock), 'package-lock.json', { maxPackages: 2 });
  assert.equal(count.packages.length, 2);
  assert.equal(count.output.diagnostics?.[0]?.code, 'LIMIT_EXCEEDED');
  assert.match(count.output.diagnostics?.[0]?.message ?? '', /kept the first 2 packages and dropped 1 more/);
});
