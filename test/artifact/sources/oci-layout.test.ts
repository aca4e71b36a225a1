import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { openOciLayout } from '../../../src/artifact/sources/oci-layout.js';
import { buildImages, OCI_MANIFEST_TYPE, sha256, writeBlob, type BuiltImages } from './build-images.js';
import { expectCode } from '../../helpers/expect-code.js';

let images: BuiltImages;
let copies = 0;

before(async () => {
  images = await buildImages();
});

after(async () => {
  await images.cleanup();
});

/** Copies the built layout so a test can modify it. */
async function copyLayout(): Promise<string> {
  const target = join(images.root, `layout-copy-${copies++}`);
  await cp(images.layout, target, { recursive: true });
  return target;
}

async function readManifest(layout: string, digest: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(join(layout, 'blobs', 'sha256', digest.slice(7)), 'utf8'));
}

test('layout opens tagged image', async () => {
  const source = await openOciLayout(images.layout, { reference: 'v1' });
  try {
    assert.equal(source.type, 'oci-layout');
    assert.equal(source.manifestDigest, images.manifestDigest);
    assert.equal(source.configDigest, images.configDigest);
    assert.deepEqual(source.repoTags, ['v1']);
    assert.equal(source.config.architecture, 'amd64');
    assert.equal(source.layers.length, 3);
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    for (const layer of source.layers) {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
      const bytes = await buffer(await source.openLayer(layer));
      assert.equal(sha256(bytes), layer.digest);
      assert.equal(bytes.length, layer.size);
    }
  } finally {
    await source.close();
  }
});

test('layout without reference lists names', async () => {
  await expectCode(openOciLayout(images.layout), 'USAGE', /contains 3 images; name one with path:reference \(available: arm, multi, v1\)/);
});

test('layout reference not found', async () => {
  await expectCode(openOciLayout(images.layout, { reference: 'v2' }), 'NOT_FOUND', /no image named "v2"; available: arm, multi, v1/);
});

test('multi-platform index defaults to amd64', async () => {
  const source = await openOciLayout(images.layout, { reference: 'multi' });
  assert.equal(source.manifestDigest, images.manifestDigest);
  assert.equal(source.config.architecture, 'amd64');
  assert.deepEqual(source.repoTags, ['multi']);
  await source.close();
});

test('arm64 matches arm64/v8 entry', async () => {
  for (const platform of [{ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'aarch64', variant: '8' }]) {
    const source = await openOciLayout(images.layout, { reference: 'multi', platform });
    assert.equal(source.manifestDigest, images.armManifestDigest, `platform ${JSON.stringify(platform)}`);
    assert.equal(source.config.architecture, 'arm64');
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    await source.close();
  }
});

test('missing platform lists choices', async () => {
  await expectCode(
    openOciLayout(images.layout, { reference: 'multi', platform: { os: 'linux', architecture: 's390x' } }),
    'NOT_FOUND',
    /no manifest for platform linux\/s390x; available: linux\/amd64, linux\/arm64\/v8/,
  );
});

test('requested platform checks single image', async () => {
  await expectCode(
    openOciLayout(images.layout, { reference: 'arm', platform: { os: 'linux', architecture: 'amd64' } }),
    'NOT_FOUND',
    /the image is for linux\/arm64, not the requested linux\/amd64/,
  );
  const source = await openOciLayout(images.layout, { reference: 'arm' });
  assert.equal(source.config.architecture, 'arm64');
  await source.close();
});

test('tampered manifest fails digest check', async () => {
  const layout = await copyLayout();
  const path = join(layout, 'blobs', 'sha256', images.manifestDigest.slice(7));
  const bytes = await readFile(path);
  bytes[bytes.length - 2] ^= 0x01;
  await writeFile(path, bytes);
  await expectCode(openOciLayout(layout, { reference: 'v1' }), 'DIGEST_MISMATCH', new RegExp(`manifest ${images.manifestDigest}: digest mismatch: expected ${images.manifestDigest}, got sha256:`));
});

test('missing layer blob names digest', async () => {
  const layout = await copyLayout();
  const manifest = await readManifest(layout, images.manifestDigest);
  const layer = manifest.layers[1];
  await rm(join(layout, 'blobs', 'sha256', layer.digest.slice(7)));
  await expectCode(
    openOciLayout(layout, { reference: 'v1' }),
    'NOT_FOUND',
    new RegExp(`layers\\[1\\]: blob blobs/sha256/${layer.digest.slice(7)} is missing \\(the manifest expects a application/vnd.oci.image.layer.v1.tar\\+gzip of ${layer.size} bytes\\)`),
  );
});

