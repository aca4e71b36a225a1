import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { openDockerArchive } from '../../../src/artifact/sources/docker-archive.js';
import { openOciArchive } from '../../../src/artifact/sources/oci-archive.js';
import { sharedPath } from '../../helpers/shared.js';
import { buildImages, sha256, tarDirectory, type BuiltImages } from './build-images.js';
import { expectCode } from '../../helpers/expect-code.js';

const run = promisify(execFile);
let images: BuiltImages;
let copies = 0;

before(async () => {
  images = await buildImages();
});

after(async () => {
  await images.cleanup();
});

/** Extracts the skopeo docker-archive, lets `edit` change the folder, and tars it again. */
async function editArchive(edit: (dir: string, manifest: Array<Record<string, any>>) => Promise<void>): Promise<string> {
  const dir = join(images.root, `docker-edit-${copies++}`);
  await mkdir(dir);
  await run('tar', ['-xf', images.dockerArchive, '-C', dir]);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  await edit(dir, manifest);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const output = `${dir}.tar`;
  await tarDirectory(dir, output, await readdir(dir));
  return output;
}

test('skopeo archive matches oci layout', async () => {
  const source = await openDockerArchive(images.dockerArchive);
  try {
    assert.equal(source.type, 'docker-archive');
    assert.equal(source.configDigest, images.configDigest);
    assert.equal(source.manifestDigest, undefined);
    assert.deepEqual(source.repoTags, ['example.test/app:v1']);
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    assert.deepEqual(source.layers.map((layer) => layer.digest), images.diffIds);
    for (const layer of source.layers) {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar');
      const bytes = await buffer(await source.openLayer(layer));
      assert.equal(sha256(bytes), layer.diffId);
      assert.equal(bytes.length, layer.size);
    }
  } finally {
    await source.close();
  }
});

test('image selector forms', async () => {
  for (const image of ['example.test/app:v1', '@0']) {
    const source = await openDockerArchive(images.dockerArchive, { image });
    assert.equal(source.configDigest, images.configDigest, image);
    await source.close();
  }
  await expectCode(openDockerArchive(images.dockerArchive, { image: 'example.test/app:v2' }), 'NOT_FOUND', /no image tagged "example.test\/app:v2"; available: example.test\/app:v1/);
  await expectCode(openDockerArchive(images.dockerArchive, { image: '@1' }), 'NOT_FOUND', /no image @1; the archive contains 1/);
});

test('several images need selector', async () => {
  const path = await editArchive(async (_dir, manifest) => {
    manifest.push({ ...manifest[0], RepoTags: ['nginx:latest'] });
    manifest.push({ ...manifest[0], RepoTags: null });
  });
  await expectCode(openDockerArchive(path), 'USAGE', /contains 3 images; choose one as docker-archive:PATH:REPO:TAG or docker-archive:PATH:@N \(N from 0\): example.test\/app:v1; nginx:latest; @2 \(untagged\)/);
  const source = await openDockerArchive(path, { image: 'docker.io/library/nginx' });
  assert.deepEqual(source.repoTags, ['nginx:latest']);
  await source.close();
});

test('docker 25 archive by both paths', async () => {
  const docker = await openDockerArchive(images.docker25Archive);
  assert.equal(docker.configDigest, images.configDigest);
  assert.deepEqual(docker.repoTags, ['app:v25']);
  assert.deepEqual(docker.layers.map((layer) => layer.digest), images.diffIds);
  assert.deepEqual(docker.layers.map((layer) => layer.diffId), images.diffIds);
  const bytes = await buffer(await docker.openLayer(docker.layers[1]!));
  assert.equal(sha256(bytes), images.diffIds[1]);
  await docker.close();

  const oci = await openOciArchive(images.docker25Archive, { reference: 'app:v25' });
  assert.equal(oci.configDigest, images.configDigest);
  assert.deepEqual(oci.repoTags, ['docker.io/library/app:v25', 'v25']);
  assert.deepEqual(oci.layers.map((layer) => layer.digest), images.diffIds);
  assert.equal(oci.layers[0]!.mediaType, 'application/vnd.oci.image.layer.v1.tar');
  await oci.close();
});

test('gzip layer detected by magic', async () => {
  const gzipped: string[] = [];
  const path = await editArchive(async (dir, manifest) => {
    const layers: string[] = manifest[0].Layers;
    for (const [i, name] of layers.entries()) {
      await run('sh', ['-c', 'gzip -n -c "$1" > "$2"', 'sh', join(dir, name), join(dir, `layer${i}.tar`)]);
      gzipped.push(sha256(await readFile(join(dir, `layer${i}.tar`))));
    }
    manifest[0].Layers = layers.map((_, i) => `layer${i}.tar`);
  });
  const source = await openDockerArchive(path);
  try {
    assert.deepEqual(source.layers.map((layer) => layer.mediaType), Array(3).fill('application/vnd.oci.image.layer.v1.tar+gzip'));
    assert.deepEqual(source.layers.map((layer) => layer.digest), gzipped);
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    assert.equal(sha256(await buffer(await source.openLayer(source.layers[0]!))), gzipped[0]);
  } finally {
    await source.close();
  }
});

