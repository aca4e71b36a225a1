import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

import { kubernetesRules } from '../../../src/misconfig/kubernetes/index.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

it('rule page lists every Kubernetes rule', () => {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'rules', 'kubernetes.md'), 'utf8');
  const listed = [...page.matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)].map((match) => `${match[1]} ${match[2]}`);
  assert.deepEqual(listed, kubernetesRules().map((rule) => `${rule.id} ${rule.severity}`));
});
