import type { CompiledRule } from '../rules/rule-types.js';
import { successOnlyCalls } from './failed-call-filter.js';
import { ALWAYS_TRACED, SYSCALL_TABLE, tracepointName, type SyscallSpec } from './syscall-table.js';

/** Bytes of the NUL-separated argv read per exec probe; bpftrace caps one buf() at 200 bytes. */
export const EXEC_ARGS_CHUNK_BYTES = 200;
/** Probes that read argv per exec, so at most 1,000 bytes of arguments are kept; the rest is cut. */
export const EXEC_ARGS_CHUNKS = 5;

/** Field separator inside bpftrace's printf lines: ASCII unit separator, absent from normal paths. */
export const FIELD_SEPARATOR = '\x1f';

/** The probes of one generated script: the calls in the order their ids are given (id = index + 1). */
export interface ScriptPlan {
  readonly syscalls: readonly SyscallSpec[];
  /** Event types that rules name but the live source cannot trace (no spec or no tracepoint here). */
  readonly untraceable: readonly string[];
  /** Calls whose failures no rule can match, so their probes print only calls that returned 0 or more; none when absent. */
  readonly successOnly?: ReadonlySet<string>;
}

export interface PlanOptions {
  /** Tracepoint names under `syscalls` that exist on this kernel (`sys_enter_openat` …); all when absent. */
  available?: ReadonlySet<string>;
}

/**
 * Chooses the calls to trace for the enabled `syscall` rules: the event types their conditions can
 * match, plus the calls that keep the process table current (ALWAYS_TRACED). A rule that can match
 * any event type pulls in every traceable call.
 */
export function planSyscalls(rules: readonly CompiledRule[], options: PlanOptions = {}): ScriptPlan {
  const selected = new Set<string>(ALWAYS_TRACED);
  // The types the rules name: only these are reported as untraceable when the kernel lacks them.
  const named = new Set<string>();
  let everyType = false;
  for (const rule of rules) {
    if (!rule.enabled || rule.source !== 'syscall') continue;
    if (rule.eventTypes === 'all') everyType = true;
    else for (const type of rule.eventTypes) named.add(type);
  }
  for (const type of named) selected.add(type);
  const exists = (spec: SyscallSpec): boolean => {
    const name = tracepointName(spec);
    return options.available === undefined || (options.available.has(`sys_enter_${name}`) && options.available.has(`sys_exit_${name}`));
  };
  const syscalls = SYSCALL_TABLE.filter((spec) => (everyType || selected.has(spec.name)) && exists(spec));
  const traced = new Set(syscalls.map((spec) => spec.name));
  const untraceable = [...named].filter((type) => !traced.has(type)).sort();
  return { syscalls, untraceable, successOnly: successOnlyCalls(rules, syscalls) };
}

export interface ScriptOptions {
  /** Processes whose own calls and whose children's calls are not traced: bulwark itself. */
  excludedPid: number;
}

/** clone(2) flags, from include/uapi/linux/sched.h. */
const CLONE_PARENT = 0x8000;
const CLONE_THREAD = 0x10000;

/** The printf format and arguments that start every exit line. */
const EXIT_HEADER_FORMAT = ['%d', '%d', '%d', '%d', '%d', '%u', '%llu', '%llu', '%d'];
const EXIT_HEADER_ARGS = 'tid, pid, curtask->real_parent->tgid, uid, gid, curtask->loginuid.val, cgroup, nsecs, args->ret';

function line(kind: string, formats: readonly string[]): string {
  return [kind, ...formats].join('\\x1f') + '\\n';
}

/**
 * Builds the lines of an exit probe that print the X line. When failed calls are dropped, the
 * printf sits inside a result check, so the map deletes after it still run for failed calls.
 */
function printExit(success: string, printf: string): string[] {
  return success === '' ? [`  ${printf}`] : ['  if (args->ret >= 0) {', `    ${printf}`, '  }'];
}

/** Generates a probe on the exit of one call that prints one string argument as an `S` line. */
function stringProbe(tracepoint: string, id: number, key: string, value: string, extraFilter = ''): string {
  return [
    `tracepoint:syscalls:sys_exit_${tracepoint} /@sc[tid] == ${id}${extraFilter}/ {`,
    `  printf("${line('S', ['%d', String(id), key, '%s'])}", tid, ${value});`,
    '}',
  ].join('\n');
}