test('tampered layer fails at stream end', async () => {
  const layout = await copyLayout();
  const manifest = await readManifest(layout, images.manifestDigest);
  const layer = manifest.layers[0];
  const path = join(layout, 'blobs', 'sha256', layer.digest.slice(7));
  const bytes = await readFile(path);
  bytes[20] ^= 0xff;
  await writeFile(path, bytes);
  const source = await openOciLayout(layout, { reference: 'v1' });
  try {
    await expectCode(buffer(await source.openLayer(source.layers[0]!)), 'DIGEST_MISMATCH', new RegExp(`layer ${layer.digest}: digest mismatch`));
    await writeFile(path, bytes.subarray(0, 50));
    await expectCode(buffer(await source.openLayer(source.layers[0]!)), 'FORMAT_INVALID', new RegExp(`the blob is short: 50 bytes, expected ${layer.size}`));
  } finally {
    await source.close();
  }
});

/** Rewrites the `v1` manifest with `edit` and points index.json at the new blob. */
async function editManifest(layout: string, edit: (manifest: Record<string, any>) => void): Promise<void> {
  const manifest = await readManifest(layout, images.manifestDigest);
  edit(manifest);
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await writeBlob(layout, bytes);
  await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST_TYPE, digest, size: bytes.length }] }));
}

test('foreign layer is unsupported', async () => {
  const layout = await copyLayout();
  const missing = sha256(Buffer.from('not in the layout'));
  await editManifest(layout, (manifest) => {
    manifest.layers[2] = {
      mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
      digest: missing,
      size: 17,
      urls: ['https://example.test/layer'],
    };
  });
  await expectCode(
    openOciLayout(layout),
    'UNSUPPORTED',
    new RegExp(`non-distributable layer ${missing} is not in the layout \\(the manifest points to https://example.test/layer\\)`),
  );
});

test('unknown layer type is unsupported', async () => {
  const layout = await copyLayout();
  await editManifest(layout, (manifest) => {
    manifest.layers[0].mediaType = 'application/vnd.oci.image.layer.v1.tar+encrypted';
  });
  await expectCode(openOciLayout(layout), 'UNSUPPORTED', /layers\[0\]: media type application\/vnd.oci.image.layer.v1.tar\+encrypted is not a tar layer/);
});

test('artifact config is unsupported', async () => {
  const layout = await copyLayout();
  await editManifest(layout, (manifest) => {
    manifest.config.mediaType = 'application/vnd.cncf.helm.config.v1+json';
  });
  await expectCode(openOciLayout(layout), 'UNSUPPORTED', /config media type application\/vnd.cncf.helm.config.v1\+json is not a container image config/);
});

test('layer count must match diff ids', async () => {
  const layout = await copyLayout();
  await editManifest(layout, (manifest) => {
    manifest.layers.pop();
  });
  await expectCode(openOciLayout(layout), 'FORMAT_INVALID', /lists 2 layers but config rootfs.diff_ids lists 3/);
});

test('corrupt index json', async () => {
  const layout = await copyLayout();
  await writeFile(join(layout, 'index.json'), '{"schemaVersion": 2, "manifests": [');
  await expectCode(openOciLayout(layout), 'FORMAT_INVALID', /index.json: invalid JSON/);
  await writeFile(join(layout, 'index.json'), '{"schemaVersion": 2, "manifests": [{"mediaType": "x", "digest": "sha256:1234", "size": 1}]}');
  await expectCode(openOciLayout(layout), 'FORMAT_INVALID', /manifests\[0\]: field "digest" must be a sha256 or sha512 digest, got "sha256:1234"/);
});

test('config above cap', async () => {
  await expectCode(openOciLayout(images.layout, { reference: 'v1', limits: { maxConfigBytes: 100 } }), 'LIMIT_EXCEEDED', /above the 100-byte cap; raise maxConfigBytes/);
});

test('nested index depth capped', async () => {
  const layout = await copyLayout();
  let child = { mediaType: OCI_MANIFEST_TYPE, digest: images.manifestDigest, size: (await readFile(join(layout, 'blobs', 'sha256', images.manifestDigest.slice(7)))).length };
  for (let depth = 0; depth < 4; depth++) {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [child] }));
    child = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: await writeBlob(layout, bytes), size: bytes.length };
  }
  await writeFile(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [child] }));
  await expectCode(openOciLayout(layout), 'FORMAT_INVALID', /indexes nest deeper than 4 levels/);
});

test('directory without layout marker', async () => {
  await expectCode(openOciLayout(images.root), 'NOT_FOUND', /not an OCI image layout \(no oci-layout file\)/);
});

test('layer of another image rejected', async () => {
  const source = await openOciLayout(images.layout, { reference: 'v1' });
  const other = { digest: sha256(Buffer.from('x')), diffId: sha256(Buffer.from('x')), mediaType: 'application/vnd.oci.image.layer.v1.tar' };
  await expectCode(source.openLayer(other), 'USAGE', /is not a layer of this image/);
  await source.close();
});
