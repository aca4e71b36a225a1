import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openImage, parseImageTarget } from '../../../src/artifact/sources/open-image.js';
import { sharedPath } from '../../helpers/shared.js';
import { buildImages, tarDirectory, type BuiltImages } from './build-images.js';
import { expectCode } from '../../helpers/expect-code.js';

let images: BuiltImages;
let cacheDir: string;

before(async () => {
  images = await buildImages();
  cacheDir = join(images.root, 'cache');
});

after(async () => {
  await images.cleanup();
});

test('parse target prefixes', async () => {
  assert.deepEqual(await parseImageTarget('docker-archive:/x/a.tar:repo/app:v1'), { kind: 'docker-archive', path: '/x/a.tar', reference: 'repo/app:v1' });
  assert.deepEqual(await parseImageTarget('oci:/x/layout'), { kind: 'oci-layout', path: '/x/layout' });
  assert.deepEqual(await parseImageTarget('oci-archive:/x/a.tar:v1'), { kind: 'oci-archive', path: '/x/a.tar', reference: 'v1' });
  assert.deepEqual(await parseImageTarget(`${images.layout}:multi`), { path: images.layout, reference: 'multi' });
  assert.deepEqual(await parseImageTarget(images.layout), { path: images.layout });
  assert.deepEqual(await parseImageTarget('/does/not/exist:v1'), { path: '/does/not/exist:v1' });
});

test('every form gives same image', async () => {
  const targets: Array<[string, string]> = [
    [`${images.layout}:v1`, 'oci-layout'],
    [`oci:${images.layout}:multi`, 'oci-layout'],
    [images.ociArchive, 'oci-archive'],
    [images.ociArchiveGz, 'oci-archive'],
    [`oci-archive:${images.multiArchive}`, 'oci-archive'],
    [images.dockerArchive, 'docker-archive'],
    [`docker-archive:${images.dockerArchive}:example.test/app:v1`, 'docker-archive'],
    [images.docker25Archive, 'oci-archive'],
    [`docker-archive:${images.docker25Archive}`, 'docker-archive'],
  ];
  for (const [target, type] of targets) {
    const source = await openImage(target, { cacheDir });
    try {
      assert.equal(source.type, type, target);
      assert.equal(source.name, target);
      assert.equal(source.configDigest, images.configDigest, target);
      assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds, target);
    } finally {
      await source.close();
    }
  }
});

test('legacy archive detected', async () => {
  const source = await openImage(images.legacyArchive, { cacheDir });
  assert.equal(source.type, 'docker-archive');
  assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
  await source.close();
});

test('platform option selects arm64', async () => {
  const source = await openImage(`${images.layout}:multi`, { cacheDir, platform: { os: 'linux', architecture: 'arm64' } });
  assert.equal(source.manifestDigest, images.armManifestDigest);
  await source.close();
});

test('conflicting image names rejected', async () => {
  await expectCode(openImage(`${images.layout}:v1`, { cacheDir, image: 'arm' }), 'USAGE', /names image "v1" but the image option names "arm"; give only one/);
});

test('image option selects reference', async () => {
  const source = await openImage(images.layout, { cacheDir, image: 'arm' });
  assert.equal(source.config.architecture, 'arm64');
  await source.close();
});

test('prefix kind mismatches', async () => {
  await expectCode(openImage(`oci:${images.ociArchive}`, { cacheDir }), 'USAGE', /is a file; use the oci-archive: prefix/);
  await expectCode(openImage(`docker-archive:${images.layout}`, { cacheDir }), 'USAGE', /is a directory, but the docker-archive: prefix names a tar file/);
  await expectCode(openImage(`oci-archive:${images.dockerArchive}`, { cacheDir }), 'NOT_FOUND', /not an OCI archive \(no oci-layout member\)/);
});

test('unknown inputs rejected', async () => {
  await expectCode(openImage(join(images.root, 'missing.tar'), { cacheDir }), 'NOT_FOUND', /cannot open image .*missing.tar/);
  await expectCode(openImage(images.root, { cacheDir }), 'NOT_FOUND', /not an OCI image layout \(no oci-layout file\)/);
  const plain = join(images.root, 'plain');
  await mkdir(plain);
  await writeFile(join(plain, 'hello.txt'), 'hi');
  await tarDirectory(plain, `${plain}.tar`, ['hello.txt']);
  await expectCode(openImage(`${plain}.tar`, { cacheDir }), 'FORMAT_INVALID', /is a tar but not an image archive: it has no oci-layout, manifest.json or repositories member/);
  await expectCode(openImage(join(plain, 'hello.txt'), { cacheDir }), 'FORMAT_INVALID', /invalid tar archive at offset 0/);
});

const fixtures = sharedPath('fixtures', 'images');

test('shared fixtures detected', { skip: fixtures.skip }, async () => {
  const expected: Array<[string, string, number]> = [
    ['docker-save_nginx_trimmed.tar', 'docker-archive', 1],
    ['skopeo-docker-archive_nginx_trimmed.tar', 'docker-archive', 1],
    ['oci-layout_alpine-3.12.0_trimmed.tar.gz', 'oci-archive', 1],
  ];
  for (const [file, type, layerCount] of expected) {
    const source = await openImage(join(fixtures.path, file), { cacheDir, allowMissingBaseLayers: true });
    assert.equal(source.type, type, file);
    assert.equal(source.layers.length, layerCount, file);
    await source.close();
  }
});
