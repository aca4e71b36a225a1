import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as bulwark from '../src/index.js';

describe('package entry point', () => {
  it('exports compareVersions for every scheme', () => {
    assert.deepEqual([...bulwark.VERSION_SCHEMES].sort(), ['apk', 'composer', 'dpkg', 'go', 'maven', 'pep440', 'rpm', 'rubygems', 'semver']);
    assert.equal(bulwark.compareVersions('dpkg', '1:2.0-1', '2.0-1'), 1);
    assert.equal(bulwark.compareVersions('apk', '1.2.3-r0', '1.2.3-r1'), -1);
    assert.equal(bulwark.compareVersions('rpm', '1.0-1.el9', '1.0-1.el9'), 0);
    assert.equal(bulwark.compareVersions('semver', '1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(bulwark.compareVersions('pep440', '1.0.post1', '1.0'), 1);
    assert.equal(bulwark.compareVersions('go', 'v1.2.3', '1.2.4'), -1);
  });

  it('exports the scan functions', () => {
    assert.equal(typeof bulwark.scanImage, 'function');
    assert.equal(typeof bulwark.scanDirectory, 'function');
    assert.equal(typeof bulwark.openRegistryImage, 'function');
    assert.equal(typeof bulwark.importSources, 'function');
    assert.equal(typeof bulwark.matchPackages, 'function');
  });

  it('registers analyzers with unique ids', () => {
    const ids = bulwark.defaultAnalyzers.map((analyzer) => analyzer.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['os-release', 'dpkg', 'apk', 'rpmdb', 'npm-lock', 'go-mod', 'cargo-lock']) assert.ok(ids.includes(id), `missing analyzer ${id}`);
  });

  it('rejects duplicate analyzer ids', () => {
    const analyzer = bulwark.defaultAnalyzers[0]!;
    assert.throws(() => bulwark.buildAnalyzerRegistry([[analyzer], [analyzer]]), (error: bulwark.BulwarkError) => error.code === 'USAGE');
  });
});
