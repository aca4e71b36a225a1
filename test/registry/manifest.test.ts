import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { MediaType, parseManifest } from '../../src/registry/manifest.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function rejectsWith(code: string, fragment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof BulwarkError);
    assert.equal(error.code, code);
    assert.ok(error.message.includes(fragment), error.message);
    return true;
  };
}

test('parseManifest docker schema2', () => {
  const content = json({
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: D1, size: 10 },
    layers: [{ mediaType: MediaType.dockerLayerGzip, digest: D2, size: 20 }],
  });
  assert.deepEqual(parseManifest(content, MediaType.dockerManifest, 'x'), {
    kind: 'manifest',
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: D1, size: 10 },
    layers: [{ mediaType: MediaType.dockerLayerGzip, digest: D2, size: 20 }],
  });
});

test('parseManifest index from content type', () => {
  const content = json({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest: D1, size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] });
  const parsed = parseManifest(content, `${MediaType.ociIndex}; charset=utf-8`, 'x');
  assert.equal(parsed.kind, 'index');
  assert.equal(parsed.mediaType, MediaType.ociIndex);
  assert.deepEqual(parsed.kind === 'index' && parsed.manifests[0]?.platform, { os: 'linux', architecture: 'arm64', variant: 'v8' });
});

test('parseManifest shape without types', () => {
  const index = parseManifest(json({ schemaVersion: 2, manifests: [] }), 'application/json', 'x');
  assert.equal(index.kind, 'index');
  const manifest = parseManifest(json({ schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: D1, size: 1 }, layers: [] }), undefined, 'x');
  assert.equal(manifest.kind, 'manifest');
});

test('parseManifest schema1 unsupported', () => {
  assert.throws(() => parseManifest(json({ schemaVersion: 1, name: 'a', fsLayers: [] }), MediaType.dockerManifestV1Signed, 'a:1'), rejectsWith('UNSUPPORTED', 'schema 1'));
  assert.throws(() => parseManifest(json({ schemaVersion: 2 }), MediaType.dockerManifestV1, 'a:1'), rejectsWith('UNSUPPORTED', 'schema 1'));
});

test('parseManifest invalid documents', () => {
  assert.throws(() => parseManifest(Buffer.from('{'), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'manifest a:1 is not valid JSON'));
  assert.throws(() => parseManifest(json([1]), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'not a JSON object'));
  assert.throws(() => parseManifest(json({ schemaVersion: 3 }), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'schemaVersion 3'));
  assert.throws(() => parseManifest(json({ schemaVersion: 2, mediaType: 'application/vnd.example+json' }), undefined, 'a:1'), rejectsWith('UNSUPPORTED', 'application/vnd.example+json'));
  const badDigest = { schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: 'sha256:xyz', size: 1 }, layers: [] };
  assert.throws(() => parseManifest(json(badDigest), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'a:1 config has invalid digest "sha256:xyz"'));
  const badSize = { schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: D1, size: 1 }, layers: [{ mediaType: MediaType.ociLayerGzip, digest: D2, size: -1 }] };
  assert.throws(() => parseManifest(json(badSize), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'a:1 layers[0] has invalid size -1'));
  const noLayers = { schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: D1, size: 1 } };
  assert.throws(() => parseManifest(json(noLayers), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'no "layers" array'));
  const badAnnotations = { schemaVersion: 2, manifests: [], annotations: { a: 1 } };
  assert.throws(() => parseManifest(json(badAnnotations), undefined, 'a:1'), rejectsWith('FORMAT_INVALID', 'annotations of a:1'));
});
