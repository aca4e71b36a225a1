import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { kubernetesRules, kubernetesScanner, scanManifests } from '../../../src/misconfig/kubernetes/index.js';
import { EMPTY_SETTINGS, type BulwarkSettings } from '../../../src/misconfig/settings.js';
import { sharedPath } from '../../helpers/shared.js';

const corpus = sharedPath('corpus', 'k8s');

function settings(change: Partial<BulwarkSettings> = {}): BulwarkSettings {
  return { ...EMPTY_SETTINGS, ...change };
}

function scan(text: string, options: Partial<BulwarkSettings> = {}) {
  return scanManifests([{ path: 'app.yaml', content: Buffer.from(text) }], settings(options));
}

const HARDENED = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: app
          image: registry.example.com/web:1.4.2
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          resources: { limits: { cpu: 500m, memory: 256Mi } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const INSECURE = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  annotations: { bulwark.dev/ignore: "k8s/resource-limits, KSV014" }
spec:
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers:
            - name: dump
              image: postgres
              securityContext:
                privileged: true
`;

describe('kubernetesScanner', () => {
  it('claims YAML and JSON files', () => {
    assert.equal(kubernetesScanner.claims('deploy/app.yaml'), true);
    assert.equal(kubernetesScanner.claims('app.YML'), true);
    assert.equal(kubernetesScanner.claims('list.json'), true);
    assert.equal(kubernetesScanner.claims('Dockerfile'), false);
  });

  it('gives no result for files without Kubernetes objects', async () => {
    const results = await kubernetesScanner.scan([{ path: 'values.yaml', content: Buffer.from('replicas: 2\n') }], { settings: settings() });
    assert.deepEqual(results, []);
  });

  it('reports nothing for a hardened workload', () => {
    const [result] = scan(HARDENED);
    assert.deepEqual(result!.misconfigurations.map((finding) => finding.id), []);
    assert.deepEqual(result!.diagnostics, []);
  });

  it('names object, container, field and line', () => {
    const [result] = scan(INSECURE);
    const privileged = result!.misconfigurations.find((finding) => finding.id === 'k8s/privileged');
    assert.ok(privileged);
    assert.deepEqual(privileged.object, { kind: 'CronJob', name: 'backup', container: 'dump', fieldPath: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged' });
    assert.equal(privileged.location?.startLine, 16);
    assert.equal(privileged.severity, 'HIGH');
    const hostPid = result!.misconfigurations.find((finding) => finding.id === 'k8s/host-pid');
    assert.equal(hostPid?.location?.startLine, 11);
    const image = result!.misconfigurations.find((finding) => finding.id === 'k8s/image-tag-latest');
    assert.equal(image?.message, 'container "dump" uses image "postgres" without a version tag or digest');
  });

  it('honours the ignore annotation by ID and alias', () => {
    const ids = scan(INSECURE)[0]!.misconfigurations.map((finding) => finding.id);
    assert.ok(!ids.includes('k8s/resource-limits'));
    assert.ok(!ids.includes('k8s/read-only-root-filesystem'));
    assert.ok(ids.includes('k8s/allow-privilege-escalation'));
    // Job pods run to completion, so they get no probe findings.
    assert.ok(!ids.includes('k8s/liveness-probe'));
  });

  it('honours settings ignore and severity', () => {
    const [result] = scan(INSECURE, { ignore: ['k8s/privileged', 'host-pid'], severity: { 'k8s/seccomp-profile': 'CRITICAL' } });
    const ids = result!.misconfigurations.map((finding) => finding.id);
    assert.ok(!ids.includes('k8s/privileged'));
    assert.ok(!ids.includes('k8s/host-pid'));
    assert.equal(result!.misconfigurations.find((finding) => finding.id === 'k8s/seccomp-profile')?.severity, 'CRITICAL');
  });

  it('applies severity overrides by alias', () => {
    // KSV010 is Trivy's ID and hostPIDSet Polaris' for the host PID check.
    const [trivy] = scan(INSECURE, { severity: { KSV010: 'LOW' } });
    const [polaris] = scan(INSECURE, { severity: { hostPIDSet: 'CRITICAL' } });
    assert.equal(trivy!.misconfigurations.find((finding) => finding.id === 'k8s/host-pid')?.severity, 'LOW');
    assert.equal(polaris!.misconfigurations.find((finding) => finding.id === 'k8s/host-pid')?.severity, 'CRITICAL');
  });

  it('reports PSS controls at the level from settings', () => {
    const [baseline] = scan(INSECURE, { kubernetes: { pssLevel: 'baseline' } });
    const pss = baseline!.misconfigurations.filter((finding) => finding.id.startsWith('pss/'));
    assert.deepEqual(pss.map((finding) => finding.id).sort(), ['pss/hostNamespaces', 'pss/privileged']);
    assert.equal(pss.find((finding) => finding.id === 'pss/privileged')?.message, 'violates PodSecurity "baseline:v1.35": privileged (container "dump" must not set securityContext.privileged=true)');

    const [old] = scan(INSECURE, { kubernetes: { pssLevel: 'restricted', pssVersion: 'v1.22' } });
    const oldIds = old!.misconfigurations.filter((finding) => finding.id.startsWith('pss/')).map((finding) => finding.id);
    assert.ok(oldIds.includes('pss/capabilities_restricted'));
    assert.ok(!oldIds.includes('pss/runAsUser'));
  });

  it('reads the PSS level from the Namespace label', () => {
    const text = HARDENED.replace('runAsNonRoot: true', 'runAsNonRoot: false');
    const ids = scan(text)[0]!.misconfigurations.map((finding) => finding.id);
    assert.ok(ids.includes('pss/runAsNonRoot'));
  });

  it('flags Namespaces without an enforce label', () => {
    const [result] = scan('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bare\n');
    assert.deepEqual(result!.misconfigurations.map((finding) => finding.id), ['k8s/namespace-pss-label', 'k8s/netpol-no-default-deny']);
  });

  it('reports invalid Kubernetes settings', () => {
    const [result] = scan(HARDENED.replace('runAsNonRoot: true', 'runAsNonRoot: false'), { kubernetes: { pssLevel: 'strict', pssVersion: 'v2', pssLvel: 'baseline' } });
    assert.deepEqual(result!.diagnostics.map((diagnostic) => diagnostic.message.split(':')[0]), ['kubernetes.pssLvel', 'kubernetes.pssLevel', 'kubernetes.pssVersion']);
    // The Namespace label still applies when the setting is invalid.
    assert.ok(result!.misconfigurations.some((finding) => finding.id === 'pss/runAsNonRoot'));
  });

  it('checks NetworkPolicies across files', () => {
    const files = [
      { path: 'web.yaml', content: Buffer.from(HARDENED.split('---\n')[1]!) },
      {
        path: 'policy.yaml',
        content: Buffer.from(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: typo, namespace: shop }
spec:
  podSelector: { matchLabels: { app: wbe } }
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }, { ipBlock: { cidr: 10.0.0.0/33 } }]
`),
      },
    ];
    const results = scanManifests(files, settings());
    const policy = results.find((result) => result.path === 'policy.yaml')!;
    assert.deepEqual(policy.misconfigurations.map((finding) => `${finding.id}:${finding.location?.startLine}`), ['k8s/netpol-selector-unmatched:5', 'k8s/netpol-egress-any-ip:7']);
    assert.equal(policy.diagnostics.length, 1);
    assert.match(policy.diagnostics[0]!.message, /invalid CIDR "10.0.0.0\/33"/);
    const web = results.find((result) => result.path === 'web.yaml')!;
    assert.deepEqual(web.misconfigurations.map((finding) => finding.id), ['k8s/netpol-egress-unselected', 'k8s/netpol-ingress-unselected', 'k8s/netpol-no-default-deny']);
  });

  it('gives every finding rule metadata', () => {
    const ids = new Set(kubernetesRules().map((rule) => rule.id));
    assert.equal(ids.size, kubernetesRules().length);
    assert.ok(ids.has('pss/runAsNonRoot'));
    assert.ok(ids.has('pss/capabilities_restricted'));
  });

  it('checks every manifest of the corpus without an error', { skip: corpus.skip }, () => {
    const files = readdirSync(corpus.path).sort().map((name) => ({ path: name, content: readFileSync(join(corpus.path, name)) }));
    const results = scanManifests(files, settings({ kubernetes: { pssLevel: 'restricted' } }));
    const diagnostics = results.flatMap((result) => result.diagnostics.map((diagnostic) => `${diagnostic.target}: ${diagnostic.message}`));
    assert.deepEqual(diagnostics, []);
    assert.equal(results.length, files.length);

    const counts = new Map<string, number>();
    for (const result of results) {
      for (const finding of result.misconfigurations) {
        counts.set(finding.id, (counts.get(finding.id) ?? 0) + 1);
        assert.ok(finding.location !== undefined, `${finding.id} in ${result.path} has no location`);
        assert.ok(finding.location.startLine >= 1, `${finding.id} in ${result.path} has no line`);
        assert.ok(finding.object?.kind, `${finding.id} in ${result.path} names no object`);
      }
    }
    console.log(`findings per check in ${files.length} corpus files:`);
    for (const [id, count] of [...counts].sort()) console.log(`  ${id.padEnd(36)} ${count}`);
    // Checks that the corpus is known to trigger, so a check that silently stops working fails here.
    for (const id of ['k8s/privileged', 'k8s/host-path-volume', 'k8s/run-as-non-root', 'pss/privileged', 'pss/runAsNonRoot', 'pss/restrictedVolumes', 'pss/capabilities_restricted']) {
      assert.ok((counts.get(id) ?? 0) > 0, `no ${id} finding in the corpus`);
    }
  });
});
