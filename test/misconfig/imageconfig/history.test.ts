import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ImageConfig } from '../../../src/artifact/source.js';
import { describeLayer, readHistory, summarizeCommand } from '../../../src/misconfig/imageconfig/history.js';
import { unpinnedTag } from '../../../src/misconfig/imageconfig/history-checks.js';

test('buildah with --layers marks the build start', () => {
  const config: ImageConfig = {
    history: [
      { created_by: 'umoci repack' },
      { created_by: 'umoci config', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) COPY dir:1 in /app/ ', comment: 'FROM localhost/12:latest' },
      { created_by: '/bin/sh -c rm -rf /tmp/x', comment: 'FROM cdf26c35188d' },
      { created_by: '/bin/sh -c #(nop) USER root', comment: 'FROM e4b9a9846d37', empty_layer: true },
    ],
  };
  const history = readHistory(config, 3);
  assert.equal(history.layersMapped, true);
  assert.equal(history.baseLayerCount, 1);
  assert.equal(history.baseReference, 'localhost/12:latest');
  assert.equal(history.baseReferenceIndex, 2);
  assert.deepEqual(history.steps.map((step) => step.layer), [0, undefined, 1, 2, undefined]);
});

test('buildah without --layers marks the last step', () => {
  const config: ImageConfig = {
    history: [
      { created_by: 'umoci repack' },
      { created_by: '/bin/sh -c #(nop) ENV A=b', empty_layer: true },
      { created_by: '/bin/sh -c chmod 4755 /tool', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) USER root', comment: 'FROM debian:12' },
    ],
  };
  const history = readHistory(config, 2);
  assert.equal(history.baseLayerCount, 1);
  assert.equal(history.baseReference, 'debian:12');
});

test('base built by buildah is skipped', () => {
  const config: ImageConfig = {
    history: [
      { created_by: 'ADD rootfs' },
      { created_by: 'RUN base step', comment: 'FROM debian:12' },
      { created_by: 'RUN app step', comment: 'FROM registry.example.com/base:2' },
    ],
  };
  const history = readHistory(config, 3);
  assert.equal(history.baseLayerCount, 2);
  assert.equal(history.baseReference, 'registry.example.com/base:2');
});

test('Docker history has no base', () => {
  const history = readHistory({ history: [{ created_by: 'ADD file:1 in /' }, { created_by: 'RUN x' }] }, 2);
  assert.equal(history.layersMapped, true);
  assert.equal(history.baseLayerCount, undefined);
  assert.equal(history.baseReference, undefined);
});

test('layer count mismatch drops the mapping', () => {
  const history = readHistory({ history: [{ created_by: 'A' }, { created_by: 'B', comment: 'FROM debian:12' }] }, 3);
  assert.equal(history.layersMapped, false);
  assert.equal(history.layerSteps, 2);
  assert.equal(history.baseLayerCount, undefined);
  assert.equal(history.baseReference, 'debian:12');
  assert.deepEqual(history.steps.map((step) => step.layer), [undefined, undefined]);
});

test('summarizeCommand drops prefixes and credentials', () => {
  assert.equal(summarizeCommand('/bin/sh -c #(nop)  USER root'), 'USER root');
  assert.equal(summarizeCommand('|2 TOKEN=abc VERSION=1 /bin/sh -c make install'), 'make install');
  assert.equal(summarizeCommand('RUN |1 TOKEN=abc /bin/sh -c make'), 'make');
  assert.equal(summarizeCommand('/bin/sh -c curl https://user:pw@example.com/x'), 'curl https://***@example.com/x');
  assert.equal(summarizeCommand(`/bin/sh -c ${'x'.repeat(200)}`), `${'x'.repeat(77)}...`);
});

test('describeLayer names index, diffID and step', () => {
  const history = readHistory({ history: [{ created_by: '/bin/sh -c #(nop) ADD file:1 in / ' }] }, 1);
  assert.equal(describeLayer(history, 0, ['sha256:0123456789abcdef0123']), 'layer 0 0123456789ab (ADD file:1 in /)');
  assert.equal(describeLayer(history, 5, []), 'layer 5');
});

test('unpinnedTag reads references', () => {
  const cases: Array<[string, string | undefined]> = [
    ['debian', 'untagged'],
    ['debian:latest', 'latest'],
    ['docker://debian:latest', 'latest'],
    ['localhost:5000/team/app', 'untagged'],
    ['localhost:5000/team/app:1.2', undefined],
    ['debian@sha256:abc', undefined],
    ['debian:latest@sha256:abc', undefined],
    ['scratch', undefined],
    ['', undefined],
  ];
  for (const [reference, problem] of cases) assert.equal(unpinnedTag(reference), problem, reference);
});
