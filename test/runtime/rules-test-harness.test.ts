import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { loadRuleFiles, loadRules } from '../../src/runtime/rules/load-rules.js';
import { parseRuleCases, RuleCasesError, runRuleCases } from '../../src/runtime/rules-test-harness.js';
import { PROJECT_ROOT, sharedPath } from '../helpers/shared.js';

const CASES = join(PROJECT_ROOT, 'test', 'runtime', 'fixtures', 'syscall-rule-cases.yaml');
const upstream = sharedPath('falco', 'falco_rules.yaml');

describe('runRuleCases', () => {
  it('passes every upstream syscall case', { skip: upstream.skip }, async () => {
    const ruleset = await loadRuleFiles([upstream.path]);
    const cases = parseRuleCases(CASES, readFileSync(CASES, 'utf8'));
    assert.equal(cases.length, 25);
    const results = runRuleCases(ruleset.rules, cases);
    for (const result of results) assert.ok(result.passed, `${result.name}: expected [${result.expected}], got [${result.actual}]`);
    // Both directions are covered: cases that must fire and near misses that must not.
    assert.ok(results.filter((result) => result.expected.length > 0).length >= 6);
    assert.ok(results.filter((result) => result.expected.length === 0).length >= 6);
  });

  it('fails a case whose rule does not fire', () => {
    const ruleset = loadRules([{ file: 'r.yaml', text: '- rule: Exec\n  desc: d\n  condition: evt.type=execve\n  output: o\n  priority: INFO\n' }]);
    const cases = parseRuleCases('c.yaml', '- name: open is not exec\n  event: {evt.type: openat}\n  expect: [Exec]\n');
    const [result] = runRuleCases(ruleset.rules, cases);
    assert.equal(result?.passed, false);
    assert.deepEqual(result?.actual, []);
    assert.deepEqual(result?.position, { file: 'c.yaml', line: 1, column: 3 });
  });

  it('fails a case that names an unknown rule', () => {
    const ruleset = loadRules([{ file: 'r.yaml', text: '- rule: Exec\n  desc: d\n  condition: evt.type=execve\n  output: o\n  priority: INFO\n' }]);
    const cases = parseRuleCases('c.yaml', '- name: typo\n  event: {evt.type: execve}\n  expect: [Exce]\n');
    assert.equal(runRuleCases(ruleset.rules, cases)[0]?.passed, false);
  });

  it('rejects a case without events', () => {
    assert.throws(
      () => parseRuleCases('c.yaml', '- name: empty\n  expect: []\n'),
      (error: unknown) => error instanceof RuleCasesError && error.position.line === 1 && /needs 'event'/.test(error.message),
    );
  });

  it('rejects malformed YAML with its position', () => {
    assert.throws(() => parseRuleCases('c.yaml', '- name: x\n  event: {a: [\n'), (error: unknown) => error instanceof RuleCasesError && error.position.file === 'c.yaml');
  });
});
