import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { DOCKERFILE_RULES } from '../../../src/misconfig/dockerfile/rules/index.js';
import { renderDockerfileRuleDocs } from '../../../src/misconfig/dockerfile/rule-docs.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

test('rule docs are up to date', () => {
  const committed = readFileSync(`${PROJECT_ROOT}/docs/rules/dockerfile.md`, 'utf8');
  assert.equal(committed, renderDockerfileRuleDocs(DOCKERFILE_RULES), 'run: node --import tsx scripts/generate-dockerfile-rule-docs.ts');
});

test('rule docs have a section per rule', () => {
  const page = renderDockerfileRuleDocs(DOCKERFILE_RULES);
  for (const rule of DOCKERFILE_RULES) assert.ok(page.includes(`\n## ${rule.meta.id}\n`), rule.meta.id);
});
