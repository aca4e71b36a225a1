import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yarnLockFormat } from '../../../src/inventory/lockfiles/yarn-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const trivyV1 = sharedPath('fixtures', 'lang', 'yarn', 'trivy-v1', 'yarn.lock');
const vue = sharedPath('fixtures', 'lang', 'yarn', 'awesome-compose-vuejs-v1', 'yarn.lock');
const trivyBerry = sharedPath('fixtures', 'lang', 'yarn', 'trivy-berry', 'yarn.lock');
const crystal = sharedPath('fixtures', 'lang', 'yarn', 'scancode-crystal-berry', 'yarn.lock');

test('yarn v1 trivy fixture', { skip: trivyV1.skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(yarnLockFormat, trivyV1.path, 'app/yarn.lock');
  assert.equal(output.diagnostics, undefined);
  assert.equal(packages.length, 18);
  assert.deepEqual(byKey.get('@babel/helper-regex@7.4.4')?.dependsOn, ['lodash@4.17.11']);
  assert.ok(byKey.has('ansi-regex@2.1.1'));
  assert.ok(byKey.has('ansi-regex@3.0.0'));
  assert.equal(byKey.get('asap@2.0.6')?.dev, false);
  assert.equal(byKey.get('asap@2.0.6')?.direct, undefined);
});

test('yarn v1 real app with alias', { skip: vue.skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(yarnLockFormat, vue.path, 'yarn.lock');
  assert.equal(output.diagnostics, undefined);
  assert.equal(packages.length, 814);
  // "@vue/vue-loader-v15@npm:vue-loader@^15.9.7" installs vue-loader itself.
  assert.ok(byKey.has('vue-loader@15.9.8'));
  assert.ok(byKey.get('@vue/cli-service@5.0.4')?.dependsOn?.includes('vue-loader@15.9.8'));
});

test('yarn berry trivy fixture', { skip: trivyBerry.skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(yarnLockFormat, trivyBerry.path, 'yarn.lock');
  assert.equal(output.diagnostics, undefined);
  // 18 entries, one of which is the workspace "code@workspace:.".
  assert.equal(packages.length, 17);
  assert.equal(byKey.has('code@0.0.0-use.local'), false);
  assert.equal(byKey.get('async@3.2.0')?.direct, true);
  assert.equal(byKey.get('abbrev@1.1.1')?.direct, false);
  assert.deepEqual(byKey.get('ansi-styles@4.2.1')?.dependsOn, ['@types/color-name@1.1.1', 'color-convert@2.0.1']);
});

test('yarn berry workspaces and patch', { skip: crystal.skip }, async () => {
  const { packages, byKey } = await analyzeFile(yarnLockFormat, crystal.path, 'yarn.lock');
  // 18 entries: 6 workspaces, and typescript@patch: repeats typescript@5.2.2.
  assert.equal(packages.length, 11);
  assert.equal(byKey.get('typescript@5.2.2')?.direct, true);
  assert.deepEqual(byKey.get('@graphql-tools/utils@7.10.0')?.direct, false);
  assert.equal(packages.some((pkg) => pkg.name === 'graphile-build'), false);
});

test('yarn v1 multiple specifiers per entry', async () => {
  const text = [
    '# yarn lockfile v1',
    '',
    '"inherits@2", inherits@2.0.3, "inherits@^2.0.1":',
    '  version "2.0.3"',
    '',
    'util@0.10.4:',
    '  version "0.10.4"',
    '  dependencies:',
    '    inherits "2.0.3"',
    '',
    'broken line',
    'readable-stream@^2:',
    '  version "2.3.8"',
    '  dependencies:',
    '    "inherits" "^2.0.1"',
    '',
  ].join('\n');
  const { output, byKey } = await analyzeText(yarnLockFormat, text, 'yarn.lock');
  assert.deepEqual([...byKey.keys()], ['inherits@2.0.3', 'readable-stream@2.3.8', 'util@0.10.4']);
  assert.deepEqual(byKey.get('util@0.10.4')?.dependsOn, ['inherits@2.0.3']);
  assert.deepEqual(byKey.get('readable-stream@2.3.8')?.dependsOn, ['inherits@2.0.3']);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), ['yarn.lock:11: expected an entry header ending with ":"']);
});

test('yarn berry invalid YAML is a diagnostic', async () => {
  const { output } = await analyzeText(yarnLockFormat, '__metadata:\n  version: 6\n"a@npm:1": [\n', 'yarn.lock');
  assert.equal(output.packageSets, undefined);
  assert.match(output.diagnostics?.[0]?.message ?? '', /^yarn\.lock: invalid YAML/);
});

test('yarn berry alias cap', async () => {
  const text = '__metadata:\n  version: 6\nx: &a {resolution: "a@npm:1.0.0", version: 1.0.0}\n' + 'y: [*a, *a, *a, *a]\n';
  const { output } = await analyzeText(yarnLockFormat, text, 'yarn.lock', { maxYamlAliases: 2 });
  assert.equal(output.diagnostics?.[0]?.code, 'LIMIT_EXCEEDED');
});
