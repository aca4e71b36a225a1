import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as runtime from '../../src/runtime/index.js';

describe('runtime entry point', () => {
  it('loads rules and evaluates events', () => {
    const ruleset = runtime.loadRules([{ file: 'r.yaml', text: '- rule: Exec\n  desc: d\n  condition: evt.type=execve\n  output: exec %proc.name\n  priority: INFO\n' }]);
    assert.equal(runtime.isUsable(ruleset), true);
    const engine = new runtime.RuleEngine(ruleset.rules);
    const [match] = engine.evaluate({ source: 'syscall', fields: { 'evt.type': 'execve', 'proc.name': 'ls' } });
    assert.ok(match);
    assert.equal(runtime.buildAlert(match, { hostname: 'h', now: () => new Date(0) }).output, 'exec ls');
  });

  it('exports the event sources and outputs', () => {
    assert.equal(typeof runtime.readJsonEvents, 'function');
    assert.equal(typeof runtime.readCaptureEvents, 'function');
    assert.equal(typeof runtime.startAuditWebhook, 'function');
    assert.equal(typeof runtime.createHttpOutput, 'function');
    assert.deepEqual(runtime.PRIORITIES.slice(0, 2), ['EMERGENCY', 'ALERT']);
  });

  it('exports routing and engine versions', () => {
    const router = new runtime.AlertRouter([runtime.parseAlertRoute('priority>=error=http')]);
    assert.deepEqual(router.routedOutputs(), ['http']);
    assert.deepEqual(runtime.ENGINE_VERSION, { major: 0, minor: 57, patch: 0 });
    assert.equal(runtime.BUILTIN_PLUGINS.get('k8saudit')?.version, '0.18.0');
  });
});
