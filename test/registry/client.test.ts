import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { digestBytes } from '../../src/artifact/digest.js';
import { MediaType } from '../../src/registry/manifest.js';
import { parseReference } from '../../src/registry/reference.js';
import { registryToolsSkip } from '../helpers/registry-server.js';
import { startRegistryWithImages, type RegistryFixture } from './fixture-images.js';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';

const skip = registryToolsSkip();
let fixture: RegistryFixture;
let proxy: FlakyProxy;
let client: RegistryClient;

before(async () => {
  if (skip) return;
  fixture = await startRegistryWithImages();
  proxy = await startFlakyProxy(fixture.registry.host);
  client = new RegistryClient({ insecure: true, useDockerConfig: false, retry: { initialDelayMs: 10, maxDelayMs: 50 } });
});

after(async () => {
  if (skip) return;
  client.close();
  await proxy.stop();
  await fixture.stop();
});

function direct(name: string) {
  return parseReference(`${fixture.registry.host}/${name}`);
}

function proxied(name: string) {
  return parseReference(`${proxy.host}/${name}`);
}

function hasCode(code: string, fragment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof BulwarkError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(fragment), error.message);
    return true;
  };
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test('getManifest by tag computes digest', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.equal(fetched.digest, digestBytes(fetched.content));
  assert.equal(fetched.mediaType, MediaType.ociManifest);
  assert.equal(fetched.manifest.kind, 'manifest');
});

test('getManifest index by digest', { skip }, async () => {
  const fetched = await client.getManifest(direct(`test/multi@${fixture.indexDigest}`));
  assert.equal(fetched.digest, fixture.indexDigest);
  assert.equal(fetched.manifest.kind, 'index');
  const platforms = fetched.manifest.kind === 'index' ? fetched.manifest.manifests.map((m) => m.platform) : [];
  assert.deepEqual(platforms, [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
});

test('getManifest docker schema2', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:docker'));
  assert.equal(fetched.mediaType, MediaType.dockerManifest);
  const layerTypes = fetched.manifest.kind === 'manifest' ? fetched.manifest.layers.map((l) => l.mediaType) : [];
  assert.deepEqual(layerTypes, [MediaType.dockerLayerGzip]);
});

test('getManifest unknown tag', { skip }, async () => {
  await assert.rejects(client.getManifest(direct('test/app:nope')), hasCode('NOT_FOUND', 'MANIFEST_UNKNOWN'));
});

test('getManifest digest mismatch', { skip }, async () => {
  const wrong = `sha256:${'0'.repeat(64)}`;
  const good = await client.getManifest(direct('test/app:v1'));
  proxy.inject({ path: new RegExp(`/manifests/${wrong}$`), action: { type: 'respond', status: 200, headers: { 'content-type': MediaType.ociManifest }, body: good.content } });
  await assert.rejects(client.getManifest(proxied(`test/app@${wrong}`)), hasCode('DIGEST_MISMATCH', `expected ${wrong}`));
});

test('getManifest corrupt by digest', { skip }, async () => {
  const good = await client.getManifest(direct('test/app:v1'));
  proxy.inject({ path: /\/manifests\/sha256:/, action: { type: 'corrupt' } });
  await assert.rejects(client.getManifest(proxied(`test/app@${good.digest}`)), hasCode('DIGEST_MISMATCH', `expected ${good.digest}`));
});

test('getManifest content digest header', { skip }, async () => {
  const good = await client.getManifest(direct('test/app:v1'));
  const other = `sha256:${'1'.repeat(64)}`;
  proxy.inject({ path: /\/manifests\/header$/, action: { type: 'respond', status: 200, headers: { 'content-type': MediaType.ociManifest, 'docker-content-digest': other }, body: good.content } });
  await assert.rejects(client.getManifest(proxied('test/app:header')), hasCode('DIGEST_MISMATCH', `Docker-Content-Digest header is ${other}`));
});

test('getManifest size cap', { skip }, async () => {
  const small = new RegistryClient({ insecure: true, useDockerConfig: false, maxManifestBytes: 100 });
  try {
    await assert.rejects(small.getManifest(direct('test/app:v1')), hasCode('LIMIT_EXCEEDED', 'over the 100-byte maximum'));
  } finally {
    small.close();
  }
});

test('getManifest schema1 unsupported', { skip }, async () => {
  const body = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'test/app', tag: 'old', fsLayers: [], history: [] }));
  proxy.inject({ path: /\/manifests\/old$/, action: { type: 'respond', status: 200, headers: { 'content-type': MediaType.dockerManifestV1Signed }, body } });
  await assert.rejects(client.getManifest(proxied('test/app:old')), hasCode('UNSUPPORTED', 'schema 1'));
});

