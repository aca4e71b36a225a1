import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goModFormat } from '../../../src/inventory/lockfiles/go-mod.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'go', name, 'go.mod');

test('go.mod frontend fixture', { skip: fixture('microservices-demo-frontend').skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(goModFormat, fixture('microservices-demo-frontend').path, 'src/frontend/go.mod');
  assert.equal(output.diagnostics, undefined);
  assert.equal(packages.length, 47);
  assert.equal(packages.filter((pkg) => pkg.direct).length, 14);
  assert.equal(byKey.get('github.com/google/uuid@v1.6.0')?.direct, true);
  assert.equal(byKey.get('cloud.google.com/go@v0.123.0')?.direct, false);
});

test('go.mod trivy normal fixture', { skip: fixture('trivy-normal').skip }, async () => {
  const { packages, byKey } = await analyzeFile(goModFormat, fixture('trivy-normal').path, 'go.mod');
  assert.equal(packages.length, 5);
  assert.equal(byKey.get('github.com/aquasecurity/go-version@v0.0.0-20240603093900-cf8a8d29271d')?.direct, true);
  assert.equal(byKey.get('github.com/stretchr/testify@v1.9.0')?.direct, false);
});

test('go.mod before 1.17 warns', { skip: fixture('trivy-go116').skip }, async () => {
  const { output, packages } = await analyzeFile(goModFormat, fixture('trivy-go116').path, 'go.mod');
  assert.equal(packages.length, 2);
  assert.equal(output.diagnostics?.[0]?.code, 'UNSUPPORTED');
  assert.match(output.diagnostics?.[0]?.message ?? '', /^go\.mod:3: "go 1\.16" is below 1\.17/);
});

test('go.mod replace and exclude', async () => {
  const text = [
    'module example.com/app',
    '',
    'go 1.22',
    '',
    'require (',
    '\tgolang.org/x/net v0.1.0',
    '\texample.com/forked v1.0.0 // indirect',
    '\texample.com/local v0.0.0-00010101000000-000000000000',
    '\t"example.com/quoted" v2.0.0+incompatible // indirect; kept for tests',
    ')',
    '',
    'exclude golang.org/x/net v0.0.9',
    'replace golang.org/x/net v0.1.0 => golang.org/x/net v0.17.0',
    'replace (',
    '\texample.com/forked => github.com/me/forked v1.0.1',
    '\texample.com/local => ../local',
    ')',
    'require broken',
  ].join('\n');
  const { output, byKey } = await analyzeText(goModFormat, text, 'go.mod');
  assert.deepEqual([...byKey.keys()], ['example.com/quoted@v2.0.0+incompatible', 'github.com/me/forked@v1.0.1', 'golang.org/x/net@v0.17.0']);
  assert.equal(byKey.get('golang.org/x/net@v0.17.0')?.direct, true);
  assert.equal(byKey.get('github.com/me/forked@v1.0.1')?.direct, false);
  assert.equal(byKey.get('example.com/quoted@v2.0.0+incompatible')?.direct, false);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), ['go.mod:18: expected "require <module> <version>", so the line was skipped']);
});

test('go.mod unclosed block', async () => {
  const { output, packages } = await analyzeText(goModFormat, 'module a\nrequire (\n\tb v1.0.0\n', 'go.mod');
  assert.equal(packages.length, 1);
  assert.match(output.diagnostics?.[0]?.message ?? '', /the "require \(" block is not closed/);
});

test('go.mod skips vendored copies', () => {
  assert.equal(goModFormat.matches('src/go.mod'), true);
  assert.equal(goModFormat.matches('src/vendor/example.com/x/go.mod'), false);
});
