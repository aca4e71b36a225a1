import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Descriptor } from '../../src/registry/manifest.js';
import { listPlatforms, selectPlatformManifest } from '../../src/registry/platform.js';

function entry(n: number, os: string, architecture: string, variant?: string): Descriptor {
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
    size: 100,
    platform: { os, architecture, ...(variant !== undefined && { variant }) },
  };
}

test('selectPlatformManifest exact and aliases', () => {
  const index = [entry(1, 'linux', 'amd64'), entry(2, 'linux', 'arm64', 'v8'), entry(3, 'linux', 'arm', 'v7'), entry(4, 'linux', 'arm', 'v6'), entry(5, 'unknown', 'unknown')];
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 'amd64' }), index[0]);
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 'arm64' }), index[1]);
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 'aarch64' }), index[1]);
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 'arm' }), index[2]);
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 'arm', variant: 'v6' }), index[3]);
  assert.equal(selectPlatformManifest(index, { os: 'linux', architecture: 's390x' }), undefined);
  assert.equal(selectPlatformManifest(index, { os: 'unknown', architecture: 'unknown' }), undefined);
});

test('selectPlatformManifest compatible fallbacks', () => {
  const armOnly = [entry(1, 'linux', 'arm', 'v5'), entry(2, 'linux', 'arm', 'v6')];
  assert.equal(selectPlatformManifest(armOnly, { os: 'linux', architecture: 'arm', variant: 'v7' }), armOnly[1]);
  assert.equal(selectPlatformManifest(armOnly, { os: 'linux', architecture: 'arm', variant: 'v5' }), armOnly[0]);
  const amd64Variants = [entry(1, 'linux', 'amd64', 'v3'), entry(2, 'linux', 'amd64', 'v2')];
  assert.equal(selectPlatformManifest(amd64Variants, { os: 'linux', architecture: 'amd64' }), amd64Variants[1]);
  assert.equal(selectPlatformManifest(amd64Variants, { os: 'linux', architecture: 'amd64', variant: 'v4' }), undefined);
});

test('listPlatforms sorted unique', () => {
  const index = [entry(1, 'linux', 'arm64', 'v8'), entry(2, 'linux', 'amd64'), entry(3, 'linux', 'amd64'), entry(4, 'unknown', 'unknown')];
  assert.deepEqual(listPlatforms(index), ['linux/amd64', 'linux/arm64/v8']);
});
