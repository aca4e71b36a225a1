import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parseManifest } from '../../../../src/misconfig/kubernetes/manifest-parser.js';
import { buildNetworkModel, type NetworkModel } from '../../../../src/misconfig/kubernetes/netpol/network-model.js';
import { formatPorts } from '../../../../src/misconfig/kubernetes/netpol/port-set.js';
import { computeReachability } from '../../../../src/misconfig/kubernetes/netpol/reachability.js';
import { sharedPath } from '../../../helpers/shared.js';

const corpus = sharedPath('corpus', 'k8s');

function model(yaml: string): NetworkModel {
  const { objects, diagnostics } = parseManifest('cluster.yaml', yaml);
  assert.deepEqual(diagnostics, []);
  return buildNetworkModel(objects);
}

/** Returns `from -> to: ports` lines of the workload pairs that can connect. */
function edges(network: NetworkModel): string[] {
  return computeReachability(network).edges.map((edge) => `${edge.from.object.name} -> ${edge.to.object.name}: ${formatPorts(edge.ports)}`);
}

function deployment(name: string, namespace: string, labels: string, ports = '[{ name: http, containerPort: 8080 }]'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  template:
    metadata: { labels: ${labels} }
    spec:
      containers: [{ name: main, image: "app:1", ports: ${ports} }]
---
`;
}

const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: monitoring, labels: { team: ops } }
---
`;

const WORKLOADS = NAMESPACES + deployment('web', 'shop', '{ app: web }') + deployment('api', 'shop', '{ app: api, tier: backend }') + deployment('prometheus', 'monitoring', '{ app: prometheus }');

describe('computeReachability', () => {
  it('lets every workload reach every other without policies', () => {
    const result = edges(model(WORKLOADS));
    assert.equal(result.length, 9);
    assert.ok(result.includes('web -> api: all'));
    assert.ok(result.includes('prometheus -> web: all'));
  });

  it('blocks ingress with a default-deny policy', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
`));
    assert.deepEqual([...result].sort(), ['api -> prometheus: all', 'prometheus -> prometheus: all', 'web -> prometheus: all']);
  });

  it('allows pods of the same namespace by podSelector', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: http }]
`));
    assert.ok(result.includes('web -> api: TCP/8080'));
    assert.ok(!result.some((line) => line.startsWith('prometheus -> api')));
    assert.ok(!result.some((line) => line.startsWith('api -> api')));
  });

  it('allows other namespaces by namespaceSelector', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: scrape, namespace: shop }
spec:
  podSelector: { matchExpressions: [{ key: tier, operator: In, values: [backend] }] }
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { team: ops } }
          podSelector: { matchLabels: { app: prometheus } }
      ports: [{ protocol: TCP, port: 9000, endPort: 9100 }]
`));
    assert.ok(result.includes('prometheus -> api: TCP/9000-9100'));
    assert.ok(!result.some((line) => line.startsWith('web -> api')));
    assert.ok(result.includes('prometheus -> web: all'));
  });

  it('treats a namespaceSelector alone as every pod of the namespace', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-shop, namespace: monitoring }
spec:
  podSelector: {}
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }]
`));
    assert.ok(result.includes('web -> prometheus: all'));
    assert.ok(result.includes('api -> prometheus: all'));
    assert.ok(!result.includes('prometheus -> prometheus: all'));
  });

  it('needs both egress and ingress to allow traffic', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  egress:
    - to: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ port: 8080 }, { port: 53, protocol: UDP }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-ingress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: {} }]
      ports: [{ port: 8000, endPort: 8080 }]
`));
    assert.ok(result.includes('web -> api: TCP/8080'));
    assert.ok(!result.some((line) => line.startsWith('web -> prometheus')));
    assert.ok(!result.some((line) => line.startsWith('prometheus -> api')));
    // web-egress has no policyTypes, so it also isolates web for ingress and allows none.
    assert.ok(!result.some((line) => line.endsWith('-> web: all')));
  });

  it('defaults policyTypes to Egress only when egress rules exist', () => {
    const network = model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ingress-only, namespace: shop }
spec:
  podSelector: {}
  egress: []
`);
    assert.equal(network.policies[0]!.ingress, true);
    assert.equal(network.policies[0]!.egress, false);
  });

  it('lists ipBlocks with exceptions as external peers', () => {
    const network = model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-out, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [169.254.169.254/32, 10.0.0.0/8] } }]
      ports: [{ port: 443 }]
