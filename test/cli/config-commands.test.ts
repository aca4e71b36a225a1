import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { PROJECT_ROOT } from '../helpers/shared.js';

const BIN = join(PROJECT_ROOT, 'bin', 'bulwark.js');
const work = mkdtempSync(join(tmpdir(), 'bulwark-config-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function bulwark(args: string[], options: { input?: string; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? work, encoding: 'utf8', input: options.input ?? '', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DOCKERFILE = ['FROM ubuntu:latest', 'RUN apt-get update && apt-get install -y curl', 'ENV DB_PASSWORD=hunter2', 'CMD node app.js', ''].join('\n');
const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '    - name: web', '      image: nginx:1.25', '      securityContext:', '        privileged: true', ''].join('\n');

before(() => {
  mkdirSync(join(work, 'project', 'deploy'), { recursive: true });
  mkdirSync(join(work, 'project', 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(work, 'project', 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(work, 'project', 'node_modules', 'x', 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(work, 'project', 'deploy', 'pod.yaml'), POD);
  writeFileSync(join(work, 'project', 'deploy', 'values.yaml'), 'replicas: 3\n');
});

describe('bulwark config', () => {
  it('reports one result per checked file', () => {
    const { code, stdout } = bulwark(['config', join(work, 'project'), '--format', 'json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.results.map((result: { target: string; type: string }) => `${result.target} ${result.type}`), ['Dockerfile dockerfile', 'deploy/pod.yaml kubernetes']);
    const dockerfile = report.results[0];
    assert.ok(dockerfile.misconfigurations.some((finding: { aliases: string[]; location: { startLine: number } }) => finding.aliases.includes('DL3007') && finding.location.startLine === 1));
  });

  it('keeps each root in paths of several', () => {
    mkdirSync(join(work, 'two', 'a'), { recursive: true });
    mkdirSync(join(work, 'two', 'b'), { recursive: true });
    writeFileSync(join(work, 'two', 'a', 'Dockerfile'), 'FROM debian:12\nUSER 1000\n');
    writeFileSync(join(work, 'two', 'b', 'Dockerfile'), 'FROM debian\n');
    const { stdout } = bulwark(['config', 'a', 'b', '--format', 'json'], { cwd: join(work, 'two') });
    assert.deepEqual(JSON.parse(stdout).results.map((result: { target: string }) => result.target), ['a/Dockerfile', 'b/Dockerfile']);
  });

  it('finds privileged pods at the right line', () => {
    const { stdout } = bulwark(['config', join(work, 'project', 'deploy', 'pod.yaml'), '--format', 'json', '--pss', 'baseline']);
    const findings = JSON.parse(stdout).results[0].misconfigurations as Array<{ id: string; location: { startLine: number }; object: { name: string; container?: string } }>;
    const privileged = findings.find((finding) => finding.id === 'pss/privileged');
    assert.ok(privileged, `no pss/privileged among ${findings.map((finding) => finding.id).join(', ')}`);
    assert.equal(privileged.location.startLine, 10);
    assert.equal(privileged.object.container, 'web');
  });

  it('reads a Dockerfile from stdin', () => {
    const { code, stdout } = bulwark(['config', '-', '--format', 'json'], { input: DOCKERFILE });
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.results[0].target, '-');
    assert.equal(report.results[0].type, 'dockerfile');
  });

  it('reads a manifest from stdin', () => {
    const { stdout } = bulwark(['config', '-', '--format', 'json'], { input: POD });
    assert.equal(JSON.parse(stdout).results[0].type, 'kubernetes');
  });

  it('applies settings and exit code', () => {
    writeFileSync(join(work, 'project', 'strict.yaml'), 'ignore: []\n');
    assert.equal(bulwark(['config', join(work, 'project'), '--exit-code', '3', '--quiet']).code, 3);
    writeFileSync(join(work, 'settings.yaml'), 'severity:\n  BW-DF-3007: LOW\n');
    const { stdout } = bulwark(['config', join(work, 'project', 'Dockerfile'), '--config', join(work, 'settings.yaml'), '--format', 'json']);
    const latest = JSON.parse(stdout).results[0].misconfigurations.find((finding: { id: string }) => finding.id === 'BW-DF-3007');
    assert.equal(latest.severity, 'LOW');
  });

  it('writes SARIF with rule metadata', () => {
    const { code, stdout } = bulwark(['config', join(work, 'project', 'Dockerfile'), '--format', 'sarif']);
    assert.equal(code, 0);
    const sarif = JSON.parse(stdout);
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string }>;
    const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    assert.ok(results.length > 0);
    for (const result of results) assert.ok(rules.some((rule) => rule.id === result.ruleId), `rule ${result.ruleId} has no metadata`);
    assert.equal(results.find((result) => result.ruleId === 'BW-DF-3007')?.locations[0]?.physicalLocation.region.startLine, 1);
  });

  it('exits 2 on a file that is not a Dockerfile', () => {
    writeFileSync(join(work, 'binary.Dockerfile'), Buffer.from([0, 1, 2, 3]));
    const { code, stdout } = bulwark(['config', join(work, 'binary.Dockerfile'), '--format', 'json']);
    assert.equal(code, 2);
    assert.match(JSON.parse(stdout).errors[0].message, /binary and not a Dockerfile/);
  });

  it('names a missing path', () => {
    const { code, stdout } = bulwark(['config', join(work, 'missing'), '--format', 'json']);
    assert.equal(code, 2);
    assert.match(JSON.parse(stdout).errors[0].message, /cannot read the path/);
  });
});
