import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

import { buildNetworkModel, computeReachability, parseManifest, scanManifests } from '../../../src/misconfig/kubernetes/index.js';
import { EMPTY_SETTINGS } from '../../../src/misconfig/settings.js';
import { sharedPath } from '../../helpers/shared.js';

const corpus = sharedPath('corpus', 'k8s');

/** Values of the wrong type that valid YAML can put in any field. */
const WRONG_VALUES: unknown[] = [null, 'text', 42, true, [], {}, [null], [1, 'a'], { a: null }];

type FieldPath = Array<string | number>;

function fieldPaths(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (prefix.length > 0) out.push(prefix);
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) fieldPaths(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

it('survives fields of the wrong type', { skip: corpus.skip }, () => {
  const names = readdirSync(corpus.path).filter((name) => /deployment|daemonset|statefulset|network-policy|pod|job/i.test(name)).sort();
  const manifests = names.flatMap((name) => parseManifest(name, readFileSync(join(corpus.path, name))).objects.map((object) => object.value));
  assert.ok(manifests.length > 20);

  // A fixed linear congruential generator, so every run replaces the same fields.
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let runs = 0;
  for (const manifest of manifests) {
    const paths = fieldPaths(manifest).filter((path) => path[0] !== 'apiVersion' && path[0] !== 'kind');
    for (let round = 0; round < 8; round += 1) {
      const copy = structuredClone(manifest) as Record<string | number, unknown>;
      const path = paths[Math.floor(random() * paths.length)]!;
      let parent = copy;
      for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
      parent[path[path.length - 1]!] = WRONG_VALUES[Math.floor(random() * WRONG_VALUES.length)];

      const text = JSON.stringify(copy);
      const results = scanManifests([{ path: 'case.json', content: Buffer.from(text) }], { ...EMPTY_SETTINGS, kubernetes: { pssLevel: 'restricted' } });
      assert.ok(results.length <= 1, `more than one result for ${path.join('.')}`);
      computeReachability(buildNetworkModel(parseManifest('case.json', text).objects));
      runs += 1;
    }
  }
  assert.ok(runs > 100);
});
