import assert from 'node:assert/strict';
import { test } from 'node:test';

import { generateBpftraceScript, planSyscalls } from '../../../src/runtime/live/bpftrace-script.js';
import { loadRules } from '../../../src/runtime/rules/load-rules.js';

const RULES = `
- rule: Shadow read
  desc: d
  condition: evt.type in (open, openat) and fd.name = /etc/shadow
  output: read %fd.name
  priority: WARNING
- rule: Module load
  desc: d
  condition: evt.type = finit_module
  output: module
  priority: WARNING
- rule: Disabled link
  desc: d
  condition: evt.type = linkat
  output: link
  priority: WARNING
  enabled: false
`;

function compiledRules() {
  const ruleset = loadRules([{ file: 'rules.yaml', text: RULES }]);
  assert.deepEqual(ruleset.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  return ruleset.rules;
}

test('plan picks the rules event types', () => {
  const available = new Set(['execve', 'execveat', 'open', 'openat', 'linkat', 'chdir'].flatMap((name) => [`sys_enter_${name}`, `sys_exit_${name}`]));
  const plan = planSyscalls(compiledRules(), { available });
  assert.deepEqual(plan.syscalls.map((spec) => spec.name), ['execve', 'execveat', 'open', 'openat', 'chdir']);
  // fchdir is missing too, but no rule names it, so only the rule's finit_module is reported.
  assert.deepEqual(plan.untraceable, ['finit_module']);
});

test('script probes and exclusion', () => {
  const plan = planSyscalls(compiledRules(), { available: new Set(['sys_enter_execve', 'sys_exit_execve', 'sys_enter_openat', 'sys_exit_openat']) });
  const script = generateBpftraceScript(plan, { excludedPid: 4321 });
  assert.match(script, /^tracepoint:syscalls:sys_enter_execve \/pid != 4321 && curtask->real_parent->tgid != 4321\/ \{$/m);
  assert.match(script, /^tracepoint:syscalls:sys_enter_openat \/pid != 4321 && curtask->real_parent->tgid != 4321\/ \{$/m);
  assert.match(script, /@n1\[tid\] = \(int64\)\(args->flags\);/);
  assert.match(script, /printf\("S\\x1f%d\\x1f2\\x1fname\\x1f%s\\n", tid, str\(@p0\[tid\]\)\);/);
  assert.match(script, /buf\(uptr\(\(\(struct mm_struct \*\)curtask->mm\)->arg_start \+ 800\)/);
  assert.match(script, /^tracepoint:sched:sched_process_exit \/pid == tid && pid != 4321\/ \{$/m);
  assert.match(script, /^END \{\n {2}clear\(@sc\);/m);
  assert.doesNotMatch(script, /sys_enter_open /);
  // Exit probes of one call come in script order: string lines before the X line.
  const openatExit = script.indexOf('tracepoint:syscalls:sys_exit_openat');
  assert.ok(script.indexOf('"S\\x1f', openatExit) < script.indexOf('"X\\x1f', openatExit));
});

test('script rejects invalid pid', () => {
  const plan = planSyscalls(compiledRules());
  assert.throws(() => generateBpftraceScript(plan, { excludedPid: 0 }), RangeError);
});

test('script drops failed calls no rule needs', () => {
  const text = `
- rule: Shadow read
  desc: d
  condition: evt.type = openat and fd.num >= 0 and fd.name = /etc/shadow
  output: read %fd.name
  priority: WARNING
- rule: Failed exec
  desc: d
  condition: evt.type = execve and evt.rawres < 0
  output: failed
  priority: WARNING
`;
  const ruleset = loadRules([{ file: 'rules.yaml', text }]);
  const plan = planSyscalls(ruleset.rules, { available: new Set(['sys_enter_execve', 'sys_exit_execve', 'sys_enter_openat', 'sys_exit_openat']) });
  assert.deepEqual([...(plan.successOnly ?? [])].sort(), ['openat']);
  const script = generateBpftraceScript(plan, { excludedPid: 4321 });
  const openatExit = script.slice(script.indexOf('tracepoint:syscalls:sys_exit_openat'));
  assert.match(openatExit, /^tracepoint:syscalls:sys_exit_openat \/@sc\[tid\] == 2 && args->ret >= 0\/ \{\n {2}printf\("S/);
  assert.match(openatExit, /\/@sc\[tid\] == 2\/ \{\n {2}if \(args->ret >= 0\) \{\n {4}printf\("X/);
  // The maps are cleared for failed calls too.
  assert.match(openatExit, /\n {2}\}\n {2}delete\(@sc\[tid\]\);/);
  // Failed execs stay, because the second rule matches them.
  assert.match(script, /sys_exit_execve \/@sc\[tid\] == 1 && args->ret != 0\/ \{/);
});

test('script reports forks of processes', () => {
  const script = generateBpftraceScript(planSyscalls(compiledRules()), { excludedPid: 4321 });
  assert.match(script, /^tracepoint:task:task_newtask \/\(args->clone_flags & 65536\) == 0 && pid != 4321 && curtask->real_parent->tgid != 4321\/ \{$/m);
  assert.match(script, /printf\("F\\x1f%d\\x1f%d\\x1f%d\\n", pid, args->pid, \(args->clone_flags & 32768\) != 0 \? curtask->real_parent->tgid : pid\);/);
});
