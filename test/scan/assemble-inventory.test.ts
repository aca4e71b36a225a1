import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { VisibleAnalysis } from '../../src/artifact/merged-view.js';
import { assembleInventory, compareNatural } from '../../src/scan/assemble-inventory.js';

function npmAnalysis(name: string, layer = 0): VisibleAnalysis {
  const path = `app/node_modules/${name || 'empty'}/package.json`;
  return {
    path,
    analyzer: 'node-pkg',
    layer,
    output: { packageSets: [{ class: 'lang-pkgs', type: 'node-pkg', target: 'app/node_modules', packages: [{ name, version: '1.0.0', path }] }] },
  };
}

test('invalid package names become diagnostics', () => {
  const inventory = assembleInventory([npmAnalysis('left-pad'), npmAnalysis('@/'), npmAnalysis('')]);
  assert.deepEqual(inventory.packageSets.map((set) => set.packages.map((pkg) => pkg.purl)), [['pkg:npm/left-pad@1.0.0']]);
  assert.equal(inventory.diagnostics.length, 2);
  // Diagnostics are sorted by path: `app/node_modules/@/…` before `app/node_modules/empty/…`.
  assert.match(inventory.diagnostics[0]!.message, /skipped package "@\/" "1.0.0"/);
  assert.match(inventory.diagnostics[1]!.message, /skipped package "" "1.0.0"/);
});

test('sets merge by type and target', () => {
  const inventory = assembleInventory([npmAnalysis('b', 1), npmAnalysis('a', 0)], { layerDiffIds: ['sha256:base', 'sha256:top'] });
  assert.equal(inventory.packageSets.length, 1);
  assert.deepEqual(inventory.packageSets[0]!.packages.map((pkg) => [pkg.name, pkg.layerDiffId]), [['a', 'sha256:base'], ['b', 'sha256:top']]);
});

test('dev dependencies are dropped by default', () => {
  const analysis = npmAnalysis('jest');
  analysis.output.packageSets![0]!.packages[0]!.dev = true;
  assert.equal(assembleInventory([analysis]).packageSets.length, 0);
  assert.equal(assembleInventory([analysis], { includeDevDeps: true }).packageSets[0]!.packages[0]!.name, 'jest');
});

test('copyright licences attach to dpkg packages', () => {
  const dpkg: VisibleAnalysis = {
    path: 'var/lib/dpkg/status',
    analyzer: 'dpkg',
    layer: 0,
    output: {
      packageSets: [
        {
          class: 'os-pkgs',
          type: 'dpkg',
          target: 'var/lib/dpkg/status',
          packages: [
            { name: 'bash', version: '5.2', path: 'var/lib/dpkg/status' },
            { name: 'zlib1g', version: '1.2', path: 'var/lib/dpkg/status', licenses: ['Zlib'] },
            { name: 'tar', version: '1.34', path: 'var/lib/dpkg/status' },
          ],
        },
      ],
    },
  };
  const copyright = (name: string, licenses: string[]): VisibleAnalysis => ({
    path: `usr/share/doc/${name}/copyright`,
    analyzer: 'dpkg-copyright',
    layer: 0,
    output: { packageLicenses: [{ type: 'dpkg', name, licenses }] },
  });
  const node = npmAnalysis('bash');
  const inventory = assembleInventory([dpkg, node, copyright('bash', ['GPL-3.0-or-later']), copyright('zlib1g', ['LicenseRef-other'])]);
  const dpkgSet = inventory.packageSets.find((set) => set.type === 'dpkg')!;
  assert.deepEqual(dpkgSet.packages.map((pkg) => [pkg.name, pkg.licenses]), [['bash', ['GPL-3.0-or-later']], ['tar', undefined], ['zlib1g', ['Zlib']]]);
  const npmSet = inventory.packageSets.find((set) => set.type === 'node-pkg')!;
  assert.equal(npmSet.packages[0]!.licenses, undefined);
});

test('compareNatural orders line numbers', () => {
  const lines = ['f:line 10', 'f:line 2', 'f:line 1', 'e:line 3'];
  assert.deepEqual([...lines].sort(compareNatural), ['e:line 3', 'f:line 1', 'f:line 2', 'f:line 10']);
  assert.equal(compareNatural('a', 'a'), 0);
  assert.equal(compareNatural('a1', 'a01') !== 0, true);
});
