import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { PROJECT_ROOT } from '../helpers/shared.js';

const BIN = join(PROJECT_ROOT, 'bin', 'bulwark.js');
const work = mkdtempSync(join(tmpdir(), 'bulwark-netpol-'));
after(() => rmSync(work, { recursive: true, force: true }));

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: main, image: "web:1" }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: main, image: "api:1", ports: [{ name: http, containerPort: 9000 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: http }]
`;

function bulwark(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bulwark netpol', () => {
  it('prints connections as JSON', () => {
    writeFileSync(join(work, 'app.yaml'), MANIFESTS);
    const { code, stdout, stderr } = bulwark(['netpol', 'app.yaml', '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.workloads, ['shop/Deployment/api', 'shop/Deployment/web']);
    assert.deepEqual(report.connections.map((edge: { from: string; to: string; ports: string }) => `${edge.from} -> ${edge.to}: ${edge.ports}`), [
      'shop/Deployment/api -> shop/Deployment/web: all',
      'shop/Deployment/web -> shop/Deployment/api: TCP/9000',
      'shop/Deployment/web -> shop/Deployment/web: all',
    ]);
  });

  it('reads stdin and prints a table', () => {
    const { code, stdout } = bulwark(['netpol', '-'], MANIFESTS);
    assert.equal(code, 0);
    assert.match(stdout, /^Connections between workloads \(3\):/);
    assert.match(stdout, /shop\/Deployment\/web {2}shop\/Deployment\/api {2}TCP\/9000/);
  });

  it('warns about invalid YAML with its line', () => {
    writeFileSync(join(work, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: [x }\n');
    const { code, stderr } = bulwark(['netpol', 'bad.yaml']);
    assert.equal(code, 0);
    assert.match(stderr, /WARN bad\.yaml: invalid YAML at line 3, column \d+/);
  });

  it('rejects an unknown format', () => {
    const { code, stderr } = bulwark(['netpol', 'app.yaml', '--format', 'xml']);
    assert.equal(code, 2);
    assert.match(stderr, /invalid/);
  });
});
