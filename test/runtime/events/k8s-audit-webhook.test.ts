import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import type { Alert } from '../../../src/runtime/alerts/alert.js';
import { EventQueue } from '../../../src/runtime/events/event-queue.js';
import { startAuditWebhook } from '../../../src/runtime/events/k8s-audit-webhook.js';
import { RuleEngine } from '../../../src/runtime/rule-engine.js';
import { loadRuleFiles } from '../../../src/runtime/rules/load-rules.js';
import { createCounters, runEvents } from '../../../src/runtime/run-events.js';
import { createClientIdentity } from '../../helpers/openssl-certificates.js';
import { PROJECT_ROOT, sharedPath } from '../../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'bulwark-audit-webhook-'));
after(() => rmSync(work, { recursive: true, force: true }));
const AUDIT_LOG = join(PROJECT_ROOT, 'test', 'runtime', 'fixtures', 'k8s-audit-events.jsonl');
const upstream = sharedPath('falco', 'k8s_audit_rules.yaml');

/** Creates a self-signed certificate for 127.0.0.1 with openssl, as an operator would. */
function selfSignedCertificate(): { cert: string; key: string } | string {
  const cert = join(work, 'server.crt');
  const key = join(work, 'server.key');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  if (result.error !== undefined || result.status !== 0) return 'openssl is not installed or failed (apt-get install openssl)';
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

function post(port: number, ca: string, path: string, body: string, method = 'POST', client: { cert?: string; key?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method, ca, ...client, headers: { 'Content-Type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('startAuditWebhook', () => {
  const certificate = selfSignedCertificate();
  const skip = typeof certificate === 'string' ? certificate : upstream.skip;

  it('raises upstream alerts from posted EventLists', { skip }, async () => {
    if (typeof certificate === 'string') return;
    const ruleset = await loadRuleFiles([upstream.path]);
    const queue = new EventQueue();
    const malformed: string[] = [];
    const webhook = await startAuditWebhook({ listen: '127.0.0.1:0', ...certificate, onEvent: (event) => queue.push(event), onMalformed: (message) => malformed.push(message) });
    const alerts: Alert[] = [];
    const counters = createCounters();
    const running = runEvents(queue, new RuleEngine(ruleset.rules, { ruleMatching: 'all' }), counters, { hostname: 'h', onAlert: (alert) => alerts.push(alert) });

    const items = readFileSync(AUDIT_LOG, 'utf8').split('\n').slice(0, 4).map((line) => JSON.parse(line) as unknown);
    const port = webhook.address.port;
    const statuses: number[] = [];
    try {
      statuses.push(await post(port, certificate.cert, '/k8s-audit', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items })));
      statuses.push(await post(port, certificate.cert, '/k8s-audit', 'not json'));
      statuses.push(await post(port, certificate.cert, '/k8s-audit', '{"kind":"Pod"}'));
      statuses.push(await post(port, certificate.cert, '/k8s-audit', '', 'GET'));
      statuses.push(await post(port, certificate.cert, '/other', '{}'));
    } finally {
      await webhook.close();
      queue.close();
      await running;
    }

    assert.deepEqual(statuses, [200, 400, 400, 405, 404]);
    assert.equal(counters.events, 4);
    assert.equal(malformed.length, 2);
    const rules = alerts.map((alert) => alert.rule);
    assert.ok(rules.includes('Create Privileged Pod'));
    assert.ok(rules.includes('Attach/Exec Pod'));
    assert.ok(rules.includes('Attach to cluster-admin Role'));
  });

  it('rejects an invalid listen address', { skip }, async () => {
    if (typeof certificate === 'string') return;
    await assert.rejects(startAuditWebhook({ listen: 'localhost', ...certificate, onEvent: () => undefined, onMalformed: () => undefined }), /invalid listen address/);
  });

  it('requires client certificates from the given CA', { skip }, async () => {
    if (typeof certificate === 'string') return;
    const trusted = createClientIdentity(work, 'trusted');
    const other = createClientIdentity(work, 'other');
    const ruleset = await loadRuleFiles([upstream.path]);
    const queue = new EventQueue();
    const tlsErrors: string[] = [];
    const webhook = await startAuditWebhook({
      listen: '127.0.0.1:0',
      ...certificate,
      clientCa: trusted.ca,
      onEvent: (event) => queue.push(event),
      onMalformed: (message) => assert.fail(message),
      onTlsError: (message) => tlsErrors.push(message),
    });
    const alerts: Alert[] = [];
    const counters = createCounters();
    const running = runEvents(queue, new RuleEngine(ruleset.rules, { ruleMatching: 'all' }), counters, { hostname: 'h', onAlert: (alert) => alerts.push(alert) });
    const items = readFileSync(AUDIT_LOG, 'utf8').split('\n').slice(0, 4).map((line) => JSON.parse(line) as unknown);
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });
    const port = webhook.address.port;
    let status: number;
    try {
      await assert.rejects(post(port, certificate.cert, '/k8s-audit', body));
      await assert.rejects(post(port, certificate.cert, '/k8s-audit', body, 'POST', { cert: other.cert, key: other.key }));
      status = await post(port, certificate.cert, '/k8s-audit', body, 'POST', { cert: trusted.cert, key: trusted.key });
    } finally {
      await webhook.close();
      queue.close();
      await running;
    }

    assert.equal(status, 200);
    assert.equal(counters.events, 4);
    assert.ok(alerts.some((alert) => alert.rule === 'Create Privileged Pod'));
    assert.equal(tlsErrors.length, 2);
    assert.match(tlsErrors[0] ?? '', /^closed the connection from 127\.0\.0\.1:\d+ because it sent no client certificate$/);
    assert.match(tlsErrors[1] ?? '', /^closed the connection from 127\.0\.0\.1:\d+ because its client certificate \(CN=kube-apiserver\) was rejected: UNABLE_TO_VERIFY_LEAF_SIGNATURE$/);
  });
});
