import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LayerAnalysis, LayerEntry } from '../../src/artifact/layer-analysis.js';
import { MergedView } from '../../src/artifact/merged-view.js';

function layer(entries: Array<Partial<LayerEntry> & { path: string }>, extra: Partial<LayerAnalysis> = {}): LayerAnalysis {
  return {
    diffId: 'sha256:0',
    entries: entries.map((entry) => ({ kind: 'file', mode: 0o644, size: 1, ...entry })),
    whiteouts: [],
    opaqueDirs: [],
    analyses: [],
    diagnostics: [],
    ...extra,
  };
}

function analysed(path: string): LayerAnalysis['analyses'][number] {
  return { path, analyzer: 'a', output: { diagnostics: [{ target: path, code: 'INTERNAL', message: path }] } };
}

describe('MergedView', () => {
  it('hides a whited-out file and its subtree', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'app', kind: 'dir' }, { path: 'app/a.txt' }, { path: 'app/sub/b.txt' }, { path: 'keep' }]));
    view.apply(layer([], { whiteouts: ['app'] }));
    assert.equal(view.get('app'), undefined);
    assert.equal(view.get('app/a.txt'), undefined);
    assert.equal(view.get('app/sub/b.txt'), undefined);
    assert.equal(view.get('keep')?.kind, 'file');
  });

  it('keeps same-layer entries of an opaque directory', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'etc/old.conf' }, { path: 'etc/keep/deep.conf' }]));
    view.apply(layer([{ path: 'etc', kind: 'dir' }, { path: 'etc/new.conf' }], { opaqueDirs: ['etc'] }));
    assert.equal(view.get('etc/old.conf'), undefined);
    assert.equal(view.get('etc/keep/deep.conf'), undefined);
    assert.equal(view.get('etc/new.conf')?.layer, 1);
  });

  it('hides a directory replaced by a symlink', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'var/lib/dpkg', kind: 'dir' }, { path: 'var/lib/dpkg/status' }], { analyses: [analysed('var/lib/dpkg/status')] }));
    view.apply(layer([{ path: 'var/lib/dpkg', kind: 'symlink', linkname: '/opt/dpkg' }]));
    assert.equal(view.get('var/lib/dpkg/status'), undefined);
    assert.equal(view.get('var/lib/dpkg')?.kind, 'symlink');
    assert.deepEqual(view.visibleAnalyses(), []);
  });

  it('resolves os-release through a relative symlink', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'usr/lib/os-release' }, { path: 'etc/os-release', kind: 'symlink', linkname: '../usr/lib/os-release' }]));
    assert.equal(view.resolve('etc/os-release'), 'usr/lib/os-release');
  });

  it('keeps symlinks inside the root', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'a', kind: 'symlink', linkname: '../../../../etc' }, { path: 'b', kind: 'symlink', linkname: '/../../x/../y' }]));
    assert.equal(view.resolve('a/passwd'), 'etc/passwd');
    assert.equal(view.resolve('b'), 'y');
  });

  it('stops at symlink loops', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'a', kind: 'symlink', linkname: 'b' }, { path: 'b', kind: 'symlink', linkname: 'a' }]));
    assert.equal(view.resolve('a/file'), undefined);
  });

  it('places entries below a lower-layer symlink at its target', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'usr/lib', kind: 'dir' }, { path: 'lib', kind: 'symlink', linkname: 'usr/lib' }]));
    view.apply(layer([{ path: 'lib/x.so' }], { analyses: [analysed('lib/x.so')] }));
    assert.equal(view.get('usr/lib/x.so')?.layer, 1);
    assert.equal(view.get('lib')?.kind, 'symlink');
    assert.deepEqual(
      view.visibleAnalyses().map((item) => item.path),
      ['usr/lib/x.so'],
    );
  });

  it('keeps content alive through a hard link across layers', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'data/file' }, { path: 'data/link', kind: 'hardlink', linkname: 'data/file' }], { analyses: [analysed('data/file')] }));
    assert.deepEqual(view.visibleAnalyses().map((item) => item.path), ['data/file']);
    view.apply(layer([], { whiteouts: ['data/file'] }));
    const visible = view.visibleAnalyses();
    assert.deepEqual(visible.map((item) => item.path), ['data/link']);
    assert.equal(visible[0]!.layer, 0);
  });

  it('lets an upper layer replace a file', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'var/lib/dpkg/status' }], { analyses: [analysed('var/lib/dpkg/status')] }));
    view.apply(layer([{ path: 'var/lib/dpkg/status' }], { analyses: [analysed('var/lib/dpkg/status')] }));
    const visible = view.visibleAnalyses();
    assert.equal(visible.length, 1);
    assert.equal(visible[0]!.layer, 1);
  });

  it('hides a lower directory replaced by a file', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'opt/tool/bin' }]));
    view.apply(layer([{ path: 'opt/tool' }]));
    assert.equal(view.get('opt/tool/bin'), undefined);
    assert.equal(view.get('opt/tool')?.kind, 'file');
  });

  it('clears everything for an opaque root', () => {
    const view = new MergedView();
    view.apply(layer([{ path: 'a' }, { path: 'b/c' }]));
    view.apply(layer([{ path: 'd' }], { opaqueDirs: [''] }));
    assert.deepEqual([...view.entries()].map(([path]) => path), ['d']);
  });
});
