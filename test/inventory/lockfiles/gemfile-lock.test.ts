import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gemfileLockFormat } from '../../../src/inventory/lockfiles/gemfile-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'ruby', name, 'Gemfile.lock');

test('gemfile osv-schema fixture', { skip: fixture('osv-schema-docs').skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(gemfileLockFormat, fixture('osv-schema-docs').path, 'docs/Gemfile.lock');
  assert.equal(output.diagnostics, undefined);
  // 110 GEM specs, of which 14 are more platform builds of ffi, nokogiri and others.
  assert.equal(packages.length, 96);
  assert.ok(byKey.has('ffi@1.17.3'));
  assert.deepEqual(packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name), ['github-pages', 'jekyll-feed', 'webrick']);
  assert.deepEqual(byKey.get('addressable@2.9.0')?.dependsOn, ['public_suffix@4.0.7']);
  assert.equal(byKey.get('addressable@2.9.0')?.dev, false);
});

test('gemfile GIT and PATH sections', { skip: fixture('scancode-complex').skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(gemfileLockFormat, fixture('scancode-complex').path, 'Gemfile.lock');
  assert.equal(output.diagnostics, undefined);
  // 212 GEM specs (192 distinct without platforms) and 3 GIT gems; PATH gems are the project.
  assert.equal(packages.length, 195);
  assert.ok(byKey.has('mysql2@0.5.3'));
  assert.equal(byKey.has('actioncable@7.0.0.alpha'), false);
  assert.deepEqual(byKey.get('queue_classic@4.0.0.pre.alpha1')?.dependsOn, ['pg@1.2.3']);
});

test('gemfile malformed spec line', async () => {
  const text = ['GEM', '  remote: https://rubygems.org/', '  specs:', '    rake (13.0.6)', '    bad line here', '    loose (>= 1)', '', 'DEPENDENCIES', '  rake!', ''].join('\n');
  const { output, byKey } = await analyzeText(gemfileLockFormat, text, 'Gemfile.lock');
  assert.deepEqual([...byKey.keys()], ['rake@13.0.6']);
  assert.equal(byKey.get('rake@13.0.6')?.direct, true);
  assert.deepEqual(output.diagnostics?.map((diagnostic) => diagnostic.message), [
    'Gemfile.lock:5: expected "name (version)" under specs:, found "bad line here", so it was skipped',
    'Gemfile.lock:6: the spec "loose (>= 1)" has no exact version, so it was skipped',
  ]);
});
