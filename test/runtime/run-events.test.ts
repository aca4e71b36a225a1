import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { Alert } from '../../src/runtime/alerts/alert.js';
import { readJsonEvents } from '../../src/runtime/events/json-events.js';
import { RuleEngine } from '../../src/runtime/rule-engine.js';
import { loadRuleFiles } from '../../src/runtime/rules/load-rules.js';
import { createCounters, formatCounters, runEvents } from '../../src/runtime/run-events.js';
import { PROJECT_ROOT, sharedPath } from '../helpers/shared.js';

const AUDIT_LOG = join(PROJECT_ROOT, 'test', 'runtime', 'fixtures', 'k8s-audit-events.jsonl');
const upstream = sharedPath('falco', 'k8s_audit_rules.yaml');

describe('runEvents', () => {
  it('raises upstream k8s audit alerts from a log', { skip: upstream.skip }, async () => {
    const ruleset = await loadRuleFiles([upstream.path]);
    const engine = new RuleEngine(ruleset.rules, { ruleMatching: 'all' });
    const counters = createCounters();
    const alerts: Alert[] = [];
    const events = readJsonEvents(createReadStream(AUDIT_LOG), { onMalformed: () => counters.malformed++ });
    await runEvents(events, engine, counters, { hostname: 'node-1', onAlert: (alert) => alerts.push(alert) });

    assert.equal(counters.events, 5);
    assert.equal(counters.malformed, 1);
    const byRule = (rule: string) => alerts.filter((alert) => alert.rule === rule);

    const privileged = byRule('Create Privileged Pod');
    assert.equal(privileged.length, 1);
    assert.equal(privileged[0]?.output_fields['ka.user.name'], 'alice');
    assert.equal(privileged[0]?.output_fields['ka.req.pod.containers.image'], '(docker.io/library/busybox:1.36)');

    const exec = byRule('Attach/Exec Pod');
    assert.equal(exec.length, 1);
    assert.equal(exec[0]?.output, 'Attach/Exec to pod (user=bob pod=web-0 resource=pods ns=default action=exec command=sh)');
    assert.equal(exec[0]?.priority, 'Notice');
    assert.equal(exec[0]?.time, '2026-12-04T10:00:02.300000000Z');

    const binding = byRule('Attach to cluster-admin Role');
    assert.equal(binding.length, 1);
    assert.equal(binding[0]?.output, 'Cluster Role Binding to cluster-admin role (user=carol subject=(carol))');
    assert.equal(binding[0]?.source, 'k8s_audit');
    assert.equal(binding[0]?.hostname, 'node-1');

    // The unprivileged pod is a near miss for the privileged-pod rule.
    assert.ok(privileged.every((alert) => alert.output_fields['ka.target.name'] !== 'plain'));
    assert.equal(counters.alertsByRule.get('Create Privileged Pod'), 1);
    const secret = byRule('K8s Secret Get Successfully');
    assert.equal(secret.length, 1);
    assert.equal(secret[0]?.output_fields['ka.user.name'], 'mallory');
    assert.equal(secret[0]?.output_fields['ka.target.name'], 'db-password');
    assert.equal(secret[0]?.priority, 'Error');

    assert.match(formatCounters(counters), /^Events detected: 5\nMalformed events skipped: 1\n/);
  });

  it('stops at the first matching rule by default', { skip: upstream.skip }, async () => {
    const ruleset = await loadRuleFiles([upstream.path]);
    const engine = new RuleEngine(ruleset.rules);
    const counters = createCounters();
    const alerts: Alert[] = [];
    await runEvents(readJsonEvents(createReadStream(AUDIT_LOG)), engine, counters, { hostname: 'h', onAlert: (alert) => alerts.push(alert) });
    assert.equal(alerts.length, counters.events);
  });
});
