import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalyzerOutput } from '../../../../src/inventory/analyzer.js';
import { nodePackageAnalyzer, npmLicenses, parsePackageJson } from '../../../../src/inventory/lang/npm/node-package-analyzer.js';
import { PROJECT_ROOT } from '../../../helpers/shared.js';
import { analyzeDirectory, packageKeys } from '../helpers/analyze-directory.js';

function analyze(path: string, manifest: unknown): AnalyzerOutput {
  const content = Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return nodePackageAnalyzer.analyze({ info: { path, size: content.length, mode: 0o644 }, content }) as AnalyzerOutput;
}

/**
 * Returns the `name@version` keys that `npm ls --all --json` prints for a tree (read-only). npm
 * exits non-zero for extraneous or invalid packages but still prints the tree, so only the
 * output is used.
 */
function npmLsKeys(args: string[], cwd: string): string[] {
  const output = spawnSync('npm', ['ls', '--all', '--json', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
  const keys = new Set<string>();
  const visit = (dependencies: Record<string, { version?: string; missing?: boolean; dependencies?: object }> | undefined): void => {
    for (const [name, node] of Object.entries(dependencies ?? {})) {
      if (node.version !== undefined && !node.missing) keys.add(`${name}@${node.version}`);
      visit(node.dependencies as never);
    }
  };
  visit((JSON.parse(output) as { dependencies?: never }).dependencies);
  return [...keys].sort();
}

test('required accepts only package roots', () => {
  const cases: Array<[string, boolean]> = [
    ['app/node_modules/lodash/package.json', true],
    ['app/node_modules/@babel/core/package.json', true],
    ['node_modules/lodash/package.json', true],
    ['app/node_modules/a/node_modules/b/package.json', true],
    ['app/node_modules/.pnpm/b@1.0.0/node_modules/b/package.json', true],
    ['usr/lib/node_modules/npm/package.json', true],
    ['app/node_modules/lodash/test/package.json', false],
    ['app/node_modules/@babel/package.json', false],
    ['app/node_modules/package.json', false],
    ['app/node_modules/.bin/package.json', false],
    ['app/package.json', false],
    ['app/node_modules/lodash/package.json.bak', false],
  ];
  for (const [path, expected] of cases) {
    assert.equal(nodePackageAnalyzer.required({ path, size: 100, mode: 0o644 }), expected, path);
  }
});

test('target is top-most node_modules', () => {
  const nested = analyze('srv/app/node_modules/a/node_modules/@s/b/package.json', { name: '@s/b', version: '2.0.0' });
  assert.equal(nested.packageSets?.[0]?.target, 'srv/app/node_modules');
  assert.equal(nested.packageSets?.[0]?.type, 'node-pkg');
  assert.equal(nested.packageSets?.[0]?.class, 'lang-pkgs');
  assert.deepEqual(nested.packageSets?.[0]?.packages, [{ name: '@s/b', version: '2.0.0', path: 'srv/app/node_modules/a/node_modules/@s/b/package.json' }]);

  const global = analyze('usr/local/lib/node_modules/npm/node_modules/semver/package.json', { name: 'semver', version: '7.6.0' });
  assert.equal(global.packageSets?.[0]?.target, 'usr/local/lib/node_modules');
});

test('licenses in every npm form', () => {
  assert.deepEqual(npmLicenses({ license: 'MIT' }), ['MIT']);
  assert.deepEqual(npmLicenses({ license: '(MIT OR Apache-2.0)' }), ['(MIT OR Apache-2.0)']);
  assert.deepEqual(npmLicenses({ license: { type: 'ISC', url: 'https://example.invalid/isc' } }), ['ISC']);
  assert.deepEqual(npmLicenses({ licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }] }), ['MIT', 'GPL-2.0']);
  assert.deepEqual(npmLicenses({ licenses: ['BSD-3-Clause'] }), ['BSD-3-Clause']);
  assert.deepEqual(npmLicenses({ licenses: { type: 'Apache-2.0' } }), ['Apache-2.0']);
  assert.deepEqual(npmLicenses({ license: 'MIT', licenses: [{ type: 'MIT' }] }), ['MIT']);
  assert.deepEqual(npmLicenses({ license: 42 }), []);
});