/** Returns the probe condition that drops failed calls, or an empty string when failures are printed. */
function resultFilter(spec: SyscallSpec, plan: ScriptPlan): string {
  return plan.successOnly?.has(spec.name) === true ? ' && args->ret >= 0' : '';
}

function execProbes(spec: SyscallSpec, id: number, filter: string, plan: ScriptPlan): string[] {
  const tracepoint = tracepointName(spec);
  const success = resultFilter(spec, plan);
  const enter = [`tracepoint:syscalls:sys_enter_${tracepoint} /${filter}/ {`, `  @sc[tid] = ${id};`, '  @p0[tid] = (uint64)args->filename;'];
  spec.numbers.forEach(([, expression], index) => enter.push(`  @n${index}[tid] = (int64)(${expression});`));
  enter.push('}');

  const mm = '((struct mm_struct *)curtask->mm)';
  // A failed exec keeps the caller's memory, so the filename pointer is still valid. After a
  // successful one the kernel has copied argv and the filename onto the new process's stack:
  // argv lies between mm->arg_start and mm->arg_end, and the filename starts at mm->env_end.
  const probes = [
    enter.join('\n'),
    stringProbe(tracepoint, id, 'filename', 'str(@p0[tid])', ` && args->ret != 0${success}`),
    stringProbe(tracepoint, id, 'filename', `str(uptr(${mm}->env_end))`, ' && args->ret == 0'),
  ];

  for (let chunk = 0; chunk < EXEC_ARGS_CHUNKS; chunk++) {
    const offset = chunk * EXEC_ARGS_CHUNK_BYTES;
    probes.push(
      [
        `tracepoint:syscalls:sys_exit_${tracepoint} /@sc[tid] == ${id} && args->ret == 0 && ${mm}->arg_end - ${mm}->arg_start > ${offset}/ {`,
        // The read stops at arg_end: with a small environment the stack mapping ends soon after argv, and a read past it fails whole.
        `  $left = ${mm}->arg_end - ${mm}->arg_start - ${offset};`,
        `  printf("${line('S', ['%d', String(id), `args${chunk}`, '%r'])}", tid, buf(uptr(${mm}->arg_start + ${offset}), $left > ${EXEC_ARGS_CHUNK_BYTES} ? ${EXEC_ARGS_CHUNK_BYTES} : $left));`,
        '}',
      ].join('\n'),
    );
  }

  // The cgroup's directory name carries the container id; the exe's file name shows memfd execs.
  probes.push(stringProbe(tracepoint, id, 'cgroup', 'str(((struct kernfs_node *)((struct cgroup *)curtask->cgroups->dfl_cgrp)->kn)->name)', ' && args->ret == 0'));
  probes.push(stringProbe(tracepoint, id, 'exe', 'str(((struct dentry *)((struct file *)curtask->mm->exe_file)->f_path.dentry)->d_name.name)', ' && args->ret == 0'));

  const numbers = spec.numbers.map((_, index) => `@n${index}[tid]`);
  const exit = [
    `tracepoint:syscalls:sys_exit_${tracepoint} /@sc[tid] == ${id}/ {`,
    '  $tty = (struct tty_struct *)curtask->signal->tty;',
    '  $driver = (struct tty_driver *)$tty->driver;',
    '  $major = $tty != 0 ? $driver->major : 0;',
    '  $minor = $tty != 0 ? $driver->minor_start + $tty->index : 0;',
    `  $argsLength = args->ret == 0 ? ${mm}->arg_end - ${mm}->arg_start : 0;`,
    ...printExit(
      success,
      `printf("${line('X', [String(id), ...EXIT_HEADER_FORMAT, '%d', '%d', '%llu', ...numbers.map(() => '%lld'), '%s'])}", ${EXIT_HEADER_ARGS}, $major, $minor, $argsLength, ${[...numbers, 'comm'].join(', ')});`,
    ),
    '  delete(@sc[tid]); delete(@p0[tid]);',
    ...spec.numbers.map((_, index) => `  delete(@n${index}[tid]);`),
    '}',
  ];
  probes.push(exit.join('\n'));
  return probes;
}

