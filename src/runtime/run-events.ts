import { buildAlert, type Alert } from './alerts/alert.js';
import type { RepeatLimiter } from './alerts/repeat-limiter.js';
import type { RuntimeEvent } from './fields/field-types.js';
import type { RuleEngine } from './rule-engine.js';

/** Counters of one run, printed on exit. */
export interface RunCounters {
  events: number;
  /** Lines or records that were not usable events, skipped. */
  malformed: number;
  alerts: number;
  /** Alerts held back by the limit on repeats. */
  suppressed: number;
  /** Alerts per rule name, sorted by name when reported. */
  alertsByRule: Map<string, number>;
}

export interface RunEventsOptions {
  hostname: string;
  /** Receives each alert as soon as its event is evaluated. */
  onAlert: (alert: Alert) => void;
  now?: () => Date;
  /** Holds back repeats of the same alert; by default every alert is sent. */
  repeatLimiter?: RepeatLimiter;
}

/** Creates zeroed counters. */
export function createCounters(): RunCounters {
  return { events: 0, malformed: 0, alerts: 0, suppressed: 0, alertsByRule: new Map() };
}

/** Runs every event through the engine and passes alerts to `onAlert`; returns when the input ends. */
export async function runEvents(events: AsyncIterable<RuntimeEvent>, engine: RuleEngine, counters: RunCounters, options: RunEventsOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  for await (const event of events) {
    counters.events++;
    for (const match of engine.evaluate(event)) {
      const alert = buildAlert(match, { hostname: options.hostname, now });
      if (options.repeatLimiter !== undefined && !options.repeatLimiter.allow(alert.rule, alert.output, Date.parse(alert.time) * 1e6)) {
        counters.suppressed++;
        continue;
      }
      counters.alerts++;
      counters.alertsByRule.set(match.rule.name, (counters.alertsByRule.get(match.rule.name) ?? 0) + 1);
      options.onAlert(alert);
    }
  }
}

/** Formats the counters in the layout of Falco's exit summary. */
export function formatCounters(counters: RunCounters): string {
  const lines = [`Events detected: ${counters.events}`, `Malformed events skipped: ${counters.malformed}`, `Alerts: ${counters.alerts}`];
  if (counters.suppressed > 0) lines.push(`Alerts suppressed as repeats: ${counters.suppressed}`);
  lines.push('Triggered rules by rule name:');
  for (const [name, count] of [...counters.alertsByRule].sort(([a], [b]) => a.localeCompare(b))) lines.push(`   ${name}: ${count}`);
  return `${lines.join('\n')}\n`;
}
