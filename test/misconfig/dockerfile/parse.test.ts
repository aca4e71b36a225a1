import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lintDockerfile, parseDockerfile, type DockerfileSettings } from '../../../src/misconfig/dockerfile/index.js';
import { MAX_DOCKERFILE_BYTES } from '../../../src/misconfig/dockerfile/source-text.js';

const SETTINGS: DockerfileSettings = { trustedRegistries: [], requiredLabels: {}, strictLabels: false, requireDigest: false, enable: [], disableIgnorePragma: false };

async function lint(content: Buffer | string, options: { shellcheck?: boolean; ignore?: string[] } = {}) {
  const buffer = typeof content === 'string' ? Buffer.from(content) : content;
  return lintDockerfile({ path: 'Dockerfile', content: buffer }, { settings: SETTINGS, global: { ignore: options.ignore ?? [], severity: { DL3007: 'CRITICAL' } }, shellcheck: options.shellcheck ?? false });
}

test('parse heredocs with real lines', () => {
  const parsed = parseDockerfile('FROM debian:12\nRUN <<A cat > /a && <<-"B" sh\none\nA\n\ttwo\n\tB\nCMD ["x"]\n');
  const run = parsed.instructions[1];
  assert.equal(run?.startLine, 2);
  assert.equal(run?.endLine, 6);
  assert.deepEqual(run?.heredocs.map((heredoc) => [heredoc.name, heredoc.body, heredoc.bodyStartLine, heredoc.terminated]), [['A', 'one', 3, true], ['B', 'two', 5, true]]);
  assert.equal(parsed.instructions[2]?.startLine, 7);
  assert.deepEqual(parsed.instructions[2]?.json, ['x']);
});

test('parse stages, ARG before FROM and ONBUILD', () => {
  const parsed = parseDockerfile('ARG V=12\nFROM debian:${V} AS Base\nONBUILD RUN make\nFROM base\n');
  assert.deepEqual(parsed.stages.map((stage) => [stage.image, stage.name]), [['debian:${V}', 'base'], ['base', undefined]]);
  assert.equal(parsed.instructions[0]?.stage, -1);
  assert.deepEqual(parsed.instructions.filter((instruction) => instruction.onbuild).map((instruction) => [instruction.keyword, instruction.text]), [['RUN', 'make']]);
});

test('parse RUN flags', () => {
  const run = parseDockerfile('FROM debian:12\nRUN --mount=type=secret,id=a --network=none --security=sandbox make\n').instructions[1];
  assert.deepEqual(run?.flags.get('mount'), ['type=secret,id=a']);
  assert.deepEqual(run?.flags.get('network'), ['none']);
  assert.equal(run?.text, 'make');
});

test('binary file is a diagnostic', async () => {
  const result = await lint(Buffer.from([0x46, 0x52, 0x0a, 0x00, 0x01]));
  assert.equal(result.diagnostics[0]?.code, 'FORMAT_INVALID');
  assert.match(result.diagnostics[0]?.message ?? '', /^line 2: NUL byte/);
  assert.equal(result.misconfigurations.length, 0);
});

test('huge file is a diagnostic', async () => {
  const result = await lint(Buffer.alloc(MAX_DOCKERFILE_BYTES + 1, 0x41));
  assert.equal(result.diagnostics[0]?.code, 'LIMIT_EXCEEDED');
});

test('invalid UTF-8 names its line', async () => {
  const result = await lint(Buffer.concat([Buffer.from('FROM debian:12\nLABEL a="'), Buffer.from([0xff, 0xfe]), Buffer.from('"\nUSER app\n')]));
  assert.match(result.diagnostics[0]?.message ?? '', /^line 2: invalid UTF-8/);
  assert.ok(result.misconfigurations.some((finding) => finding.id === 'BW-DF-3057'));
});

test('byte-order mark and CRLF are findings', async () => {
  const result = await lint('\uFEFFFROM debian:12\r\nUSER app\r\n');
  const ids = result.misconfigurations.map((finding) => `${finding.id}@${finding.location?.startLine}`);
  assert.ok(ids.includes('BW-DF-0003@1'));
  assert.ok(ids.includes('BW-DF-0004@1'));
  assert.ok(!ids.some((id) => id.startsWith('BW-DF-0001')));
});

test('syntax problems name their lines', async () => {
  const result = await lint('FROM debian:12\nRUNN x\nCMD ["a"\nRUN <<EOF\nnever closed\n');
  const messages = result.misconfigurations.filter((finding) => finding.id.startsWith('BW-DF-000')).map((finding) => `${finding.location?.startLine} ${finding.id}`);
  assert.deepEqual(messages, ['2 BW-DF-0001', '3 BW-DF-0002', '4 BW-DF-0001']);
});

