import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dockerfileScanner, isDockerfileName } from '../../../src/misconfig/dockerfile/index.js';
import { EMPTY_SETTINGS } from '../../../src/misconfig/settings.js';

/** File paths: [path, whether the Dockerfile scanner claims it]. */
const NAMES: [string, boolean][] = [
  ['Dockerfile', true],
  ['app/Containerfile', true],
  ['build/Dockerfile.prod', true],
  ['api.Dockerfile', true],
  ['api.dockerfile', true],
  ['Dockerfile.dockerignore', false],
  ['docs/Dockerfile.md.txt', true],
  ['Makefile', false],
  ['dockerfiles/app.yaml', false],
];

for (const [path, claimed] of NAMES) {
  test(`claims ${path}: ${claimed}`, () => {
    assert.equal(isDockerfileName(path), claimed);
  });
}

test('scan reports bad settings once', async () => {
  const settings = { ...EMPTY_SETTINGS, dockerfile: { trustedRegistries: 'docker.io', colour: 'red' } };
  const files = [
    { path: 'a/Dockerfile', content: Buffer.from('FROM debian:12\n') },
    { path: 'b/Dockerfile', content: Buffer.from('FROM debian:12\n') },
  ];
  const results = await dockerfileScanner.scan(files, { settings });
  assert.deepEqual(results.map((result) => result.path), ['a/Dockerfile', 'b/Dockerfile']);
  assert.deepEqual(results[0]?.diagnostics.map((diagnostic) => diagnostic.message), [
    'dockerfile.colour: unknown key; expected one of trustedRegistries, requiredLabels, strictLabels, requireDigest, enable, disableIgnorePragma',
    'dockerfile.trustedRegistries: must be a list of strings',
  ]);
  assert.deepEqual(results[1]?.diagnostics, []);
});
