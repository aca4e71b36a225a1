import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { imageConfigRules } from '../../../src/misconfig/imageconfig/index.js';
import { renderImageConfigRuleDocs } from '../../../src/misconfig/imageconfig/rule-docs.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

test('image rule docs are up to date', () => {
  const committed = readFileSync(`${PROJECT_ROOT}/docs/rules/imageconfig.md`, 'utf8');
  assert.equal(committed, renderImageConfigRuleDocs(imageConfigRules()), 'run: node --import tsx scripts/generate-imageconfig-rule-docs.ts');
});

test('image rule docs cover every rule', () => {
  const page = renderImageConfigRuleDocs(imageConfigRules());
  for (const rule of imageConfigRules()) {
    assert.ok(page.includes(`\n## ${rule.id}\n`), rule.id);
    assert.ok(rule.examples !== undefined, `${rule.id} has no examples`);
  }
});
