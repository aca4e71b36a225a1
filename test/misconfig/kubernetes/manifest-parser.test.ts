import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_MANIFEST_LIMITS, parseManifest } from '../../../src/misconfig/kubernetes/manifest-parser.js';

const DEPLOYMENT = `# a comment before the first document
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web }
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true   # comment after a value
---
apiVersion: v1
kind: Service
metadata:
  name: web
`;

describe('parseManifest', () => {
  it('reads every document of a multi-document file', () => {
    const { objects, diagnostics } = parseManifest('app.yaml', DEPLOYMENT);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(objects.map((object) => `${object.kind}/${object.name}`), ['Deployment/web', 'Service/web']);
    assert.equal(objects[0]!.namespace, 'shop');
    assert.deepEqual(objects[0]!.labels, { app: 'web' });
    assert.equal(objects[1]!.namespace, undefined);
  });

  it('locates a field by the line of its key', () => {
    const [deployment] = parseManifest('app.yaml', DEPLOYMENT).objects;
    const location = deployment!.locate(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']);
    assert.equal(location.path, 'app.yaml');
    assert.equal(location.startLine, 15);
    assert.equal(location.endLine, 15);
    assert.equal(location.startColumn, 13);
  });

  it('locates a missing field at its deepest parent', () => {
    const [deployment] = parseManifest('app.yaml', DEPLOYMENT).objects;
    const location = deployment!.locate(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    assert.equal(location.startLine, 14);
    assert.equal(location.endLine, 14);
  });

  it('spans a mapping value to its last line', () => {
    const [deployment] = parseManifest('app.yaml', DEPLOYMENT).objects;
    const location = deployment!.locate(['spec', 'template', 'spec', 'containers', 0]);
    assert.equal(location.startLine, 12);
    assert.equal(location.endLine, 15);
  });

  it('reads the items of List kinds', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [] } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { containers: [] } },
      ],
    }, null, 2);
    const { objects } = parseManifest('list.json', text);
    assert.deepEqual(objects.map((object) => object.name), ['a', 'b']);
    assert.equal(objects[1]!.locate(['metadata', 'name']).startLine, 19);
  });

  it('skips files without Kubernetes objects', () => {
    assert.deepEqual(parseManifest('values.yaml', 'replicaCount: 2\nimage: { tag: "1.0" }\n'), { objects: [], diagnostics: [] });
    assert.deepEqual(parseManifest('chart.yaml', 'apiVersion: v2\nname: chart\n'), { objects: [], diagnostics: [] });
  });

  it('reports malformed YAML with line and column', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n';
    const { objects, diagnostics } = parseManifest('bad.yaml', text);
    assert.deepEqual(objects.map((object) => object.name), ['ok']);
    // The documents that parse are located by the yaml package's nodes instead.
    assert.equal(objects[0]!.locate(['metadata', 'name']).startLine, 4);
    assert.equal(objects[0]!.locate(['metadata', 'labels']).startLine, 3);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.target, 'bad.yaml');
    assert.equal(diagnostics[0]!.code, 'FORMAT_INVALID');
    assert.match(diagnostics[0]!.message, /^invalid YAML at line \d+, column \d+: .*document 2 was not checked$/);
  });

  it('points Helm templates to helm template', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "labels" . | indent 4 }}\n';
    const { objects, diagnostics } = parseManifest('templates/deployment.yaml', text);
    assert.deepEqual(objects, []);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'UNSUPPORTED');
    assert.match(diagnostics[0]!.message, /helm template CHART \| bulwark config -$/);
  });

  it('caps alias expansion', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol }', 'data:', '  a: &a [x, x, x, x, x, x, x, x, x, x]'];
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      lines.push(`  ${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
      previous = name;
    }
    const { objects, diagnostics } = parseManifest('lol.yaml', lines.join('\n'));
    assert.deepEqual(objects, []);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'LIMIT_EXCEEDED');
  });

  it('rejects files over the size limit', () => {
    const { diagnostics } = parseManifest('big.yaml', DEPLOYMENT, { ...DEFAULT_MANIFEST_LIMITS, maxFileBytes: 100 });
    assert.equal(diagnostics[0]!.code, 'LIMIT_EXCEEDED');
  });

  it('keeps the last of duplicate keys', () => {
    const { objects } = parseManifest('dup.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\n  name: second\n');
    assert.equal(objects[0]!.name, 'second');
    assert.equal(objects[0]!.locate(['metadata', 'name']).startLine, 5);
  });
});