test('missing FROM is a finding', async () => {
  const result = await lint('RUN echo hi\n');
  assert.ok(result.misconfigurations.some((finding) => finding.id === 'BW-DF-0001' && /no FROM/.test(finding.message)));
});

test('pragmas and settings ignore by alias', async () => {
  const text = '# hadolint global ignore=DL3057\nFROM debian:12\n# bulwark ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends wget\nFROM alpine:latest\n';
  const result = await lint(text, { ignore: ['BW-DF-5002'] });
  const found = result.misconfigurations.map((finding) => `${finding.id}@${finding.location?.startLine}`);
  assert.ok(!found.some((id) => id.startsWith('BW-DF-3057')));
  assert.ok(!found.includes('BW-DF-3008@4'));
  assert.ok(found.includes('BW-DF-3008@5'));
  assert.ok(!found.some((id) => id.startsWith('BW-DF-5002')));
  assert.equal(result.misconfigurations.find((finding) => finding.id === 'BW-DF-3007')?.severity, 'CRITICAL');
});

test('ShellCheck findings map to continuation lines', async () => {
  const result = await lint('FROM debian:12\nARG VERSION\nRUN echo start \\\n  # comment\n  && echo $VERSION \\\n  && echo $undefined_thing\n', { shellcheck: true });
  const sc = result.misconfigurations.filter((finding) => finding.id.startsWith('SC')).map((finding) => `${finding.id}@${finding.location?.startLine}`);
  assert.ok(sc.includes('SC2086@5'), sc.join(' '));
  assert.ok(sc.includes('SC2154@6'), sc.join(' '));
  assert.ok(!sc.some((id) => id.startsWith('SC2154@5')), sc.join(' '));
});

test('ShellCheck reads heredoc scripts', async () => {
  const result = await lint('FROM debian:12\nRUN <<EOF\nset -e\nrm -rf $DIR/\nEOF\n', { shellcheck: true });
  assert.ok(result.misconfigurations.some((finding) => finding.id === 'SC2115' && finding.location?.startLine === 4), JSON.stringify(result.misconfigurations.map((f) => f.id)));
});

test('missing ShellCheck is an UNSUPPORTED diagnostic', async () => {
  const result = await lintDockerfile(
    { path: 'Dockerfile', content: Buffer.from('FROM debian:12\nRUN echo $x\n') },
    { settings: SETTINGS, global: { ignore: [], severity: {} }, shellcheckExecutable: '/nonexistent/shellcheck' },
  );
  assert.equal(result.diagnostics.length, 1);
  assert.equal(result.diagnostics[0]?.code, 'UNSUPPORTED');
});

/** Inputs built to make a careless parser slow: [name, Dockerfile, expected number of findings]. */
const ADVERSARIAL: [string, string, number][] = [
  ['chained stages', Array.from({ length: 5000 }, (_, i) => `FROM s${i} AS s${i + 1}\nCOPY x .`).join('\n'), 5003],
  ['pragmas before a heredoc', `FROM debian:12\nUSER app\n${'# hadolint ignore=DL3008\n'.repeat(5000)}RUN <<EOF\n${'apt-get install -y --no-install-recommends curl\n'.repeat(5000)}EOF\n`, 1],
  ['comment continuation', `FROM debian:12\nUSER app\nRUN a \\\n${'# c\n\\\n'.repeat(50000)}`, 1],
  ['unclosed quotes and substitutions', `FROM debian:12\nUSER app\nRUN echo ${'"\'$(`'.repeat(50000)}`, 1],
  ['many heredoc operators', `FROM debian:12\nUSER app\nRUN ${'<<A'.repeat(50000)}\n`, 2],
];

for (const [name, text, expected] of ADVERSARIAL) {
  test(`adversarial input: ${name}`, { timeout: 60_000 }, async () => {
    const result = await lint(text);
    assert.equal(result.misconfigurations.length, expected, result.misconfigurations.slice(0, 5).map((finding) => `${finding.id} ${finding.message}`).join('\n'));
  });
}

test('heredoc shebang picks the shell', async () => {
  // [[ ]] is bash: ShellCheck reports SC3010 when it checks the script as sh.
  const bash = await lint('FROM debian:12\nRUN <<EOF\n#!/bin/bash\n[[ -f /x ]] && echo y\nEOF\n', { shellcheck: true });
  const sh = await lint('FROM debian:12\nRUN <<EOF\n[[ -f /x ]] && echo y\nEOF\n', { shellcheck: true });
  assert.ok(!bash.misconfigurations.some((finding) => finding.id === 'SC3010'));
  assert.ok(sh.misconfigurations.some((finding) => finding.id === 'SC3010'));
});
