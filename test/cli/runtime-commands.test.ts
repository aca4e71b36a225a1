import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { createClientIdentity, createServerCertificate, opensslMissing } from '../helpers/openssl-certificates.js';
import { PROJECT_ROOT, sharedPath } from '../helpers/shared.js';

const BIN = join(PROJECT_ROOT, 'bin', 'bulwark.js');
const FIXTURES = join(PROJECT_ROOT, 'test', 'runtime', 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'bulwark-runtime-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const syscallRules = sharedPath('falco', 'falco_rules.yaml');
const k8sRules = sharedPath('falco', 'k8s_audit_rules.yaml');

/** Runs the built CLI as a user does. A run that does not end in 60 s is killed, so a hang fails the test. */
function bulwark(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', input, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built CLI without blocking this process, so servers in the test keep running. */
function bulwarkAsync(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Starts `bulwark runtime` with the audit webhook on a free port and returns the port once it listens. */
async function startWebhookChild(tlsArgs: string[]) {
  const child = spawn(process.execPath, [BIN, 'runtime', '-r', k8sRules.path, '--k8s-audit-listen', '127.0.0.1:0', ...tlsArgs, '--format', 'json'], { cwd: work });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /listening for Kubernetes audit events on https:\/\/127\.0\.0\.1:(\d+)\/k8s-audit/.exec(stderr);
      if (found) resolve(Number(found[1]));
    });
    child.once('close', () => reject(new Error(`bulwark exited early: ${stderr}`)));
  });
  return { child, port, exited, stdout: () => stdout, stderr: () => stderr };
}

