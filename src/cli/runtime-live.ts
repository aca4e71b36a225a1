import type { RuntimeEvent } from '../runtime/fields/field-types.js';
import type { CompiledRule } from '../runtime/rules/rule-types.js';
import type { RunCounters } from '../runtime/run-events.js';
import { UsageError } from '../errors.js';
import { createRepeatLog, logRuntime } from './runtime-log.js';

/** A started live capture as `bulwark runtime` drives it. */
export interface LiveInput {
  events: AsyncIterable<RuntimeEvent>;
  /** Detaches the probes; the event iteration ends once bpftrace's remaining output is read. */
  stop(): Promise<void>;
  /** The exit and SIGUSR1 summary: the run counters and the live counters, as text or as one JSON line. */
  summary(counters: RunCounters): string;
}

/** bpftrace messages and malformed lines logged before the rest are only counted. */
const MAX_LOGGED_MESSAGES = 10;

/**
 * Starts live capture for the rules and logs "live capture started" once the probes are attached,
 * so users and tests know when to act.
 */
export async function startLiveInput(rules: readonly CompiledRule[], format: 'text' | 'json'): Promise<LiveInput> {
  if (!rules.some((rule) => rule.source === 'syscall' && rule.enabled)) {
    throw new UsageError('the rule files have no enabled rule with source syscall, so live capture has nothing to check; for k8s_audit rules give --events FILE or --k8s-audit-listen HOST:PORT');
  }
  const { LiveCapture, formatLiveStats } = await import('../runtime/live/live-capture.js');
  const { formatCounters } = await import('../runtime/run-events.js');
  const messages = createRepeatLog('WARN', MAX_LOGGED_MESSAGES);
  const malformed = createRepeatLog('WARN', MAX_LOGGED_MESSAGES);
  const capture = await LiveCapture.start({
    rules,
    onMessage: (message) => messages.log(`bpftrace: ${message}`),
    onMalformed: (message) => malformed.log(`skipped bpftrace line: ${message}`),
  });
  if (capture.plan.untraceable.length > 0) {
    logRuntime('WARN', `rules use event types that live capture does not trace, so they never see those events: ${capture.plan.untraceable.join(', ')}`);
  }
  logRuntime('INFO', `live capture started: bpftrace traces ${capture.plan.syscalls.length} system calls (${capture.plan.syscalls.map((spec) => spec.name).join(', ')})`);
  const successOnly = capture.plan.syscalls.filter((spec) => capture.plan.successOnly?.has(spec.name) === true).map((spec) => spec.name);
  if (successOnly.length > 0) {
    logRuntime('INFO', `failed calls of ${successOnly.join(', ')} are dropped in the kernel, because every rule that can match these calls requires them to succeed`);
  }
  return {
    events: capture.events,
    async stop() {
      logRuntime('INFO', 'stopping live capture: bpftrace detaches its probes, which takes a few seconds');
      await capture.stop();
      logRuntime('INFO', 'stopped live capture');
    },
    summary(counters) {
      if (format === 'json') {
        const alertsByRule = Object.fromEntries([...counters.alertsByRule].sort(([a], [b]) => a.localeCompare(b)));
        const { events, malformed: malformedEvents, alerts, suppressed } = counters;
        return `${JSON.stringify({ events, malformed: malformedEvents, alerts, suppressed, alertsByRule, live: capture.stats })}\n`;
      }
      return formatCounters(counters) + formatLiveStats(capture.stats);
    },
  };
}
