import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { RuntimeEvent } from '../../../src/runtime/fields/field-types.js';
import { isUsable, loadRuleFiles, loadRules } from '../../../src/runtime/rules/load-rules.js';
import type { LoadedRuleset } from '../../../src/runtime/rules/rule-types.js';
import { sharedPath } from '../../helpers/shared.js';

const upstreamSyscall = sharedPath('falco', 'falco_rules.yaml');
const upstreamK8s = sharedPath('falco', 'k8s_audit_rules.yaml');

function load(...texts: string[]): LoadedRuleset {
  return loadRules(texts.map((text, index) => ({ file: `rules-${index + 1}.yaml`, text })));
}

function errors(ruleset: LoadedRuleset): string[] {
  return ruleset.diagnostics
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${diagnostic.position.file}:${diagnostic.position.line}:${diagnostic.position.column} ${diagnostic.code}`);
}

function fires(ruleset: LoadedRuleset, ruleName: string, fields: RuntimeEvent['fields']): boolean {
  const rule = ruleset.rules.find((candidate) => candidate.name === ruleName);
  assert.ok(rule, `rule ${ruleName} is loaded`);
  return rule.predicate({ source: 'syscall', fields });
}

/**
 * Builds a rule file with macros m0…m<length-1>, each `m<N-1> or proc.name = p<N>`, so every link
 * adds two levels of nesting, and rule A, which uses the last macro.
 */
function macroChainRules(length: number): string {
  const items = [];
  for (let index = 0; index < length; index++) {
    const previous = index === 0 ? '' : `m${index - 1} or `;
    items.push(`- macro: m${index}\n  condition: ${previous}proc.name = p${index}\n`);
  }
  items.push(`- rule: A\n  desc: d\n  condition: evt.type=execve and m${length - 1}\n  output: o\n  priority: INFO\n`);
  return items.join('');
}

const BASE = `
- list: shells
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- rule: Shell started
  desc: a shell started
  condition: spawned_process and proc.name in (shells)
  output: shell %proc.name (parent=%proc.pname)
  priority: NOTICE
  tags: [shell]
`;

describe('loadRules', () => {
  it('loads the upstream syscall rules without errors', { skip: upstreamSyscall.skip }, async () => {
    const ruleset = await loadRuleFiles([upstreamSyscall.path]);
    assert.deepEqual(errors(ruleset), []);
    assert.equal(ruleset.rules.length, 25);
    assert.deepEqual(ruleset.requiredEngineVersions, ['0.57.0']);
  });

  it('loads the upstream k8s audit rules without errors', { skip: upstreamK8s.skip }, async () => {
    const ruleset = await loadRuleFiles([upstreamK8s.path]);
    assert.deepEqual(errors(ruleset), []);
    assert.equal(ruleset.rules.length, 48);
    assert.ok(ruleset.rules.every((rule) => rule.source === 'k8s_audit'));
    assert.equal(ruleset.requiredPluginVersions[0]?.name, 'k8saudit');
  });

  it('appends to a list, a macro and a rule with override', () => {
    const ruleset = load(
      BASE,
      `
- list: shells
  items: [zsh]
  override: {items: append}
- macro: spawned_process
  condition: and proc.pid > 1
  override: {condition: append}
- rule: Shell started
  condition: and not proc.pname = sshd
  priority: WARNING
  override: {condition: append, priority: replace}
`,
    );
    assert.deepEqual(errors(ruleset), []);
    assert.equal(fires(ruleset, 'Shell started', { 'evt.type': 'execve', 'proc.name': 'zsh', 'proc.pid': 10, 'proc.pname': 'bash' }), true);
    assert.equal(fires(ruleset, 'Shell started', { 'evt.type': 'execve', 'proc.name': 'zsh', 'proc.pid': 1, 'proc.pname': 'bash' }), false);
    assert.equal(fires(ruleset, 'Shell started', { 'evt.type': 'execve', 'proc.name': 'bash', 'proc.pid': 10, 'proc.pname': 'sshd' }), false);
    assert.equal(ruleset.rules[0]?.priority, 'WARNING');
  });

  it('appends with the deprecated append key and warns', () => {
    const ruleset = load(BASE, `\n- list: shells\n  items: [ksh]\n  append: true\n`);
    assert.deepEqual(errors(ruleset), []);
    assert.ok(ruleset.diagnostics.some((diagnostic) => diagnostic.code === 'LOAD_DEPRECATED_ITEM' && diagnostic.position.file === 'rules-2.yaml' && diagnostic.position.line === 4));
    assert.equal(fires(ruleset, 'Shell started', { 'evt.type': 'execve', 'proc.name': 'ksh' }), true);
  });

  it('keeps the place of a redefined rule', () => {
    const second = '- rule: Second\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';
    const redefined = BASE.replace('priority: NOTICE', 'priority: ERROR');
    const ruleset = load(BASE + second, redefined);
    assert.deepEqual(
      ruleset.rules.map((rule) => `${rule.name} ${rule.priority}`),
      ['Shell started ERROR', 'Second INFORMATIONAL'],
    );
  });

  it('disables a rule with an enabled-only item', () => {
    const ruleset = load(BASE, `\n- rule: Shell started\n  enabled: false\n`);
    assert.equal(ruleset.rules[0]?.enabled, false);
  });

  it('lets a macro see only lists defined before it', () => {
    const ruleset = load(`
- macro: uses_later_list
  condition: proc.name in (later)
- list: later
  items: [bash]
- rule: R
  desc: d
  condition: evt.type = execve and uses_later_list
  output: o
  priority: INFO
`);
    assert.deepEqual(errors(ruleset), []);
    // The list is not visible to the macro, so `later` is a plain value there.
    assert.equal(fires(ruleset, 'R', { 'evt.type': 'execve', 'proc.name': 'later' }), true);
    assert.equal(fires(ruleset, 'R', { 'evt.type': 'execve', 'proc.name': 'bash' }), false);
  });

  it('compiles exceptions into the condition', () => {
    const ruleset = load(`
- rule: Write below etc
  desc: d
  condition: evt.type = openat and fd.name startswith /etc/
  output: o
  priority: ERROR
  exceptions:
    - name: proc_file
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values:
        - [vi, /etc/hosts]
    - name: trusted
      fields: proc.name
      values: [apt, dpkg]
`);
    assert.deepEqual(errors(ruleset), []);
    assert.equal(fires(ruleset, 'Write below etc', { 'evt.type': 'openat', 'fd.name': '/etc/passwd', 'proc.name': 'vi' }), true);
    assert.equal(fires(ruleset, 'Write below etc', { 'evt.type': 'openat', 'fd.name': '/etc/hosts', 'proc.name': 'vi' }), false);
    assert.equal(fires(ruleset, 'Write below etc', { 'evt.type': 'openat', 'fd.name': '/etc/passwd', 'proc.name': 'dpkg' }), false);
  });

  // rule file text, expected "file:line:column code" of the first error
  const broken: [string, string, string][] = [
    ['malformed YAML', '- rule: [unclosed\n', 'rules-1.yaml:2:1 LOAD_ERR_YAML_PARSE'],
    ['an unknown item', '- rule: A\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n- notarule: x\n', 'rules-1.yaml:6:3 LOAD_ERR_YAML_VALIDATE'],
    ['a condition that does not parse', '- rule: A\n  desc: d\n  condition: evt.type=open and and\n  output: o\n  priority: INFO\n', 'rules-1.yaml:3:32 LOAD_ERR_COMPILE_CONDITION'],
    ['an unknown field', '- rule: A\n  desc: d\n  condition: evt.type=open and proc.nam=x\n  output: o\n  priority: INFO\n', 'rules-1.yaml:3:32 LOAD_ERR_COMPILE_CONDITION'],
    ['an unknown output field', '- rule: A\n  desc: d\n  condition: evt.type=open\n  output: "x %proc.nam"\n  priority: INFO\n', 'rules-1.yaml:4:11 LOAD_ERR_COMPILE_OUTPUT'],
    ['a wrong priority', '- rule: A\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: LOUD\n', 'rules-1.yaml:5:13 LOAD_ERR_VALIDATE'],
    ['a wrong value type', '- rule: A\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n  enabled: maybe\n', 'rules-1.yaml:6:12 LOAD_ERR_VALIDATE'],
    // A macro sees only macros defined before it, so a reference to a later one is undefined.
    ['a macro that refers to a later macro', '- macro: a\n  condition: b\n- macro: b\n  condition: a\n- rule: A\n  desc: d\n  condition: evt.type=open and a\n  output: o\n  priority: INFO\n', 'rules-1.yaml:2:14 LOAD_ERR_COMPILE_CONDITION'],
    ['a missing key', '- rule: A\n  desc: d\n  condition: evt.type=open\n  priority: INFO\n', 'rules-1.yaml:1:3 LOAD_ERR_YAML_VALIDATE'],
    ['an override of nothing', '- rule: A\n  condition: and x\n  override: {condition: append}\n', 'rules-1.yaml:1:3 LOAD_ERR_YAML_VALIDATE'],
  ];
  for (const [what, text, expected] of broken) {
    it(`reports ${what} with its position`, () => {
      const ruleset = load(text);
      assert.equal(isUsable(ruleset), false);
      assert.equal(errors(ruleset)[0], expected);
    });
  }

  it('explains an unclosed quote', () => {
    const ruleset = load('- rule: A\n  desc: "open\n  condition: evt.type=open\n  output: o\n  priority: INFO\n');
    const error = ruleset.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    assert.equal(error?.code, 'LOAD_ERR_YAML_PARSE');
    assert.equal(error?.message, 'missing closing " quote: a quoted value opened before this point runs to here, so close its quote');
  });

  it('names the macro chain when the error is inside a macro', () => {
    const ruleset = load('- macro: m\n  condition: proc.nam = x\n- rule: A\n  desc: d\n  condition: evt.type=open and m\n  output: o\n  priority: INFO\n');
    const error = ruleset.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    assert.deepEqual(error?.position, { file: 'rules-1.yaml', line: 2, column: 14 });
    assert.match(error?.message ?? '', /unknown field 'proc.nam'.*in macro 'm'/);
  });

  it('reports a long macro chain instead of overflowing', () => {
    const ruleset = load(macroChainRules(3000));
    const error = ruleset.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    assert.equal(error?.code, 'LOAD_ERR_COMPILE_CONDITION');
    assert.equal(error?.item, "rule 'A'");
    assert.match(error?.message ?? '', /^condition nests deeper than 1000 levels with its macros expanded; shorten the chain of macros/);
    assert.match(error?.message ?? '', /\(in macro 'm2999' -> 'm2998' -> 'm2997' -> \.\.\. 494 more -> 'm2502' -> 'm2501' -> 'm2500'\)$/);
  });

  it('accepts a macro chain within the nesting limit', () => {
    const ruleset = load(macroChainRules(300));
    assert.deepEqual(errors(ruleset), []);
    assert.equal(fires(ruleset, 'A', { 'evt.type': 'execve', 'proc.name': 'p0' }), true);
    assert.equal(fires(ruleset, 'A', { 'evt.type': 'execve', 'proc.name': 'p300' }), false);
  });

  it('skips a rule with an unknown field when skip-if-unknown-filter is set', () => {
    const ruleset = load('- rule: A\n  desc: d\n  condition: evt.type=open and proc.future_field=x\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n');
    assert.equal(isUsable(ruleset), true);
    assert.equal(ruleset.rules.length, 0);
    assert.equal(ruleset.diagnostics[0]?.code, 'LOAD_UNKNOWN_FILTER');
  });

  it('rejects YAML alias bombs', () => {
    const bomb = ['- list: a', '  items: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 0; level < 6; level++) bomb.push(`- list: l${level}`, `  items: &l${level} [${Array(10).fill(level === 0 ? '*a' : `*l${level - 1}`).join(', ')}]`);
    const ruleset = load(bomb.join('\n'));
    assert.equal(isUsable(ruleset), false);
  });

  it('warns about rules that do not restrict evt.type', () => {
    const ruleset = load('- rule: A\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: INFO\n');
    assert.ok(ruleset.diagnostics.some((diagnostic) => diagnostic.code === 'LOAD_NO_EVTTYPE' && diagnostic.position.line === 3));
  });

  it('rejects a newer required_engine_version', () => {
    const ruleset = load('- required_engine_version: 0.57.0\n- required_engine_version: 57\n- required_engine_version: 0.58.0\n- required_engine_version: 58\n');
    assert.deepEqual(errors(ruleset), ['rules-1.yaml:3:28 LOAD_ERR_VALIDATE', 'rules-1.yaml:4:28 LOAD_ERR_VALIDATE']);
    assert.match(ruleset.diagnostics[0]?.message ?? '', /require engine version 0\.58\.0, but this engine implements Falco engine version 0\.57\.0/);
    assert.equal(isUsable(ruleset), false);
  });

  it('rejects a malformed required_engine_version', () => {
    const ruleset = load('- required_engine_version: 0.57\n- required_engine_version: latest\n');
    assert.deepEqual(errors(ruleset), ['rules-1.yaml:1:28 LOAD_ERR_YAML_VALIDATE', 'rules-1.yaml:2:28 LOAD_ERR_YAML_VALIDATE']);
  });

  it('checks required_plugin_versions against built-in plugins', () => {
    const ruleset = load(`- required_plugin_versions:
    - name: container
      version: 0.3.1
    - name: k8saudit-eks
      version: 0.1.0
      alternatives:
        - name: k8saudit
          version: 0.18.0
    - name: json
      version: 0.8.0
    - name: k8saudit
      version: 1.0.0
    - name: cloudtrail
      version: 0.1.0
    - name: json
      version: 7
`);
    assert.deepEqual(errors(ruleset), ['rules-1.yaml:9:7 LOAD_ERR_VALIDATE', 'rules-1.yaml:11:7 LOAD_ERR_VALIDATE', 'rules-1.yaml:13:7 LOAD_ERR_VALIDATE', 'rules-1.yaml:15:7 LOAD_ERR_YAML_VALIDATE']);
    const messages = ruleset.diagnostics.map((diagnostic) => diagnostic.message);
    assert.match(messages[0] ?? '', /plugin 'json' 0\.8\.0 is required, but the built-in jevt\.\* fields match version 0\.7\.0/);
    assert.match(messages[2] ?? '', /need one of cloudtrail \(>= 0\.1\.0\)/);
    assert.deepEqual(
      ruleset.requiredPluginVersions.map((requirement) => requirement.name),
      ['container', 'k8saudit-eks', 'json', 'k8saudit', 'cloudtrail'],
    );
  });
});
