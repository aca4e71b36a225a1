import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { ImageSource } from '../../src/artifact/source.js';
import { BulwarkError } from '../../src/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { MediaType } from '../../src/registry/manifest.js';
import { parseReference } from '../../src/registry/reference.js';
import { openRegistryImage, type RegistryImageOptions } from '../../src/registry/registry-source.js';
import { registryToolsSkip } from '../helpers/registry-server.js';
import { startRegistryWithImages, type RegistryFixture } from './fixture-images.js';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';

const skip = registryToolsSkip();
const OPTIONS: RegistryImageOptions = { insecure: true, useDockerConfig: false, retry: { initialDelayMs: 10, maxDelayMs: 40 } };
let fixture: RegistryFixture;
let proxy: FlakyProxy;
let client: RegistryClient;

before(async () => {
  if (skip) return;
  fixture = await startRegistryWithImages();
  proxy = await startFlakyProxy(fixture.registry.host);
  client = new RegistryClient(OPTIONS);
});

after(async () => {
  if (skip) return;
  client.close();
  await proxy.stop();
  await fixture.stop();
});

async function open(name: string, options: RegistryImageOptions = {}): Promise<ImageSource> {
  return openRegistryImage(`${fixture.registry.host}/${name}`, { ...OPTIONS, ...options });
}

/** Reads one file from a gzip layer stream with tar-stream. */
async function readLayerFile(source: ImageSource, path: string): Promise<string | undefined> {
  const layer = source.layers[0]!;
  const stream = await source.openLayer(layer);
  const tar = extract();
  let found: string | undefined;
  tar.on('entry', (header, entry, next) => {
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    entry.on('end', () => {
      if (header.name.replace(/^\.?\//, '') === path) found = Buffer.concat(chunks).toString('utf8');
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    tar.on('error', reject);
    tar.on('finish', resolve);
    stream.pipe(createGunzip()).pipe(tar);
  });
  return found;
}

function hasCode(code: string, fragment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof BulwarkError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(fragment), error.message);
    return true;
  };
}

test('openRegistryImage single OCI image', { skip }, async () => {
  const source = await open('test/app:v1');
  try {
    const manifest = await client.getManifest(parseReference(`${fixture.registry.host}/test/app:v1`));
    assert.equal(source.type, 'registry');
    assert.equal(source.name, `${fixture.registry.host}/test/app:v1`);
    assert.equal(source.manifestDigest, manifest.digest);
    assert.deepEqual(source.repoTags, [`${fixture.registry.host}/test/app:v1`]);
    assert.equal(source.config.architecture, 'amd64');
    assert.equal(source.layers.length, 1);
    assert.equal(source.layers[0]?.mediaType, MediaType.ociLayerGzip);
    assert.equal(source.layers[0]?.diffId, source.config.rootfs?.diff_ids[0]);
    assert.equal(await readLayerFile(source, 'etc/hostname'), 'amd64\n');
  } finally {
    await source.close();
  }
});

test('openRegistryImage docker media types', { skip }, async () => {
  const source = await open('test/app:docker');
  try {
    assert.equal(source.layers[0]?.mediaType, MediaType.dockerLayerGzip);
    assert.equal(await readLayerFile(source, 'etc/os-release'), 'ID=alpine\nVERSION_ID=3.20.0\n');
  } finally {
    await source.close();
  }
});

test('openRegistryImage index default platform', { skip }, async () => {
  const source = await open('test/multi:v1');
  try {
    assert.equal(source.config.architecture, 'amd64');
    assert.equal(await readLayerFile(source, 'etc/hostname'), 'amd64\n');
  } finally {
    await source.close();
  }
});

test('openRegistryImage index arm64 platform', { skip }, async () => {
  for (const platform of [{ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'aarch64' }]) {
    const source = await open('test/multi:v1', { platform });
    try {
      assert.equal(source.config.architecture, 'arm64');
      assert.equal(await readLayerFile(source, 'etc/hostname'), 'arm64\n');
    } finally {
      await source.close();
    }
  }
});

test('openRegistryImage missing platform', { skip }, async () => {
  await assert.rejects(open('test/multi:v1', { platform: { os: 'linux', architecture: 's390x' } }), hasCode('NOT_FOUND', 'no manifest for platform linux/s390x; it offers linux/amd64, linux/arm64/v8'));
});

test('openRegistryImage platform mismatch single', { skip }, async () => {
  await assert.rejects(open('test/app:v1', { platform: { os: 'linux', architecture: 'arm64' } }), hasCode('NOT_FOUND', 'is for platform linux/amd64, not the requested linux/arm64'));
});

test('openRegistryImage nested index', { skip }, async () => {
  const multi = await client.getManifest(parseReference(`${fixture.registry.host}/test/multi:v1`));
  const outer = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociIndex, digest: multi.digest, size: multi.content.length }],
  }));
  await client.putManifest(parseReference(`${fixture.registry.host}/test/multi:nested`), outer, MediaType.ociIndex);
  const source = await open('test/multi:nested', { platform: { os: 'linux', architecture: 'arm64' } });
  try {
    assert.equal(source.config.architecture, 'arm64');
  } finally {
    await source.close();
  }
});

test('openRegistryImage by digest', { skip }, async () => {
  const source = await open(`test/multi@${fixture.indexDigest}`);
  try {
    assert.deepEqual(source.repoTags, []);
    assert.equal(source.config.architecture, 'amd64');
  } finally {
    await source.close();
  }
});

test('openRegistryImage foreign layer unsupported', { skip }, async () => {
  const fetched = await client.getManifest(parseReference(`${fixture.registry.host}/test/app:docker`));
  assert.ok(fetched.manifest.kind === 'manifest');
  const document = JSON.parse(fetched.content.toString('utf8')) as { layers: Array<{ mediaType: string; urls?: string[] }> };
  document.layers[0]!.mediaType = MediaType.dockerForeignLayerGzip;
  document.layers[0]!.urls = ['https://example.invalid/layer.tar.gz'];
  const body = Buffer.from(JSON.stringify(document));
  proxy.inject({ path: /\/manifests\/windows$/, action: { type: 'respond', status: 200, headers: { 'content-type': MediaType.dockerManifest }, body } });
  await assert.rejects(openRegistryImage(`${proxy.host}/test/app:windows`, OPTIONS), hasCode('UNSUPPORTED', 'foreign or non-distributable layer'));
});

test('openRegistryImage artifact unsupported', { skip }, async () => {
  const target = parseReference(`${fixture.registry.host}/test/artifact:v1`);
  const config = await client.putBlob(target, Buffer.from('{}'));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: 'application/vnd.example.thing.config.v1+json', ...config }, layers: [] }));
  await client.putManifest(target, manifest, MediaType.ociManifest);
  await assert.rejects(open('test/artifact:v1'), hasCode('UNSUPPORTED', 'is not a container image: its config has media type "application/vnd.example.thing.config.v1+json"'));
});

test('openRegistryImage invalid reference', { skip }, async () => {
  await assert.rejects(openRegistryImage('Bad/Name', OPTIONS), hasCode('USAGE', '"Bad/Name"'));
});
