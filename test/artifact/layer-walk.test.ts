import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';

import { LayerDecoder } from '../../src/artifact/decompress.js';
import { walkLayer } from '../../src/artifact/layer-walk.js';
import { DEFAULT_WALK_LIMITS, type WalkLimits } from '../../src/artifact/limits.js';
import { BulwarkError } from '../../src/errors.js';
import type { Analyzer } from '../../src/inventory/analyzer.js';
import { buildTar } from '../helpers/tar-builder.js';

/** An analyzer that records the content of `etc/wanted*` files as a diagnostic message. */
const echoAnalyzer: Analyzer = {
  id: 'echo',
  version: 1,
  maxFileSize: 1024,
  required: (info) => info.path.startsWith('etc/wanted'),
  analyze: ({ info, content }) => ({ diagnostics: [{ target: info.path, code: 'INTERNAL', message: content.toString() }] }),
};

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An analyzer that buffers files up to 16 bytes and counts the bytes of larger ones as they stream. */
const countingAnalyzer: Analyzer = {
  id: 'count',
  version: 1,
  maxFileSize: 16,
  required: (info) => info.path.startsWith('data/'),
  analyze: ({ content }) => ({ diagnostics: [{ target: 'buffered', code: 'INTERNAL', message: String(content.length) }] }),
  createScanner: () => {
    let bytes = 0;
    return {
      write: (chunk) => {
        bytes += chunk.length;
      },
      end: () => ({ diagnostics: [{ target: 'streamed', code: 'INTERNAL', message: String(bytes) }] }),
    };
  },
};

async function walk(blob: Buffer, options: { diffId?: string; limits?: Partial<WalkLimits>; analyzers?: Analyzer[] } = {}) {
  const limits = { ...DEFAULT_WALK_LIMITS, ...options.limits };
  const tar = new PassThrough();
  const walked = walkLayer(tar, { diffId: options.diffId ?? 'sha256:x', label: 'test layer', analyzers: options.analyzers ?? [echoAnalyzer], limits });
  const decoder = new LayerDecoder({ label: 'test layer', limits, ...(options.diffId ? { diffId: options.diffId } : {}) });
  const [, result] = await Promise.all([pipeline(Readable.from([blob]), decoder, tar), walked]);
  return { result, compression: decoder.compression };
}

const sampleEntries = [
  { name: './etc/', type: 'directory' as const },
  { name: './etc/wanted.conf', content: 'hello' },
  { name: './etc/other.conf', content: 'ignored' },
  { name: 'etc/.wh.removed', content: '' },
  { name: 'usr/.wh..wh..opq', content: '' },
  { name: 'etc/os-release', type: 'symlink' as const, linkname: '../usr/lib/os-release' },
  { name: 'etc/wanted-link', type: 'link' as const, linkname: 'etc/wanted.conf' },
  { name: '../escape', content: 'no' },
];

describe('walkLayer', () => {
  it('records entries, whiteouts and wanted files', async () => {
    const tar = await buildTar(sampleEntries);
    const { result, compression } = await walk(tar, { diffId: sha256(tar) });
    assert.equal(compression, 'none');
    assert.deepEqual(result.entries.map((entry) => [entry.path, entry.kind]), [
      ['etc', 'dir'],
      ['etc/wanted.conf', 'file'],
      ['etc/other.conf', 'file'],
      ['etc/os-release', 'symlink'],
      ['etc/wanted-link', 'hardlink'],
    ]);
    assert.deepEqual(result.whiteouts, ['etc/removed']);
    assert.deepEqual(result.opaqueDirs, ['usr']);
    assert.deepEqual(result.analyses.map((item) => [item.path, item.output.diagnostics?.[0]?.message]), [['etc/wanted.conf', 'hello']]);
    assert.equal(result.diagnostics.length, 1);
    assert.match(result.diagnostics[0]!.message, /climbs out of the image root/);
  });

  it('reads gzip layers', async () => {
    const tar = await buildTar(sampleEntries);
    const gzipped = execFileSync('gzip', ['-c'], { input: tar });
    const { result, compression } = await walk(gzipped, { diffId: sha256(tar) });
    assert.equal(compression, 'gzip');
    assert.equal(result.analyses.length, 1);
  });

  it('reads zstd layers', async () => {
    const tar = await buildTar(sampleEntries);
    const compressed = execFileSync('zstd', ['-q', '-c'], { input: tar });
    const { result, compression } = await walk(compressed, { diffId: sha256(tar) });
    assert.equal(compression, 'zstd');
    assert.equal(result.analyses[0]!.output.diagnostics![0]!.message, 'hello');
  });

  it('rejects a diffID mismatch', async () => {
    const tar = await buildTar(sampleEntries);
    await assert.rejects(walk(tar, { diffId: sha256(Buffer.from('other')) }), (error: BulwarkError) => error.code === 'DIGEST_MISMATCH');
  });

  it('rejects truncated gzip', async () => {
    const tar = await buildTar(sampleEntries);
    const gzipped = execFileSync('gzip', ['-c'], { input: tar });
    await assert.rejects(walk(gzipped.subarray(0, gzipped.length - 20)), (error: BulwarkError) => error.code === 'FORMAT_INVALID');
  });

  it('rejects truncated zstd', async () => {
    const tar = await buildTar(sampleEntries);
    const compressed = execFileSync('zstd', ['-q', '-c'], { input: tar });
    await assert.rejects(walk(compressed.subarray(0, compressed.length - 10)), (error: BulwarkError) => error.code === 'FORMAT_INVALID');
  });

  it('stops a decompression bomb', async () => {
    const tar = await buildTar([{ name: 'zeros', content: Buffer.alloc(8 * 1024 * 1024) }]);
    const gzipped = execFileSync('gzip', ['-c'], { input: tar });
    await assert.rejects(
      walk(gzipped, { limits: { ratioGraceBytes: 1024 * 1024, maxDecompressionRatio: 50 } }),
      (error: BulwarkError) => error.code === 'LIMIT_EXCEEDED' && /--max-decompression-ratio/.test(error.message),
    );
  });

  it('stops at the entry cap', async () => {
    const tar = await buildTar(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, content: '' })));
    await assert.rejects(walk(tar, { limits: { maxLayerEntries: 10 } }), (error: BulwarkError) => error.code === 'LIMIT_EXCEEDED');
  });

  it('skips a wanted file over the size cap', async () => {
    const tar = await buildTar([{ name: 'etc/wanted-big', content: Buffer.alloc(4096) }]);
    const { result } = await walk(tar);
    assert.equal(result.analyses.length, 0);
    assert.match(result.diagnostics[0]!.message, /over the 1024-byte cap for echo files/);
  });

  it('streams files over the cap to scanners', async () => {
    const tar = await buildTar([
      { name: 'data/small', content: 'tiny' },
      { name: 'data/large', content: Buffer.alloc(300_000, 7) },
    ]);
    const { result } = await walk(tar, { analyzers: [countingAnalyzer] });
    const outputs = result.analyses.map((item) => [item.path, item.output.diagnostics?.[0]?.target, item.output.diagnostics?.[0]?.message]);
    assert.deepEqual(outputs, [
      ['data/small', 'buffered', '4'],
      ['data/large', 'streamed', '300000'],
    ]);
  });

  it('rejects a corrupt tar', async () => {
    const tar = await buildTar(sampleEntries);
    tar.write('garbage!', 148);
    await assert.rejects(walk(tar), (error: BulwarkError) => error.code === 'FORMAT_INVALID');
  });
});