test('getBlob streams verified layer', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.ok(fetched.manifest.kind === 'manifest');
  const layer = fetched.manifest.layers[0]!;
  const content = await readAll(await client.getBlob(direct('test/app'), layer));
  assert.equal(content.length, layer.size);
  assert.equal(digestBytes(content), layer.digest);
});

test('getBlob corrupt bytes', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.ok(fetched.manifest.kind === 'manifest');
  const layer = fetched.manifest.layers[0]!;
  proxy.inject({ path: /\/blobs\/sha256:/, action: { type: 'corrupt' } });
  const stream = await client.getBlob(proxied('test/app'), layer);
  await assert.rejects(readAll(stream), hasCode('DIGEST_MISMATCH', `expected ${layer.digest}`));
});

test('getBlob truncated body', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.ok(fetched.manifest.kind === 'manifest');
  const layer = fetched.manifest.layers[0]!;
  proxy.inject({ path: /\/blobs\/sha256:/, action: { type: 'truncate' } });
  const stream = await client.getBlob(proxied('test/app'), layer);
  await assert.rejects(readAll(stream), hasCode('DIGEST_MISMATCH', `ended after ${Math.floor(layer.size / 2)} of ${layer.size} bytes`));
});

test('getBlob size differs from manifest', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.ok(fetched.manifest.kind === 'manifest');
  const layer = fetched.manifest.layers[0]!;
  await assert.rejects(client.getBlob(direct('test/app'), { digest: layer.digest, size: layer.size + 1 }), hasCode('DIGEST_MISMATCH', `Content-Length ${layer.size}`));
});

test('getBlob unknown digest', { skip }, async () => {
  await assert.rejects(client.getBlob(direct('test/app'), { digest: `sha256:${'2'.repeat(64)}` }), hasCode('NOT_FOUND', 'BLOB_UNKNOWN'));
});

test('getJsonBlob reads config', { skip }, async () => {
  const fetched = await client.getManifest(direct('test/app:v1'));
  assert.ok(fetched.manifest.kind === 'manifest');
  const { value } = await client.getJsonBlob(direct('test/app'), fetched.manifest.config, 1024 * 1024);
  const config = value as { architecture: string; os: string; rootfs: { diff_ids: string[] } };
  assert.equal(config.architecture, 'amd64');
  assert.equal(config.os, 'linux');
  assert.equal(config.rootfs.diff_ids.length, 1);
  await assert.rejects(client.getJsonBlob(direct('test/app'), fetched.manifest.config, 10), hasCode('LIMIT_EXCEEDED', 'over the 10-byte maximum'));
});

test('listTags follows pagination', { skip }, async () => {
  assert.deepEqual(await client.listTags(direct('test/app'), { pageSize: 1 }), ['docker', 'v1']);
  assert.deepEqual(await client.listTags(direct('test/multi')), ['v1']);
  await assert.rejects(client.listTags(direct('test/none')), hasCode('NOT_FOUND', 'NAME_UNKNOWN'));
});

test('putBlob and putManifest round trip', { skip }, async () => {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const target = direct('test/pushed:one');
  const configDescriptor = await client.putBlob(target, config);
  assert.equal(configDescriptor.digest, digestBytes(config));
  const again = await client.putBlob(target, config);
  assert.deepEqual(again, configDescriptor);

  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, ...configDescriptor },
    layers: [],
  }));
  const digest = await client.putManifest(target, manifest, MediaType.ociManifest);
  assert.equal(digest, digestBytes(manifest));
  const fetched = await client.getManifest(target);
  assert.deepEqual(fetched.content, manifest);
  assert.equal(fetched.digest, digest);
  const blob = await readAll(await client.getBlob(target, configDescriptor));
  assert.deepEqual(blob, config);
});

test('putManifest digest mismatch', { skip }, async () => {
  const target = direct(`test/pushed@sha256:${'3'.repeat(64)}`);
  await assert.rejects(client.putManifest(target, Buffer.from('{}'), MediaType.ociManifest), hasCode('DIGEST_MISMATCH', `reference names sha256:${'3'.repeat(64)}`));
});
