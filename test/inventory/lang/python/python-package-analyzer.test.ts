import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { AnalyzerOutput } from '../../../../src/inventory/analyzer.js';
import type { Package } from '../../../../src/model/package.js';
import { normalizePythonName, parsePythonMetadata, pythonPackageAnalyzer } from '../../../../src/inventory/lang/python/python-package-analyzer.js';
import { sharedPath } from '../../../helpers/shared.js';
import { analyzeDirectory, packageKeys } from '../helpers/analyze-directory.js';

const sitePackages = sharedPath('fixtures', 'lang', 'python', 'site-packages');

function packagesOf(outputs: AnalyzerOutput[]): Map<string, Package> {
  const byName = new Map<string, Package>();
  for (const output of outputs) for (const set of output.packageSets ?? []) for (const pkg of set.packages) byName.set(pkg.name, pkg);
  return byName;
}

test('required accepts metadata layouts', () => {
  const cases: Array<[string, boolean]> = [
    ['usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA', true],
    ['usr/lib/python3/dist-packages/six-1.16.0.egg-info', true],
    ['usr/lib/python3/dist-packages/requests.egg-info/PKG-INFO', true],
    ['opt/lib/foo-1.0-py3.8.egg/EGG-INFO/PKG-INFO', true],
    ['six-1.16.0.dist-info/METADATA', true],
    ['usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD', false],
    ['usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA.bak', false],
    ['usr/lib/python3/dist-packages/requests.egg-info/requires.txt', false],
    ['usr/lib/python3/dist-packages/METADATA', false],
  ];
  for (const [path, expected] of cases) {
    assert.equal(pythonPackageAnalyzer.required({ path, size: 100, mode: 0o644 }), expected, path);
  }
});

test('site-packages fixtures', { skip: sitePackages.skip }, async () => {
  const outputs = await analyzeDirectory(pythonPackageAnalyzer, sitePackages.path, 'usr/local/lib/python3.11/site-packages');
  assert.equal(outputs.filter((output) => output.diagnostics).length, 0);
  const targets = new Set(outputs.flatMap((output) => output.packageSets ?? []).map((set) => set.target));
  assert.deepEqual([...targets], ['usr/local/lib/python3.11/site-packages']);
  assert.deepEqual(packageKeys(outputs), [
    'Jinja2@3.1.4',
    'PyYAML@6.0.2',
    'Unidecode@0.4.1',
    'certifi@2024.8.30',
    'email_validator@2.2.0',
    'fastapi@0.115.4',
    'httpx@0.27.2',
    'idna@3.10',
    'networkx@3.0',
    'pydantic@2.9.2',
    'requests@2.22.0',
    'rich@13.9.4',
    'setuptools@51.3.3',
    'starlette@0.41.2',
    'typing_extensions@4.12.2',
    'uvicorn@0.32.0',
  ]);

  const byName = packagesOf(outputs);
  // One row per license source: License-Expression, a one-line License, classifiers, UNKNOWN.
  const licenses: Array<[string, string[] | undefined]> = [
    ['httpx', ['BSD-3-Clause']],
    ['PyYAML', ['MIT']],
    ['requests', ['Apache 2.0']],
    ['fastapi', ['MIT License']],
    ['typing_extensions', ['Python Software Foundation License']],
    ['Unidecode', undefined],
    // An empty line inside its folded Description ends the headers, as in Python's email parser,
    // so the license classifiers after it are body text.
    ['setuptools', undefined],
  ];
  for (const [name, expected] of licenses) assert.deepEqual(byName.get(name)?.licenses, expected, name);

  assert.deepEqual(byName.get('fastapi')?.dependsOn, ['pydantic', 'starlette', 'typing-extensions']);
  assert.deepEqual(byName.get('rich')?.dependsOn, ['markdown-it-py', 'pygments', 'typing-extensions']);
  assert.deepEqual(byName.get('Jinja2')?.dependsOn, ['markupsafe']);
  assert.equal(byName.get('idna')?.dependsOn, undefined);
  assert.equal(byName.get('Jinja2')?.path, 'usr/local/lib/python3.11/site-packages/jinja2-3.1.4.dist-info/METADATA');
});

