import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RuleEngine } from '../../src/runtime/rule-engine.js';
import { loadRules } from '../../src/runtime/rules/load-rules.js';

const RULES = `
- rule: Exec
  desc: d
  condition: evt.type = execve
  output: exec %proc.name
  priority: WARNING
- rule: Any open by cat
  desc: d
  condition: evt.type in (open, openat) and proc.name = cat
  output: open %fd.name
  priority: DEBUG
- rule: Anything by evil
  desc: d
  condition: proc.name = evil
  output: evil
  priority: CRITICAL
  warn_evttypes: false
- rule: Disabled exec
  desc: d
  condition: evt.type = execve
  output: o
  priority: EMERGENCY
  enabled: false
`;

const ruleset = loadRules([{ file: 'r.yaml', text: RULES }]);

describe('RuleEngine', () => {
  it('offers only rules that can match the event type', () => {
    const engine = new RuleEngine(ruleset.rules);
    assert.deepEqual(
      engine.candidates('syscall', 'execve').map((rule) => rule.name),
      ['Exec', 'Anything by evil'],
    );
    assert.deepEqual(
      engine.candidates('syscall', 'openat').map((rule) => rule.name),
      ['Any open by cat', 'Anything by evil'],
    );
    assert.deepEqual(
      engine.candidates('syscall', 'read').map((rule) => rule.name),
      ['Anything by evil'],
    );
    assert.deepEqual(engine.candidates('k8s_audit', undefined), []);
  });

  it('reports the first or every matching rule', () => {
    const event = { source: 'syscall', fields: { 'evt.type': 'execve', 'proc.name': 'evil' } };
    assert.deepEqual(
      new RuleEngine(ruleset.rules).evaluate(event).map((match) => match.rule.name),
      ['Exec'],
    );
    assert.deepEqual(
      new RuleEngine(ruleset.rules, { ruleMatching: 'all' }).evaluate(event).map((match) => match.rule.name),
      ['Exec', 'Anything by evil'],
    );
  });

  it('skips rules below the minimum priority', () => {
    const engine = new RuleEngine(ruleset.rules, { minPriority: 'WARNING' });
    assert.deepEqual(engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'openat', 'proc.name': 'cat' } }), []);
    assert.equal(engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'execve' } }).length, 1);
  });

  it('counts hits per rule', () => {
    const engine = new RuleEngine(ruleset.rules);
    engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'execve' } });
    engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'execve' } });
    assert.equal(engine.hits.get('Exec'), 2);
  });
});
