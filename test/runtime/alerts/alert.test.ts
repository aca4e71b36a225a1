import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildAlert, formatAlertJson, formatAlertText } from '../../../src/runtime/alerts/alert.js';
import { RuleEngine } from '../../../src/runtime/rule-engine.js';
import { loadRules } from '../../../src/runtime/rules/load-rules.js';

const ruleset = loadRules([
  {
    file: 'r.yaml',
    text: '- rule: Shadow\n  desc: d\n  condition: evt.type=openat and fd.name=/etc/shadow\n  output: "read %fd.name by %proc.name (%toupper(proc.name)) user=%user.name"\n  priority: WARNING\n  tags: [zeta, alpha]\n',
  },
]);

describe('buildAlert', () => {
  const engine = new RuleEngine(ruleset.rules);
  const [match] = engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'evt.rawtime': 1534527348514632619 } });

  it('renders the output with missing fields as <NA>', () => {
    assert.ok(match);
    const alert = buildAlert(match, { hostname: 'h', now: () => new Date(0) });
    assert.equal(alert.output, 'read /etc/shadow by cat (CAT) user=<NA>');
    assert.deepEqual(alert.output_fields, { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'toupper(proc.name)': 'CAT', 'user.name': null });
    assert.deepEqual(alert.tags, ['alpha', 'zeta']);
  });

  it('formats text and JSON as Falco does', () => {
    assert.ok(match);
    const alert = buildAlert(match, { hostname: 'h', now: () => new Date(0) });
    // evt.rawtime loses its last digits in a JavaScript number, so only the leading ones are checked.
    assert.match(alert.time, /^2018-08-17T17:35:48\.5146\d{5}Z$/);
    assert.match(formatAlertText(alert), /^17:35:48\.5146\d{5}: Warning read \/etc\/shadow by cat/);
    const json = JSON.parse(formatAlertJson(alert)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
    assert.equal(json.rule, 'Shadow');
    assert.equal(json.source, 'syscall');
  });

  it('uses the current time for events without one', () => {
    const [bare] = engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'openat', 'fd.name': '/etc/shadow' } });
    assert.ok(bare);
    assert.equal(buildAlert(bare, { hostname: 'h', now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }).time, '2026-01-02T03:04:05.006000000Z');
  });
});