test('folded headers and license text', () => {
  const text = [
    'Metadata-Version: 2.1',
    'Name: demo',
    'Version: 1.0',
    'License: Copyright (c) 2005 Someone',
    '        All rights reserved.',
    'Classifier: License :: OSI Approved',
    'Classifier: License :: OSI Approved :: BSD License',
    'Requires-Dist: Zope.Interface>=5; python_version>"3"',
    'Requires-Dist: pytest; extra == "test"',
    '',
    'Name: not-a-header in the description',
  ].join('\n');
  const parsed = parsePythonMetadata('x/demo-1.0.dist-info/METADATA', text);
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.package?.name, 'demo');
  assert.deepEqual(parsed.package?.licenses, ['BSD License']);
  assert.deepEqual(parsed.package?.dependsOn, ['zope-interface']);
});

test('missing version is a diagnostic', () => {
  const parsed = parsePythonMetadata('site/x.egg-info', 'Metadata-Version: 1.0\nName: x\nnot a header\n');
  assert.equal(parsed.package, undefined);
  assert.deepEqual(parsed.diagnostics.map((diagnostic) => diagnostic.code), ['FORMAT_INVALID', 'FORMAT_INVALID']);
  assert.match(parsed.diagnostics[0]!.message, /line 3/);
  assert.match(parsed.diagnostics[1]!.message, /no "Version" field/);
});

test('PEP 503 name normalization', () => {
  assert.equal(normalizePythonName('Foo.Bar__baz'), 'foo-bar-baz');
  assert.equal(normalizePythonName('typing_extensions'), 'typing-extensions');
  assert.equal(normalizePythonName('zope.interface'), 'zope-interface');
});

/** Lists `Name@Version` of the distributions in a folder with Python's own importlib.metadata. */
function importlibKeys(python: string, folder: string): string[] {
  const script = [
    'import importlib.metadata as m, sys',
    'for d in m.distributions(path=[sys.argv[1]]):',
    '    print(f"{d.metadata[\'Name\']}@{d.version}")',
  ].join('\n');
  const result = spawnSync(python, ['-c', script, folder], { encoding: 'utf8' });
  return [...new Set(result.stdout.split('\n').filter((line) => line !== ''))].sort();
}

function pythonPurelib(python: string): string | undefined {
  const result = spawnSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const installedFolders: Array<[string, string | undefined]> = [
  ['/usr/bin/python3', '/usr/lib/python3/dist-packages'],
  ['python3', pythonPurelib('python3')],
];
for (const [python, folder] of installedFolders) {
  const skip = folder === undefined || !existsSync(folder) ? `no Python packages folder for ${python}` : false;
  test(`installed packages of ${folder ?? python} match importlib`, { skip }, async () => {
    const outputs = await analyzeDirectory(pythonPackageAnalyzer, folder!, folder!.slice(1));
    const diagnostics = outputs.flatMap((output) => output.diagnostics ?? []);
    assert.deepEqual(diagnostics, []);
    const expected = importlibKeys(python, folder!);
    assert.ok(expected.length > 0, `importlib found no distributions in ${folder}`);
    assert.deepEqual(packageKeys(outputs), expected);
  });
}

/** [metadata file under site-packages, author]: Author with Author-email, Maintainer-email only, and a list of addresses. */
const AUTHORS: Array<[string, { name: string; email?: string }]> = [
  ['PyYAML-6.0.2.dist-info/METADATA', { name: 'Kirill Simonov', email: 'xi@resolvent.net' }],
  ['rich-13.9.4.dist-info/METADATA', { name: 'Will McGugan', email: 'willmcgugan@gmail.com' }],
  ['jinja2-3.1.4.dist-info/METADATA', { name: 'Pallets', email: 'contact@palletsprojects.com' }],
  ['pydantic-2.9.2.dist-info/METADATA', { name: 'Samuel Colvin', email: 's@muelcolvin.com' }],
];

for (const [relativePath, expected] of AUTHORS) {
  const file = sharedPath('fixtures', 'lang', 'python', 'site-packages', relativePath);
  test(`python author of ${relativePath.split('-')[0]}`, { skip: file.skip }, async () => {
    const { readFileSync } = await import('node:fs');
    const parsed = parsePythonMetadata(relativePath, readFileSync(file.path, 'utf8'));
    assert.deepEqual(parsed.package?.author, { ...expected, kind: 'person' });
  });
}

test('python author ignores UNKNOWN', () => {
  const parsed = parsePythonMetadata('x/METADATA', 'Metadata-Version: 1.0\nName: x\nVersion: 1\nAuthor: UNKNOWN\nAuthor-email: UNKNOWN\n');
  assert.equal(parsed.package?.author, undefined);
});