/** POSTs an audit event to the webhook and returns the HTTP status. */
function postAudit(port: number, tls: { ca: Buffer; cert?: string; key?: string }, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/k8s-audit', method: 'POST', ...tls }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function writeRules(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const BAD_RULES = '- rule: A\n  desc: d\n  condition: evt.type=open and proc.nam=x\n  output: o\n  priority: INFO\n';
const GOOD_RULES = '- rule: Shadow read\n  desc: d\n  condition: evt.type=openat and fd.name=/etc/shadow\n  output: shadow read by %proc.name\n  priority: WARNING\n';

describe('bulwark rules and runtime', () => {
  it('validate reports an error position and exits 1', () => {
    const path = writeRules('bad.yaml', BAD_RULES);
    const result = bulwark(['rules', 'validate', path]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`^${path}:3:32: error: rule 'A': unknown field 'proc.nam' for source 'syscall' \\[LOAD_ERR_COMPILE_CONDITION\\]$`, 'm'));
  });

  it('validate accepts the upstream rules', { skip: syscallRules.skip || k8sRules.skip }, () => {
    const result = bulwark(['rules', 'validate', syscallRules.path, k8sRules.path, '--format', 'json']);
    assert.equal(result.code, 0);
    const report = JSON.parse(result.stdout) as { valid: boolean; rules: number };
    assert.equal(report.valid, true);
    assert.equal(report.rules, 73);
  });

  it('list prints one rule per line', () => {
    const result = bulwark(['rules', 'list', writeRules('good.yaml', GOOD_RULES)]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'Shadow read\tsyscall\tWARNING\tenabled\t\n');
  });

  it('test runs the upstream cases', { skip: syscallRules.skip }, () => {
    const result = bulwark(['rules', 'test', syscallRules.path, '--cases', join(FIXTURES, 'syscall-rule-cases.yaml')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^25 passed, 0 failed$/m);
  });

  it('test exits 1 on a failing case', () => {
    const cases = join(work, 'cases.yaml');
    writeFileSync(cases, '- name: wrong file\n  event: {evt.type: openat, fd.name: /etc/passwd}\n  expect: [Shadow read]\n');
    const result = bulwark(['rules', 'test', writeRules('good.yaml', GOOD_RULES), '--cases', cases]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL wrong file \(.*cases\.yaml:1:3\): expected \[Shadow read\], got \[\]$/m);
  });

  it('runtime starts nothing when the rules are invalid', () => {
    const result = bulwark(['runtime', '-r', writeRules('bad.yaml', BAD_RULES), '-e', '-'], '{"evt.type":"open"}\n');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /nothing started/);
  });

  it('runtime alerts on JSON events from stdin', () => {
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat","evt.rawtime":"1700000000123456789"}\nbroken\n{"evt.type":"openat","fd.name":"/etc/hosts"}\n';
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--format', 'json'], events);
    assert.equal(result.code, 0);
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.rule, 'Shadow read');
    assert.equal(alerts[0]?.output, 'shadow read by cat');
    assert.equal(alerts[0]?.time, '2023-11-14T22:13:20.123456789Z');
    assert.match(result.stderr, /Events detected: 2\nMalformed events skipped: 1\nAlerts: 1\n/);
  });

  it('runtime appends output and fields', () => {
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat","container.id":"3f2a9c1d4b5e","container.name":"web"}\n';
    const args = ['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--format', 'json'];
    const result = bulwark([...args, '--append-output', 'container_id=%container.id container_name=%container.name', '--append-field', '%proc.pid', '--append-field', 'k8s_audit:ka.user.name'], events);
    assert.equal(result.code, 0, result.stderr);
    const alert = JSON.parse(result.stdout) as { output: string; output_fields: Record<string, unknown> };
    assert.equal(alert.output, 'shadow read by cat container_id=3f2a9c1d4b5e container_name=web');
    // Extra fields appear in output_fields only; the k8s_audit field does not apply to a syscall rule.
    assert.deepEqual(alert.output_fields, { 'container.id': '3f2a9c1d4b5e', 'container.name': 'web', 'proc.name': 'cat', 'proc.pid': null });
  });

  it('runtime rejects an unknown appended field', () => {
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--append-output', 'id=%container.idd'], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --append-output 'id=%container\.idd': unknown field 'container\.idd'/);
  });

  it('runtime copies alerts to a file and a program', () => {
    const file = join(work, 'alerts.jsonl');
    const program = join(work, 'program.txt');
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat"}\n';
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--format', 'json', '--output-file', file, '--output-program', `cat > '${program}'`], events);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(file, 'utf8'), result.stdout);
    assert.equal(readFileSync(program, 'utf8'), result.stdout);
  });

  it('runtime holds back repeated alerts', () => {
    const line = (second: number) => `{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat","evt.rawtime":"${1_700_000_000 + second}000000000"}\n`;
    const events = [0, 0, 0, 1, 5].map(line).join('');
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--repeat-rate', '0.5', '--repeat-burst', '2'], events);
    assert.equal(result.code, 0, result.stderr);
    // The burst passes two at once. The third, and the one a second later, find no token and are
    // held back. Four seconds later the bucket has refilled.
    assert.equal(result.stdout.trim().split('\n').length, 3);
    assert.match(result.stderr, /Alerts: 3\nAlerts suppressed as repeats: 2\n/);
  });

  it('runtime filters by --min-priority', () => {
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow"}\n';
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--min-priority', 'error'], events);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
  });

  it('runtime raises k8s audit alerts in text', { skip: k8sRules.skip }, () => {
    const result = bulwark(['runtime', '-r', k8sRules.path, '-e', join(FIXTURES, 'k8s-audit-events.jsonl'), '--rule-matching', 'all']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^10:00:02\.300000000: Notice Attach\/Exec to pod \(user=bob pod=web-0 /m);
    assert.match(result.stdout, /^10:00:03\.040000000: Warning Cluster Role Binding to cluster-admin role \(user=carol subject=\(carol\)\)$/m);
  });

  it('runtime routes alerts to chosen outputs', () => {
    const rules = writeRules(
      'routed.yaml',
      `${GOOD_RULES}- rule: Shell spawned
  desc: d
  condition: evt.type=execve and proc.name=bash
  output: shell %proc.name
  priority: ERROR
  tags: [shell]
- rule: Debug open
  desc: d
  condition: evt.type=openat and fd.name=/tmp/debug
  output: debug open by %proc.name
  priority: DEBUG
`,
    );
    const file = join(work, 'routed-file.txt');
    const program = join(work, 'routed-program.txt');
    const events = [
      '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat","evt.rawtime":"1700000000000000000"}',
      '{"evt.type":"execve","proc.name":"bash","evt.rawtime":"1700000001000000000"}',
      '{"evt.type":"openat","fd.name":"/tmp/debug","proc.name":"ls","evt.rawtime":"1700000002000000000"}',
    ].join('\n');
    const result = bulwark(
      ['runtime', '-r', rules, '-e', '-', '--output-file', file, '--output-program', `cat > '${program}'`, '--route', 'priority>=error=stdout', '--route', 'rule=Shadow*=file', '--route', 'tag=shell=file'],
      `${events}\n`,
    );
    assert.equal(result.code, 0, result.stderr);
    // stdout gets only error and above, and the file the Shadow rule and the shell tag. The
    // program has no route, so it gets every alert.
    assert.equal(result.stdout, '22:13:21.000000000: Error shell bash\n');
    assert.equal(readFileSync(file, 'utf8'), '22:13:20.000000000: Warning shadow read by cat\n22:13:21.000000000: Error shell bash\n');
    assert.equal(readFileSync(program, 'utf8').split('\n').length - 1, 3);
    assert.match(result.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO routing alerts that match priority>=error to stdout$/m);
  });

  it('runtime counts alerts no route selects', () => {
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat"}\n';
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--route', 'priority>=error=stdout'], events);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, / INFO 1 alerts matched no --route of any output, so no output received them$/m);
    assert.match(result.stderr, /\nAlerts: 1\n/);
  });

  it('runtime rejects invalid routes', () => {
    const rules = writeRules('good.yaml', GOOD_RULES);
    const badSelector = bulwark(['runtime', '-r', rules, '-e', '-', '--route', 'severity>=error=stdout'], '');
    assert.equal(badSelector.code, 2);
    assert.match(badSelector.stderr, /^ERROR --route: invalid route 'severity>=error=stdout': invalid selector 'severity>=error'/m);
    const missingOutput = bulwark(['runtime', '-r', rules, '-e', '-', '--route', 'priority>=error=http'], '');
    assert.equal(missingOutput.code, 2);
    assert.match(missingOutput.stderr, /^ERROR --route 'priority>=error=http' names the http output, but --output-http is not given$/m);
  });

  it('runtime keeps reading past a silent http output', { timeout: 60_000 }, async () => {
    let requests = 0;
    const server = createServer((incoming: IncomingMessage) => {
      requests++;
      incoming.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const line = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat"}\n';
    try {
      const result = await bulwarkAsync(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--output-http', `http://127.0.0.1:${port}/`], line.repeat(20_000));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.split('\n').length - 1, 20_000);
      assert.match(result.stderr, /\nEvents detected: 20000\n/);
      assert.match(result.stderr, /\nAlerts: 20000\n/);
      // One alert waits for a response that never comes, 10,000 fill the queue, the other 9,999
      // are dropped at once, and on exit the queue and the alert in flight are dropped too.
      assert.match(result.stderr, / WARN 20000 alerts dropped by output http http:\/\/127\.0\.0\.1:\d+\/$/m);
      assert.match(result.stderr, / ERROR alert output http failed: dropped 10000 queued alerts because .* did not take them within 5000 ms of the end of input$/m);
      assert.equal(requests, 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('runtime rejects bad flags', () => {
    const rules = writeRules('good.yaml', GOOD_RULES);
    // Without a recorded source bulwark captures live, so only combinations of sources are errors.
    assert.equal(bulwark(['runtime', '-r', rules, '--live', '-e', '-'], '').code, 2);
    assert.equal(bulwark(['runtime', '-r', rules, '-e', '-', '--capture', 'trace.scap'], '').code, 2);
    assert.equal(bulwark(['runtime', '-r', rules, '-e', '-', '--min-priority', 'loud'], '').code, 2);
  });

  it('runtime live without syscall rules exits 2', { skip: k8sRules.skip }, () => {
    const result = bulwark(['runtime', '-r', k8sRules.path]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /no enabled rule with source syscall, so live capture has nothing to check; for k8s_audit rules give --events FILE or --k8s-audit-listen HOST:PORT/);
  });

  it('runtime live without bpftrace exits 2', () => {
    const rules = writeRules('good.yaml', GOOD_RULES);
    // An empty PATH hides bpftrace; a non-root run stops earlier, at the root check.
    const result = spawnSync(process.execPath, [BIN, 'runtime', '-r', rules], { cwd: work, encoding: 'utf8', env: { ...process.env, PATH: '' } });
    assert.equal(result.status, 2);
    const expected = process.getuid?.() === 0 ? /needs bpftrace, which was not found \(bpftrace\); install it with apt-get install bpftrace/ : /live capture needs root/;
    assert.match(result.stderr, expected);
  });

  it('runtime serves the audit webhook until SIGTERM', { skip: k8sRules.skip || opensslMissing(), timeout: 60_000 }, async () => {
    const { certPath: cert, keyPath: key } = createServerCertificate(work);
    const webhook = await startWebhookChild(['--k8s-audit-cert', cert, '--k8s-audit-key', key]);
    const exec = readFileSync(join(FIXTURES, 'k8s-audit-events.jsonl'), 'utf8').split('\n')[2] as string;
    const status = await postAudit(webhook.port, { ca: readFileSync(cert) }, exec);
    assert.equal(status, 200);
    // The alert is written before the response ends, so it is on stdout by now or shortly after.
    while (!webhook.stdout().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 50));
    webhook.child.kill('SIGTERM');
    assert.equal(await webhook.exited, 0);
    const alert = JSON.parse(webhook.stdout().split('\n')[0] as string) as Record<string, unknown>;
    assert.equal(alert.rule, 'Attach/Exec Pod');
    assert.match(webhook.stderr(), /INFO stopped the audit webhook\n.* INFO stopped after 1 events and 1 alerts\nEvents detected: 1\n/);
  });

  it('runtime webhook requires client certificates', { skip: k8sRules.skip || opensslMissing(), timeout: 60_000 }, async () => {
    const { certPath: cert, keyPath: key } = createServerCertificate(work);
    const trusted = createClientIdentity(work, 'trusted');
    const other = createClientIdentity(work, 'other');
    const webhook = await startWebhookChild(['--k8s-audit-cert', cert, '--k8s-audit-key', key, '--k8s-audit-client-ca', trusted.caPath]);
    const exec = readFileSync(join(FIXTURES, 'k8s-audit-events.jsonl'), 'utf8').split('\n')[2] as string;
    await assert.rejects(postAudit(webhook.port, { ca: readFileSync(cert) }, exec));
    await assert.rejects(postAudit(webhook.port, { ca: readFileSync(cert), cert: other.cert, key: other.key }, exec));
    const status = await postAudit(webhook.port, { ca: readFileSync(cert), cert: trusted.cert, key: trusted.key }, exec);
    assert.equal(status, 200);
    while (!webhook.stdout().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 50));
    webhook.child.kill('SIGTERM');
    assert.equal(await webhook.exited, 0);
    assert.equal(webhook.stdout().split('\n').length - 1, 1);
    assert.equal((JSON.parse(webhook.stdout().split('\n')[0] as string) as Record<string, unknown>).rule, 'Attach/Exec Pod');
    assert.match(webhook.stderr(), / INFO listening for Kubernetes audit events on https:\/\/127\.0\.0\.1:\d+\/k8s-audit, requiring client certificates signed by a CA in /);
    assert.match(webhook.stderr(), / WARN closed the connection from 127\.0\.0\.1:\d+ because it sent no client certificate\n/);
    assert.match(webhook.stderr(), / WARN closed the connection from 127\.0\.0\.1:\d+ because its client certificate \(CN=kube-apiserver\) was rejected: UNABLE_TO_VERIFY_LEAF_SIGNATURE\n/);
    assert.match(webhook.stderr(), /\nEvents detected: 1\n/);
  });

  it('runtime checks flags before listening', { skip: opensslMissing() }, () => {
    const { certPath, keyPath } = createServerCertificate(work);
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '--k8s-audit-listen', '127.0.0.1:0', '--k8s-audit-cert', certPath, '--k8s-audit-key', keyPath, '--repeat-rate', '-1']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^ERROR invalid --repeat-rate '-1'/m);
    assert.doesNotMatch(result.stderr, /listening for Kubernetes audit events/);
  });

  it('runtime rejects a client CA without a webhook', () => {
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--k8s-audit-client-ca', 'ca.crt'], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--k8s-audit-client-ca applies only to the audit webhook/);
  });

  it('test names a missing cases file', () => {
    const result = bulwark(['rules', 'test', writeRules('good.yaml', GOOD_RULES), '--cases', join(work, 'no-such-cases.yaml')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^ERROR cannot read --cases .*no-such-cases\.yaml: ENOENT: no such file or directory/m);
    assert.doesNotMatch(result.stderr, /internal error/);
  });

  it('runtime names unreadable input files', () => {
    const rules = writeRules('good.yaml', GOOD_RULES);
    const missing = bulwark(['runtime', '-r', rules, '-e', join(work, 'no-such-events.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^ERROR cannot read --events .*no-such-events\.jsonl: ENOENT/m);
    assert.doesNotMatch(missing.stderr, /internal error|INFO started/);
    const directory = bulwark(['runtime', '-r', rules, '-e', work]);
    assert.equal(directory.code, 2);
    assert.match(directory.stderr, /^ERROR cannot read --events .*: it is a directory; give a file$/m);
    const cert = bulwark(['runtime', '-r', rules, '--k8s-audit-listen', '127.0.0.1:0', '--k8s-audit-cert', join(work, 'no.crt'), '--k8s-audit-key', join(work, 'no.key')]);
    assert.equal(cert.code, 2);
    assert.match(cert.stderr, /^ERROR cannot read --k8s-audit-cert .*no\.crt: ENOENT/m);
  });

  it('runtime rejects an unwritable output file', () => {
    const events = '{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat"}\n';
    const result = bulwark(['runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--output-file', join(work, 'no-such-dir', 'alerts.log')], events);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^ERROR cannot write --output-file .*alerts\.log: ENOENT/m);
    assert.doesNotMatch(result.stderr, /opened alert output/);
    assert.equal(result.stdout, '');
  });

  it('runtime stops reading stdin on SIGTERM', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'runtime', '-r', writeRules('good.yaml', GOOD_RULES), '-e', '-', '--format', 'json'], { cwd: work });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // stdin stays open, as with a producer that keeps streaming, so only the signal can end the run.
    child.stdin.write('{"evt.type":"openat","fd.name":"/etc/shadow","proc.name":"cat"}\n');
    while (!stdout.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal((JSON.parse(stdout) as { rule: string }).rule, 'Shadow read');
    assert.match(stderr, / INFO stopped after 1 events and 1 alerts\nEvents detected: 1\n/);
  });
});
