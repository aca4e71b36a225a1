import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requirementsTxtFormat } from '../../../src/inventory/lockfiles/requirements-txt.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'python', 'requirements', name, 'requirements.txt');

test('requirements file names', () => {
  assert.equal(requirementsTxtFormat.matches('app/requirements.txt'), true);
  assert.equal(requirementsTxtFormat.matches('requirements-dev.txt'), true);
  assert.equal(requirementsTxtFormat.matches('dev-requirements.txt'), true);
  assert.equal(requirementsTxtFormat.matches('requirements.in'), false);
  assert.equal(requirementsTxtFormat.matches('notrequirements.txt'), false);
});

for (const [name, count] of [
  ['microservices-demo-emailservice', 35],
  ['microservices-demo-recommendationservice', 31],
  ['microservices-demo-shoppingassistantservice', 79],
] as const) {
  test(`requirements ${name} pins`, { skip: fixture(name).skip }, async () => {
    const { output, packages } = await analyzeFile(requirementsTxtFormat, fixture(name).path, 'requirements.txt');
    // `# via -r requirements.in` comments must not count as includes.
    assert.equal(output.diagnostics, undefined);
    assert.equal(packages.length, count);
  });
}

test('requirements extras keep the name', { skip: fixture('microservices-demo-emailservice').skip }, async () => {
  const { byKey } = await analyzeFile(requirementsTxtFormat, fixture('microservices-demo-emailservice').path, 'requirements.txt');
  assert.ok(byKey.has('google-api-core@2.28.1'));
});

test('requirements operators fixture', { skip: fixture('trivy-operator').skip }, async () => {
  const { output, byKey } = await analyzeFile(requirementsTxtFormat, fixture('trivy-operator').path, 'requirements.txt');
  assert.deepEqual([...byKey.keys()], ['Django@2.3.4', 'SomeProject@5.4']);
  assert.equal(output.diagnostics?.length, 1);
  assert.match(output.diagnostics?.[0]?.message ?? '', /skipped 6 requirements without an exact "==" pin \(lines 1, 2, 3, 6, 7, 8\)/);
});

test('requirements hashes, includes, markers', async () => {
  const text = [
    '--index-url https://pypi.example.invalid/simple',
    '-r base.txt',
    '--constraint=constraints.txt',
    'urllib3==2.2.1 \\',
    '    --hash=sha256:aaaa \\',
    '    --hash=sha256:bbbb',
    'requests[socks,security] === 2.31.0 ; python_version >= "3.8"  # pinned',
    'flask==3.*',
    '-e git+https://example.invalid/repo.git#egg=repo',
    'pkg @ https://example.invalid/pkg-1.0.tar.gz',
    '#commented==1.0',
    '!!invalid',
  ].join('\n');
  const { output, byKey } = await analyzeText(requirementsTxtFormat, text, 'requirements.txt');
  assert.deepEqual([...byKey.keys()], ['requests@2.31.0', 'urllib3@2.2.1']);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), [
    'requirements.txt:2: did not follow "-r base.txt"; scan that file as well to list its packages',
    'requirements.txt:3: did not follow "--constraint constraints.txt"; scan that file as well to list its packages',
    'requirements.txt:12: "!!invalid" is not a valid requirement, so it was skipped',
    'requirements.txt: skipped 3 requirements without an exact "==" pin (lines 8, 9, 10); pin them, or scan the installed packages to learn their versions',
  ]);
});
