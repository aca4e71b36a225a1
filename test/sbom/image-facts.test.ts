import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Artifact } from '../../src/model/report.js';
import { imageConfigFacts, imagePurl } from '../../src/sbom/image-facts.js';

const MANIFEST = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const CONFIG = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';

test('facts list config items', () => {
  const artifact: Artifact = {
    name: 'x',
    type: 'container-image',
    imageConfig: { architecture: 'amd64', user: 'root', cmd: ['node', '/app/index.js'], env: ['A=1', 'B=2'], exposedPorts: ['80/tcp'], labels: [{ key: 'k', value: 'v' }] },
  };
  assert.deepEqual(imageConfigFacts(artifact), [
    ['ImageConfig:Architecture', 'amd64'],
    ['ImageConfig:User', 'root'],
    ['ImageConfig:Cmd', '["node","/app/index.js"]'],
    ['ImageConfig:Env', 'A=1'],
    ['ImageConfig:Env', 'B=2'],
    ['ImageConfig:ExposedPort', '80/tcp'],
    ['ImageConfig:Label:k', 'v'],
  ]);
});

test('facts empty without config', () => {
  assert.deepEqual(imageConfigFacts({ name: 'dir', type: 'rootfs' }), []);
});

test('purl from registry digest', () => {
  const artifact: Artifact = {
    name: 'ghcr.io/org/app:1',
    type: 'container-image',
    digest: MANIFEST,
    imageId: CONFIG,
    repoDigests: [`ghcr.io/org/app@${MANIFEST}`],
    imageConfig: { architecture: 'arm64' },
  };
  assert.equal(imagePurl(artifact), `pkg:oci/app@${MANIFEST}?arch=arm64&repository_url=ghcr.io%2Forg%2Fapp`);
});

test('purl from layout repository tag', () => {
  const artifact: Artifact = { name: 'layout', type: 'container-image', digest: MANIFEST, imageId: CONFIG, repoTags: ['localhost:5000/team/App:1'] };
  assert.equal(imagePurl(artifact), `pkg:oci/app@${MANIFEST}?repository_url=localhost%3A5000%2Fteam%2FApp`);
});

test('no purl without a repository or manifest', () => {
  assert.equal(imagePurl({ name: 'layout', type: 'container-image', digest: MANIFEST, imageId: CONFIG, repoTags: ['12'] }), undefined);
  assert.equal(imagePurl({ name: 'a.tar', type: 'container-image', digest: CONFIG, imageId: CONFIG, repoTags: ['docker.io/library/debian:12'] }), undefined);
  assert.equal(imagePurl({ name: '/rootfs', type: 'rootfs' }), undefined);
});
