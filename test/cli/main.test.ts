import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { PROJECT_ROOT } from '../helpers/shared.js';

const BIN = join(PROJECT_ROOT, 'bin', 'bulwark.js');
const EXAMPLE = join(PROJECT_ROOT, 'examples', 'debian-app.tar');
const work = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the built CLI the way a user does, with its own cache directory and no TTY. */
function bulwark(args: string[], options: { cwd?: string; cacheDir?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? work,
    encoding: 'utf8',
    env: { ...process.env, BULWARK_CACHE_DIR: options.cacheDir ?? join(work, 'cache-empty'), NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * An OSV record for the semver ReDoS advisory (GHSA-c2qf-rxjj-qqgw, CVE-2022-25883), with the
 * affected range and severity that the GitHub Advisory Database publishes. The example image
 * installs semver 7.5.1, the last affected release.
 */
const SEMVER_ADVISORY = {
  schema_version: '1.4.0',
  id: 'GHSA-c2qf-rxjj-qqgw',
  modified: '2023-11-06T05:01:46Z',
  published: '2023-06-21T06:30:28Z',
  aliases: ['CVE-2022-25883'],
  summary: 'semver vulnerable to Regular Expression Denial of Service',
  affected: [
    { package: { ecosystem: 'npm', name: 'semver' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '7.0.0' }, { fixed: '7.5.2' }] }] },
    { package: { ecosystem: 'npm', name: 'semver' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '6.0.0' }, { fixed: '6.3.1' }] }] },
  ],
  database_specific: { severity: 'MODERATE', github_reviewed: true },
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
};

const dbCache = join(work, 'cache-db');
before(() => {
  const records = join(work, 'osv');
  mkdirSync(records, { recursive: true });
  writeFileSync(join(records, 'GHSA-c2qf-rxjj-qqgw.json'), JSON.stringify(SEMVER_ADVISORY));
  const imported = bulwark(['db', 'import', '--quiet', records], { cacheDir: dbCache });
  assert.equal(imported.code, 0, imported.stderr);
});