function callProbes(spec: SyscallSpec, id: number, filter: string, plan: ScriptPlan): string[] {
  const tracepoint = tracepointName(spec);
  const success = resultFilter(spec, plan);
  const enter = [`tracepoint:syscalls:sys_enter_${tracepoint} /${filter}/ {`, `  @sc[tid] = ${id};`];
  spec.numbers.forEach(([, expression], index) => enter.push(`  @n${index}[tid] = (int64)(${expression});`));
  spec.strings.forEach(([, expression], index) => enter.push(`  @p${index}[tid] = (uint64)(${expression});`));
  enter.push('}');
  const probes = [enter.join('\n')];
  spec.strings.forEach(([key], index) => probes.push(stringProbe(tracepoint, id, key, `str(@p${index}[tid])`, success)));
  const numbers = spec.numbers.map((_, index) => `@n${index}[tid]`);
  const exit = [
    `tracepoint:syscalls:sys_exit_${tracepoint} /@sc[tid] == ${id}/ {`,
    ...printExit(success, `printf("${line('X', [String(id), ...EXIT_HEADER_FORMAT, ...numbers.map(() => '%lld'), '%s'])}", ${EXIT_HEADER_ARGS}, ${[...numbers, 'comm'].join(', ')});`),
    '  delete(@sc[tid]);',
    ...spec.numbers.map((_, index) => `  delete(@n${index}[tid]);`),
    ...spec.strings.map((_, index) => `  delete(@p${index}[tid]);`),
    '}',
  ];
  probes.push(exit.join('\n'));
  return probes;
}

/**
 * Generates the bpftrace program for a plan. Entry probes copy the arguments into maps keyed by
 * thread id. On exit, one probe per string prints an `S` line and a last probe prints the `X` line
 * with the result, ids and numbers. All of them run on one CPU for one call, in the order they are
 * attached (script order), so the `S` lines of a call always come before its `X` line. Each probe
 * prints at most one string because BPF programs have 512 bytes of stack.
 */
export function generateBpftraceScript(plan: ScriptPlan, options: ScriptOptions): string {
  if (!Number.isSafeInteger(options.excludedPid) || options.excludedPid <= 0) throw new RangeError(`invalid excludedPid ${options.excludedPid}`);
  const filter = `pid != ${options.excludedPid} && curtask->real_parent->tgid != ${options.excludedPid}`;
  const probes: string[] = [];
  plan.syscalls.forEach((spec, index) => probes.push(...(spec.kind === 'exec' ? execProbes(spec, index + 1, filter, plan) : callProbes(spec, index + 1, filter, plan))));
  // New processes let the process table copy the caller's details instead of reading /proc for
  // the child, which is often gone by the time its first event is handled. A new thread
  // (CLONE_THREAD) needs no entry, because events carry the process id. With CLONE_PARENT the
  // child's parent is the caller's parent.
  probes.push(
    [
      `tracepoint:task:task_newtask /(args->clone_flags & ${CLONE_THREAD}) == 0 && ${filter}/ {`,
      `  printf("${line('F', ['%d', '%d', '%d'])}", pid, args->pid, (args->clone_flags & ${CLONE_PARENT}) != 0 ? curtask->real_parent->tgid : pid);`,
      '}',
    ].join('\n'),
  );
  // Process exits let the process table drop its entries.
  probes.push([`tracepoint:sched:sched_process_exit /pid == tid && pid != ${options.excludedPid}/ {`, `  printf("${line('P', ['%d'])}", pid);`, '}'].join('\n'));
  // Clearing the maps keeps bpftrace from printing them when it stops.
  probes.push(['END {', ...mapNames(plan).map((name) => `  clear(${name});`), '}'].join('\n'));
  return `${probes.join('\n\n')}\n`;
}

function mapNames(plan: ScriptPlan): string[] {
  const numbers = Math.max(0, ...plan.syscalls.map((spec) => spec.numbers.length));
  const strings = Math.max(0, ...plan.syscalls.map((spec) => (spec.kind === 'exec' ? 1 : spec.strings.length)));
  return [
    ...(plan.syscalls.length > 0 ? ['@sc'] : []),
    ...Array.from({ length: numbers }, (_, index) => `@n${index}`),
    ...Array.from({ length: strings }, (_, index) => `@p${index}`),
  ];
}