test('dependsOn from dependencies', () => {
  const parsed = parsePackageJson('node_modules/x/package.json', Buffer.from(JSON.stringify({
    name: 'x',
    version: '1.0.0',
    dependencies: { zlib: '^1', 'a-lib': '^2' },
    optionalDependencies: { fsevents: '^2' },
    devDependencies: { mocha: '^10' },
    peerDependencies: { react: '^18' },
  })));
  assert.ok('package' in parsed);
  assert.deepEqual(parsed.package.dependsOn, ['a-lib', 'fsevents', 'zlib']);
});

test('malformed manifests become diagnostics', () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{"name": "x", ', /invalid JSON/],
    [[1, 2], /not a JSON object/],
    [{ version: '1.0.0' }, /no "name"/],
    [{ name: 'x' }, /"x" has no "version"/],
    [{ name: 'x', version: 7 }, /"x" has no "version"/],
  ];
  for (const [manifest, message] of cases) {
    const output = analyze('app/node_modules/x/package.json', manifest);
    assert.equal(output.packageSets, undefined);
    assert.equal(output.diagnostics?.length, 1);
    assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
    assert.equal(output.diagnostics?.[0]?.target, 'app/node_modules/x/package.json');
    assert.match(output.diagnostics?.[0]?.message ?? '', message);
  }
});

test('byte order mark is accepted', () => {
  const output = analyze('node_modules/x/package.json', `\uFEFF${JSON.stringify({ name: 'x', version: '1.0.0' })}`);
  assert.equal(output.packageSets?.[0]?.packages[0]?.version, '1.0.0');
});

test('project node_modules matches npm ls', async () => {
  const outputs = await analyzeDirectory(nodePackageAnalyzer, join(PROJECT_ROOT, 'node_modules'), 'node_modules');
  assert.equal(outputs.filter((output) => output.diagnostics).length, 0);
  assert.deepEqual(packageKeys(outputs), npmLsKeys([], PROJECT_ROOT));
});

const globalRoot = '/usr/lib/node_modules';
test('global npm install matches npm ls -g', { skip: existsSync(join(globalRoot, 'npm')) ? false : `no global npm at ${globalRoot}` }, async () => {
  const outputs = await analyzeDirectory(nodePackageAnalyzer, globalRoot, 'usr/lib/node_modules');
  const targets = new Set(outputs.flatMap((output) => output.packageSets ?? []).map((set) => set.target));
  assert.deepEqual([...targets], ['usr/lib/node_modules']);
  assert.deepEqual(packageKeys(outputs), npmLsKeys(['-g'], '/tmp'));
});

test('npm author string and object', () => {
  const cases: Array<[unknown, { name: string; email?: string } | undefined]> = [
    ['Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)', { name: 'Isaac Z. Schlueter', email: 'i@izs.me' }],
    [{ name: 'TJ Holowaychuk', email: 'tj@vision-media.ca', url: 'https://tjholowaychuk.com' }, { name: 'TJ Holowaychuk', email: 'tj@vision-media.ca' }],
    [{ name: 'GitHub Inc.' }, { name: 'GitHub Inc.' }],
    [{ email: 'no-name@example.com' }, undefined],
    [42, undefined],
  ];
  for (const [author, expected] of cases) {
    const output = analyze('app/node_modules/x/package.json', { name: 'x', version: '1.0.0', author });
    const pkg = output.packageSets?.[0]?.packages[0];
    assert.deepEqual(pkg?.author, expected === undefined ? undefined : { ...expected, kind: 'person' }, JSON.stringify(author));
  }
});
