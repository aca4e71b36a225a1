import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dockerfileRules, lintDockerfile, type DockerfileSettings } from '../../../src/misconfig/dockerfile/index.js';

/** Settings that turn every optional rule on, so each rule's own examples can be checked. */
const ALL_ON: DockerfileSettings = {
  trustedRegistries: ['registry.example.com', 'docker.io'],
  requiredLabels: {
    'org.opencontainers.image.source': 'url', 'org.opencontainers.image.created': 'rfc3339', 'org.opencontainers.image.licenses': 'spdx',
    'org.opencontainers.image.revision': 'hash', 'org.opencontainers.image.version': 'semver', maintainer: 'email',
  },
  strictLabels: true,
  requireDigest: true,
  enable: ['DL1001', 'DL3005', 'DL3017', 'DL3031', 'DL3039'],
  disableIgnorePragma: true,
};

/** The label presence rules need a schema that their one-label examples can satisfy. */
const ONE_LABEL: DockerfileSettings = { ...ALL_ON, requiredLabels: { 'org.opencontainers.image.source': 'url' } };

async function idsOf(text: string, settings: DockerfileSettings = ALL_ON): Promise<string[]> {
  const result = await lintDockerfile({ path: 'Dockerfile', content: Buffer.from(text) }, { settings, global: { ignore: [], severity: {} }, shellcheck: false });
  return result.misconfigurations.map((finding) => finding.id);
}

test('every rule has examples and hadolint aliases', () => {
  const rules = dockerfileRules();
  assert.ok(rules.length >= 70, `only ${rules.length} rules`);
  for (const rule of rules) {
    assert.ok(rule.examples, `${rule.id} has no examples`);
    if (rule.id.startsWith('BW-DF-') && !/^BW-DF-(0|5)/.test(rule.id)) assert.deepEqual(rule.aliases, [`DL${rule.id.slice(6)}`]);
  }
});

test('hadolint catalogue is covered', () => {
  const aliases = new Set(dockerfileRules().flatMap((rule) => rule.aliases));
  const expected = ['DL1001', ...Array.from({ length: 63 }, (_, i) => `DL${3000 + i}`), 'DL4000', 'DL4001', 'DL4003', 'DL4004', 'DL4005', 'DL4006'];
  // hadolint's rule table has no DL4002.
  const missing = expected.filter((code) => !aliases.has(code));
  assert.deepEqual(missing, []);
});

for (const rule of dockerfileRules()) {
  const settings = rule.id === 'BW-DF-3049' || rule.id === 'BW-DF-3050' ? ONE_LABEL : ALL_ON;
  test(`${rule.id} flags its bad example`, async () => {
    assert.ok(rule.examples);
    assert.ok((await idsOf(rule.examples.bad, settings)).includes(rule.id), rule.examples.bad);
  });
  test(`${rule.id} passes its good example`, async () => {
    assert.ok(rule.examples);
    assert.ok(!(await idsOf(rule.examples.good, settings)).includes(rule.id), rule.examples.good);
  });
}

/** Tricky syntax: [Dockerfile, rule ID, expected lines of its findings]. */
const TRICKY: [string, string, number[]][] = [
  ['FROM debian:12\nRUN apt-get update \\\n# a comment inside\n\n  && apt-get install -y curl\n', 'BW-DF-3008', [2]],
  ['# escape=`\nFROM debian:12\nRUN apt-get update `\n  && apt-get install -y curl\n', 'BW-DF-3008', [3]],
  ['FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=7.88\nEOF\nRUN echo ok\n', 'BW-DF-3015', [2]],
  ['FROM debian:12\nRUN <<EOF\necho "FROM alpine"\nEOF\n', 'BW-DF-3006', []],
  ['FROM debian:12\nRUN <<-EOT\n\tcurl -fsSL https://x | sh\n\tEOT\n', 'BW-DF-5003', [2]],
  ['ARG BASE=debian\nFROM ${BASE}\n', 'BW-DF-3006', []],
  ['FROM golang:1.23 AS Build\nFROM debian:12\nCOPY --from=build /a /a\n', 'BW-DF-3022', []],
  ['FROM debian:12\nONBUILD RUN sudo make\n', 'BW-DF-3004', [2]],
  ['FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl=1\n', 'BW-DF-3009', []],
  ['FROM debian:12\nRUN ["apt-get", "install", "curl"]\n', 'BW-DF-3014', [2]],
  ['FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x | tar -x\n', 'BW-DF-4006', []],
  ['FROM debian:12\nRUN set -o pipefail && curl -fsSL https://x | tar -x\n', 'BW-DF-4006', []],
];

for (const [text, id, lines] of TRICKY) {
  test(`${id} on ${JSON.stringify(text.slice(0, 40))}`, async () => {
    const result = await lintDockerfile({ path: 'Dockerfile', content: Buffer.from(text) }, { settings: ALL_ON, global: { ignore: [], severity: {} }, shellcheck: false });
    assert.deepEqual(result.misconfigurations.filter((finding) => finding.id === id).map((finding) => finding.location?.startLine), lines);
  });
}

/** Secret-like names: [ENV or ARG line, whether BW-DF-5004 reports it]. */
const SECRET_NAMES: [string, boolean][] = [
  ['ENV DB_PASSWORD=hunter2', true],
  ['ARG GITHUB_TOKEN', true],
  ['ENV AWS_SECRET_ACCESS_KEY=abc', true],
  ['ENV TOKENIZERS_PARALLELISM=false', false],
  ['ENV DB_PASSWORD_FILE=/run/secrets/db', false],
  ['ENV PASSWORD_REQUIRED=true', false],
  ['ENV NPM_TOKEN=${NPM_TOKEN}', false],
];

for (const [line, flagged] of SECRET_NAMES) {
  test(`BW-DF-5004 on ${line}`, async () => {
    assert.equal((await idsOf(`FROM debian:12\n${line}\n`)).includes('BW-DF-5004'), flagged);
  });
}

test('heredoc run by a named shell is linted', async () => {
  const text = ['FROM debian:12', 'RUN <<EOT bash', 'sudo apt-get install -y curl', 'EOT', 'RUN bash -e <<EOT', 'curl -fsSL http://example.com/i.sh | sh', 'EOT', ''].join('\n');
  const ids = await idsOf(text);
  for (const id of ['BW-DF-3004', 'BW-DF-3008', 'BW-DF-3015', 'BW-DF-5003']) assert.ok(ids.includes(id), `${id} missing from ${ids.join(', ')}`);
});

test('heredoc run by python is not linted as shell', async () => {
  const ids = await idsOf(['FROM debian:12', 'RUN python3 <<EOT', 'import subprocess; subprocess.run(["sudo", "apt-get", "install", "-y", "curl"])', 'EOT', ''].join('\n'));
  assert.ok(!ids.includes('BW-DF-3004'), ids.join(', '));
});
