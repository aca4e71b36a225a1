import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cargoLockFormat } from '../../../src/inventory/lockfiles/cargo-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const fixture = (name: string) => sharedPath('fixtures', 'lang', 'cargo', name, 'Cargo.lock');

test('cargo trivy-ci-test fixture', { skip: fixture('trivy-ci-test').skip }, async () => {
  const { output, packages, byKey } = await analyzeFile(cargoLockFormat, fixture('trivy-ci-test').path, 'Cargo.lock');
  assert.equal(output.diagnostics, undefined);
  // 74 [[package]] tables, one of which is the local crate "normal".
  assert.equal(packages.length, 73);
  assert.equal(byKey.has('normal@0.1.0'), false);
  // "normal" requires ammonia 2.0.0, libc 0.2.54 and openssl 0.8.3, but ammonia 2.0.0 is not locked.
  assert.deepEqual(packages.filter((pkg) => pkg.direct).map((pkg) => `${pkg.name}@${pkg.version}`), ['libc@0.2.54', 'openssl@0.8.3']);
  assert.deepEqual(byKey.get('ammonia@1.9.0')?.dependsOn?.slice(0, 2), ['html5ever@0.23.0', 'lazy_static@1.3.0']);
  assert.ok(byKey.has('bitflags@0.7.0'));
  assert.ok(byKey.has('bitflags@1.0.4'));
});

test('cargo in-toto fixture', { skip: fixture('in-toto-attestation').skip }, async () => {
  const { packages } = await analyzeFile(cargoLockFormat, fixture('in-toto-attestation').path, 'Cargo.lock');
  // 53 [[package]] tables, one of which is the project's own crate.
  assert.equal(packages.length, 52);
  assert.equal(packages.every((pkg) => pkg.dev === false), true);
});

test('cargo ambiguous names need versions', async () => {
  const text = [
    'version = 3',
    '[[package]]',
    'name = "app"',
    'version = "0.1.0"',
    'dependencies = ["rand 0.8.5", "serde"]',
    '[[package]]',
    'name = "rand"',
    'version = "0.7.3"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    '[[package]]',
    'name = "rand"',
    'version = "0.8.5"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    'dependencies = ["rand"]',
    '[[package]]',
    'name = "serde"',
    'version = "1.0.0"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
  ].join('\n');
  const { byKey } = await analyzeText(cargoLockFormat, text, 'Cargo.lock');
  assert.deepEqual([...byKey.keys()], ['rand@0.7.3', 'rand@0.8.5', 'serde@1.0.0']);
  assert.equal(byKey.get('rand@0.8.5')?.direct, true);
  assert.equal(byKey.get('rand@0.7.3')?.direct, false);
  assert.equal(byKey.get('serde@1.0.0')?.direct, true);
  // A bare "rand" is ambiguous with two versions locked, so it resolves to nothing.
  assert.equal(byKey.get('rand@0.8.5')?.dependsOn, undefined);
});