describe('bulwark CLI', () => {
  it('prints help with exit 0', () => {
    const { code, stdout } = bulwark(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /image \[options\] \[target\]/);
  });

  it('rejects an invalid severity', () => {
    const { code, stderr } = bulwark(['image', EXAMPLE, '--severity', 'SEVERE']);
    assert.equal(code, 2);
    assert.match(stderr, /invalid --severity value "SEVERE"/);
  });

  it('reserves exit code 2', () => {
    const { code, stderr } = bulwark(['image', EXAMPLE, '--exit-code', '2']);
    assert.equal(code, 2);
    assert.match(stderr, /--exit-code 2 is reserved/);
  });

  it('lists packages without a DB', () => {
    const { code, stdout, stderr } = bulwark(['image', EXAMPLE, '--format', 'json']);
    assert.equal(code, 0);
    assert.match(stderr, /no vulnerability DB at .*bulwark db update/);
    const report = JSON.parse(stdout);
    assert.equal(report.artifact.os.family, 'debian');
    const os = report.results.find((result: { class: string }) => result.class === 'os-pkgs');
    assert.equal(os.packages.length, 15);
  });

  it('writes JSON valid against the schema', () => {
    const output = join(work, 'report.json');
    const { code, stdout } = bulwark(['image', EXAMPLE, '--format', 'json', '--output', output], { cacheDir: dbCache });
    assert.equal(code, 0);
    assert.equal(stdout, '');
    const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'report.schema.json'), 'utf8'));
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  });

  it('reports the semver advisory', () => {
    const { code, stdout } = bulwark(['image', EXAMPLE, '--format', 'json'], { cacheDir: dbCache });
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    const found = report.results.flatMap((result: { target: string; vulnerabilities?: Array<{ id: string; pkgName: string; fixedVersion: string; severity: string }> }) =>
      (result.vulnerabilities ?? []).map((vulnerability) => `${result.target} ${vulnerability.pkgName} ${vulnerability.id} ${vulnerability.fixedVersion} ${vulnerability.severity}`),
    );
    assert.deepEqual(found.sort(), [
      'app/node_modules semver CVE-2022-25883 7.5.2 MEDIUM',
      'app/package-lock.json semver CVE-2022-25883 7.5.2 MEDIUM',
    ]);
  });

  it('exits with --exit-code on findings', () => {
    assert.equal(bulwark(['image', EXAMPLE, '--exit-code', '1', '--quiet'], { cacheDir: dbCache }).code, 1);
    assert.equal(bulwark(['image', EXAMPLE, '--exit-code', '1', '--severity', 'CRITICAL,HIGH', '--quiet'], { cacheDir: dbCache }).code, 0);
  });

  it('honours the ignore file', () => {
    const project = join(work, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, '.bulwarkignore'), '# accepted until the upgrade\nCVE-2022-25883\n');
    // Only vulnerabilities: the image config checks would find the missing HEALTHCHECK.
    const { code, stdout } = bulwark(['image', EXAMPLE, '--scanners', 'vuln', '--exit-code', '1', '--format', 'json'], { cacheDir: dbCache, cwd: project });
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    const remaining = report.results.flatMap((result: { vulnerabilities?: unknown[] }) => result.vulnerabilities ?? []);
    assert.equal(remaining.length, 0);
  });

  it('checks the image config', () => {
    const { code, stdout } = bulwark(['image', EXAMPLE, '--skip-db', '--format', 'json', '--exit-code', '1', '--severity', 'LOW']);
    assert.equal(code, 1);
    const config = JSON.parse(stdout).results.find((result: { class: string }) => result.class === 'config');
    assert.equal(config.target, `${EXAMPLE} (image config)`);
    assert.deepEqual(config.misconfigurations.map((finding: { id: string }) => finding.id), ['image/no-healthcheck']);
  });

  it('writes an SPDX tag-value SBOM', () => {
    const { code, stdout } = bulwark(['image', EXAMPLE, '--skip-db', '--format', 'spdx']);
    assert.equal(code, 0);
    assert.match(stdout, /^SPDXVersion: SPDX-2\.3$/m);
    assert.match(stdout, /^PackageName: libssl3$/m);
  });

  it('rejects registry references offline', () => {
    const { code, stderr } = bulwark(['image', 'registry.invalid/app:1', '--offline']);
    assert.equal(code, 2);
    assert.match(stderr, /--offline forbids pulling it from a registry/);
  });

  it('names a missing archive', () => {
    const { code, stderr } = bulwark(['image', 'docker-archive:/nonexistent/app.tar']);
    assert.equal(code, 2);
    assert.match(stderr, /\/nonexistent\/app\.tar/);
  });

  it('fails --exit-code without a DB', () => {
    const { code, stderr } = bulwark(['image', EXAMPLE, '--exit-code', '1', '--quiet']);
    assert.equal(code, 2);
    assert.match(stderr, /no vulnerability DB was used, so the image was not checked/);
  });

  it('names a missing archive path', () => {
    const { code, stderr } = bulwark(['image', '/nonexistent/app.tar']);
    assert.equal(code, 2);
    assert.match(stderr, /\/nonexistent\/app\.tar: no such file or directory/);
  });

  it('rejects a target and --input', () => {
    const { code, stderr } = bulwark(['image', EXAMPLE, '--input', EXAMPLE]);
    assert.equal(code, 2);
    assert.match(stderr, /give the image once/);
  });

  it('rejects an invalid timeout', () => {
    const { code, stderr } = bulwark(['image', EXAMPLE, '--timeout', 'soon']);
    assert.equal(code, 2);
    assert.match(stderr, /invalid --timeout value "soon"/);
  });

  it('stops at --timeout on a silent registry', async () => {
    // A server on loopback that accepts connections and never responds.
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as import('node:net').AddressInfo).port;
    try {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'image', `127.0.0.1:${port}/silent/app:1`, '--insecure', '--timeout', '2s'], {
          env: { ...process.env, BULWARK_CACHE_DIR: join(work, 'cache-empty') },
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /timed out after 2 s; raise --timeout/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('exits quietly when stdout closes early', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'image', EXAMPLE, '--skip-db'], { env: { ...process.env, BULWARK_CACHE_DIR: join(work, 'cache-empty') } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.destroy();
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.doesNotMatch(result.stderr, /EPIPE|at .*bulwark-cli/);
    assert.equal(result.code, 0);
  });

  it('prints DB status', () => {
    const { code, stdout } = bulwark(['db', 'status', '--format', 'json'], { cacheDir: dbCache });
    assert.equal(code, 0);
    const status = JSON.parse(stdout);
    assert.equal(status.advisoryCount, 1);
    assert.equal(status.isStale, false);
  });
});
