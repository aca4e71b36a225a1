import { excludesNegativeIntegers } from '../condition/lower-bounds.js';
import type { CompiledRule } from '../rules/rule-types.js';
import type { SyscallKind, SyscallSpec } from './syscall-table.js';

/** Call kinds whose `fd.num` is the call's result, or -1 when it failed (see addCallFields). */
const FD_FROM_RESULT: ReadonlySet<SyscallKind> = new Set(['open', 'socket', 'dup', 'memfd']);

/** Checks whether the rule's condition is false for every failed call of `spec`, judged by the bounds it implies. */
function requiresSuccess(rule: CompiledRule, spec: SyscallSpec): boolean {
  const bounds = rule.lowerBounds;
  if (bounds === undefined) return false;
  if (excludesNegativeIntegers(bounds.get('evt.rawres'))) return true;
  return FD_FROM_RESULT.has(spec.kind) && excludesNegativeIntegers(bounds.get('fd.num'));
}

/**
 * Returns the names of the calls whose failures no enabled `syscall` rule can match, so the
 * kernel probes can drop failed calls before they are printed. A call qualifies only when every
 * rule that can see it (its event types include the call, or it matches any type) has a
 * condition that implies `evt.rawres >= 0`, or `fd.num >= 0` for calls whose fd is the result.
 * Upstream Falco rules reach opens only through the `open_read` and `open_write` macros, which
 * require `fd.num>=0`, so failed opens qualify with them. Failed execs never update the process
 * table, so dropping them loses nothing else.
 */
export function successOnlyCalls(rules: readonly CompiledRule[], syscalls: readonly SyscallSpec[]): Set<string> {
  const active = rules.filter((rule) => rule.enabled && rule.source === 'syscall');
  const names = new Set<string>();
  for (const spec of syscalls) {
    const relevant = active.filter((rule) => rule.eventTypes === 'all' || rule.eventTypes.has(spec.name));
    if (relevant.every((rule) => requiresSuccess(rule, spec))) names.add(spec.name);
  }
  return names;
}
