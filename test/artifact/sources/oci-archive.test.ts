import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { openOciArchive } from '../../../src/artifact/sources/oci-archive.js';
import { sharedPath } from '../../helpers/shared.js';
import { buildImages, sha256, type BuiltImages } from './build-images.js';
import { expectCode } from '../../helpers/expect-code.js';

const run = promisify(execFile);
let images: BuiltImages;

before(async () => {
  images = await buildImages();
});

after(async () => {
  await images.cleanup();
});

test('archive matches layout digests', async () => {
  const source = await openOciArchive(images.ociArchive);
  try {
    assert.equal(source.type, 'oci-archive');
    assert.equal(source.manifestDigest, images.manifestDigest);
    assert.equal(source.configDigest, images.configDigest);
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    for (const layer of source.layers) {
      const bytes = await buffer(await source.openLayer(layer));
      assert.equal(sha256(bytes), layer.digest);
    }
  } finally {
    await source.close();
  }
});

test('gzip archive uses cache tmp', async () => {
  const cacheDir = join(images.root, 'cache-gz');
  const source = await openOciArchive(images.ociArchiveGz, { cacheDir });
  try {
    assert.equal(source.configDigest, images.configDigest);
    assert.equal((await readdir(join(cacheDir, 'tmp'))).length, 1);
    const bytes = await buffer(await source.openLayer(source.layers[2]!));
    assert.equal(sha256(bytes), source.layers[2]!.digest);
  } finally {
    await source.close();
  }
  assert.deepEqual(await readdir(join(cacheDir, 'tmp')), []);
});

test('gzip archive needs cache dir', async () => {
  await expectCode(openOciArchive(images.ociArchiveGz), 'USAGE', /is gzip-compressed and must be decompressed to a temporary file; set cacheDir/);
});

test('gzip bomb hits cap', async () => {
  const cacheDir = join(images.root, 'cache-bomb');
  const zeros = join(images.root, 'zeros.tar.gz');
  await run('sh', ['-c', 'head -c 4194304 /dev/zero | gzip -c > "$1"', 'sh', zeros]);
  await expectCode(openOciArchive(zeros, { cacheDir, limits: { maxDecompressedBytes: 1024 * 1024 } }), 'LIMIT_EXCEEDED', /decompresses to more than 1048576 bytes; raise maxDecompressedBytes/);
  assert.deepEqual(await readdir(join(cacheDir, 'tmp')), []);
});

test('truncated gzip archive', async () => {
  const cacheDir = join(images.root, 'cache-truncated');
  const truncated = join(images.root, 'truncated.tar.gz');
  await run('sh', ['-c', 'head -c 300 "$1" > "$2"', 'sh', images.ociArchiveGz, truncated]);
  await expectCode(openOciArchive(truncated, { cacheDir }), 'FORMAT_INVALID', /invalid gzip data: unexpected end of file/);
  assert.deepEqual(await readdir(join(cacheDir, 'tmp')), []);
});

test('zstd archive is unsupported', async () => {
  const path = join(images.root, 'archive.tar.zst');
  await writeFile(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
  await expectCode(openOciArchive(path), 'UNSUPPORTED', /is zstd-compressed; decompress it first \(for example with "zstd -d"\)/);
});

test('multi-platform archive by platform', async () => {
  const amd = await openOciArchive(images.multiArchive);
  assert.equal(amd.manifestDigest, images.manifestDigest);
  await amd.close();
  const arm = await openOciArchive(images.multiArchive, { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
  assert.equal(arm.manifestDigest, images.armManifestDigest);
  assert.deepEqual(arm.layers.map((layer) => layer.diffId), images.diffIds);
  await arm.close();
});

test('tar without layout marker', async () => {
  await expectCode(openOciArchive(images.dockerArchive), 'NOT_FOUND', /not an OCI archive \(no oci-layout member\)/);
});

test('missing blob member names digest', async () => {
  const dir = join(images.root, 'oci-archive-missing');
  await mkdir(dir);
  await run('tar', ['-xf', images.ociArchive, '-C', dir]);
  const output = join(images.root, 'oci-archive-missing.tar');
  const config = images.configDigest.slice(7);
  await run('sh', ['-c', `cd "$1" && tar -cf "$2" --exclude=${config} .`, 'sh', dir, output]);
  await expectCode(openOciArchive(output), 'NOT_FOUND', new RegExp(`config ${images.configDigest}: blob blobs/sha256/${config} is missing`));
});

const alpine = sharedPath('fixtures', 'images', 'oci-layout_alpine-3.12.0_trimmed.tar.gz');

test('alpine fixture lists its layer', { skip: alpine.skip }, async () => {
  const cacheDir = join(images.root, 'cache-alpine');
  const source = await openOciArchive(alpine.path, { cacheDir });
  try {
    assert.equal(source.manifestDigest, 'sha256:41691e1851314e2f37eee22c2a9969500d0dcab259f1357f447ef28155f22efc');
    assert.equal(source.configDigest, 'sha256:0f5f445df8ccbd8a062ad3d02d459e8549d9998c62a5b7cbf77baf68aa73bf5b');
    assert.equal(source.config.architecture, 'amd64');
    assert.deepEqual(source.layers, [
      {
        digest: 'sha256:df20fa9351a15782c64e6dddb2d4a6f50bf6d3688060a34c4014b0d9a752eb4c',
        diffId: 'sha256:50644c29ef5a27c9a40c393a73ece2479de78325cae7d762ef3cdc19bf42dd0a',
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        size: 2797541,
      },
    ]);
    // The fixture's layer blob was trimmed to 6165 bytes, so verification must reject it.
    await expectCode(buffer(await source.openLayer(source.layers[0]!)), 'FORMAT_INVALID', /the blob is short: 6165 bytes, expected 2797541/);
  } finally {
    await source.close();
  }
});