`);
    const external = computeReachability(network).external.filter((peer) => peer.workload.object.name === 'web').map((peer) => `${peer.direction} ${peer.peer}: ${formatPorts(peer.ports)}`);
    assert.deepEqual(external, ['ingress any: all', 'egress 0.0.0.0/0 except 169.254.169.254/32, 10.0.0.0/8: TCP/443']);
    // An ipBlock does not match pods, so web reaches no workload.
    assert.ok(!edges(network).some((line) => line.startsWith('web ->')));
  });

  it('resolves named ports per destination', () => {
    const yaml = NAMESPACES + deployment('a', 'shop', '{ app: a }', '[{ name: metrics, containerPort: 9090 }]') + deployment('b', 'shop', '{ app: b }', '[{ name: metrics, containerPort: 9102 }]') + `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: metrics, namespace: shop }
spec:
  podSelector: {}
  ingress:
    - ports: [{ port: metrics }]
`;
    const result = edges(model(yaml));
    assert.ok(result.includes('a -> b: TCP/9102'));
    assert.ok(result.includes('b -> a: TCP/9090'));
  });

  it('matches NotIn and DoesNotExist expressions', () => {
    const result = edges(model(`${WORKLOADS}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: not-backend, namespace: shop }
spec:
  podSelector: { matchExpressions: [{ key: tier, operator: DoesNotExist }] }
  ingress:
    - from: [{ podSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [web] }] } }]
`));
    assert.ok(result.includes('api -> web: all'));
    assert.ok(!result.includes('web -> web: all'));
    assert.ok(result.includes('web -> api: all'));
  });

  it('follows the microservices demo policies', { skip: corpus.skip }, () => {
    // Google's microservices-demo: the kustomize base Deployments and its network-policies component,
    // which denies everything by default and allows each service's callers on its gRPC port.
    const names = readdirSync(corpus.path).filter((name) => name.startsWith('ms-demo__kustomize__base__') || name.startsWith('ms-demo__kustomize__components__network-policies__'));
    const objects = names.flatMap((name) => parseManifest(name, readFileSync(join(corpus.path, name))).objects);
    const result = edges(buildNetworkModel(objects));
    for (const expected of [
      'frontend -> cartservice: TCP/7070',
      'checkoutservice -> cartservice: TCP/7070',
      'checkoutservice -> paymentservice: TCP/50051',
      'cartservice -> redis-cart: TCP/6379',
      'recommendationservice -> productcatalogservice: TCP/3550',
      'loadgenerator -> frontend: all',
    ]) {
      assert.ok(result.includes(expected), `missing ${expected}`);
    }
    assert.ok(!result.some((line) => line.startsWith('loadgenerator -> cartservice')));
    assert.ok(!result.some((line) => line.startsWith('frontend -> redis-cart')));
    assert.ok(!result.some((line) => line.startsWith('frontend -> paymentservice')));
    assert.equal(result.length, 27);
  });
});

describe('buildNetworkModel duplicates', () => {
  it('same object in two files counts once', () => {
    const manifest = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: web, namespace: shop }', 'spec:', '  template:', '    metadata: { labels: { app: web } }', '    spec: { containers: [ { name: web, image: nginx:1.25, ports: [ { containerPort: 80 } ] } ] }', ''].join('\n');
    const objects = [...parseManifest('base/web.yaml', manifest).objects, ...parseManifest('release/web.yaml', manifest).objects];
    const model = buildNetworkModel(objects);
    assert.deepEqual(model.workloads.map((workload) => workload.id), ['shop/Deployment/web']);
  });
});