test('tampered layer fails at stream end', async () => {
  const path = await editArchive(async (dir, manifest) => {
    const layerPath = join(dir, manifest[0].Layers[2]);
    const bytes = await readFile(layerPath);
    bytes[0] ^= 0x01;
    await writeFile(layerPath, bytes);
  });
  const source = await openDockerArchive(path);
  await expectCode(buffer(await source.openLayer(source.layers[2]!)), 'DIGEST_MISMATCH', new RegExp(`digest mismatch: expected ${images.diffIds[2]}`));
  await source.close();
});

test('tampered config fails digest check', async () => {
  const path = await editArchive(async (dir, manifest) => {
    const configPath = join(dir, manifest[0].Config);
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    config.config.User = 'root';
    await writeFile(configPath, JSON.stringify(config));
  });
  await expectCode(openDockerArchive(path), 'DIGEST_MISMATCH', /has digest sha256:[a-f0-9]{64}, not the one its name gives/);
});

test('missing layer member names diff id', async () => {
  const path = await editArchive(async (dir, manifest) => {
    await rm(join(dir, manifest[0].Layers[1]));
  });
  await expectCode(openDockerArchive(path), 'NOT_FOUND', new RegExp(`Layers\\[1\\] ".*": the layer member is missing \\(expected diff_id ${images.diffIds[1]}\\)`));
});

test('corrupt manifest json', async () => {
  const dir = join(images.root, `docker-corrupt`);
  await mkdir(dir);
  await writeFile(join(dir, 'manifest.json'), '[{"Config": "x.json", "Layers": [');
  const path = `${dir}.tar`;
  await tarDirectory(dir, path, ['manifest.json']);
  await expectCode(openDockerArchive(path), 'FORMAT_INVALID', /manifest.json: invalid JSON/);
  await writeFile(join(dir, 'manifest.json'), '[{"Config": 7, "Layers": []}]');
  await tarDirectory(dir, path, ['manifest.json']);
  await expectCode(openDockerArchive(path), 'FORMAT_INVALID', /manifest.json\[0\]: field "Config" must be a string, got 7/);
});

test('layer count must match diff ids', async () => {
  const path = await editArchive(async (_dir, manifest) => {
    manifest[0].Layers.shift();
  });
  await expectCode(openDockerArchive(path), 'FORMAT_INVALID', /lists 2 layers but the config's rootfs.diff_ids lists 3/);
  const source = await openDockerArchive(path, { allowMissingBaseLayers: true });
  assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds.slice(1));
  await source.close();
});

const dockerSave = sharedPath('fixtures', 'images', 'docker-save_nginx_trimmed.tar');
const skopeoSave = sharedPath('fixtures', 'images', 'skopeo-docker-archive_nginx_trimmed.tar');

test('docker save fixture lists its layer', { skip: dockerSave.skip }, async () => {
  await expectCode(openDockerArchive(dockerSave.path), 'FORMAT_INVALID', /lists 1 layers but the config's rootfs.diff_ids lists 3/);
  const source = await openDockerArchive(dockerSave.path, { allowMissingBaseLayers: true });
  try {
    assert.equal(source.configDigest, 'sha256:5a3221f0137beb960c34b9cf4455424b6210160fd618c5e79401a07d6e5a2ced');
    assert.deepEqual(source.repoTags, ['nginx:latest']);
    assert.equal(source.config.os, 'linux');
    const diffId = 'sha256:12fdf55172df870a613a79c4757006c5b28e66a8621c3e26916678378568f078';
    assert.deepEqual(source.layers, [{ digest: diffId, diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 112640 }]);
    // The layer was trimmed after the config was written, so its bytes no longer match.
    await expectCode(buffer(await source.openLayer(source.layers[0]!)), 'DIGEST_MISMATCH', /got sha256:a68f44abfd9759528aea5ee7b102eec09a383902565ae316140cb37409757746/);
  } finally {
    await source.close();
  }
});

test('skopeo fixture lists its layer', { skip: skopeoSave.skip }, async () => {
  const source = await openDockerArchive(skopeoSave.path, { allowMissingBaseLayers: true });
  try {
    assert.equal(source.configDigest, 'sha256:ab56bba91343aafcdd94b7a44b42e12f32719b9a2b8579e93017c1280f48e8f3');
    assert.deepEqual(source.repoTags, []);
    const diffId = 'sha256:ce3539cc184915f96add8551b0e7a37d80c560fe3ffe40cfe4585ea3a8dc14e9';
    assert.deepEqual(source.layers, [{ digest: diffId, diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 92160 }]);
    await expectCode(buffer(await source.openLayer(source.layers[0]!)), 'DIGEST_MISMATCH', /got sha256:598b423ddd9c15a9c15e33aa3addcf50e877418d167cd0cdc741ac8671226dfc/);
  } finally {
    await source.close();
  }
});
