import type { RuleMatch } from '../rule-engine.js';
import type { Priority } from '../rules/rule-types.js';

/** An alert in Falco's JSON alert schema. */
export interface Alert {
  /** ISO 8601 time of the event with nanoseconds, as Falco writes it. */
  time: string;
  rule: string;
  priority: string;
  source: string;
  output: string;
  output_fields: Record<string, string | number | boolean | null>;
  tags: string[];
  hostname: string;
}

const PRIORITY_NAMES: Record<Priority, string> = {
  EMERGENCY: 'Emergency',
  ALERT: 'Alert',
  CRITICAL: 'Critical',
  ERROR: 'Error',
  WARNING: 'Warning',
  NOTICE: 'Notice',
  INFORMATIONAL: 'Informational',
  DEBUG: 'Debug',
};

/** Reads an event's time in nanoseconds since the epoch, or `undefined` when it has none. */
function eventTimeNs(match: RuleMatch): bigint | undefined {
  const fields = match.event.fields;
  for (const key of ['evt.rawtime', 'evt.outputtime', 'jevt.rawtime']) {
    const value = fields[key];
    if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
    if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  }
  if (match.event.raw !== undefined) {
    const stamp = (match.event.raw as { stageTimestamp?: unknown }).stageTimestamp;
    if (typeof stamp === 'string' && !Number.isNaN(Date.parse(stamp))) return BigInt(Date.parse(stamp)) * 1_000_000n;
  }
  return undefined;
}

function isoWithNanoseconds(ns: bigint): string {
  const millis = Number(ns / 1_000_000n);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** Builds the alert for a match; `now` gives the time for events that carry none. */
export function buildAlert(match: RuleMatch, options: { hostname: string; now: () => Date }): Alert {
  const ns = eventTimeNs(match) ?? BigInt(options.now().getTime()) * 1_000_000n;
  return {
    time: isoWithNanoseconds(ns),
    rule: match.rule.name,
    priority: PRIORITY_NAMES[match.rule.priority],
    source: match.rule.source,
    output: match.rule.output.render(match.event),
    output_fields: match.rule.output.fieldValues(match.event),
    tags: [...match.rule.tags],
    hostname: options.hostname,
  };
}

/** Formats an alert as Falco's text output: `HH:MM:SS.nnnnnnnnn: Priority output` in UTC. */
export function formatAlertText(alert: Alert): string {
  return `${alert.time.slice(11, 29)}: ${alert.priority} ${alert.output}`;
}

/** Formats an alert as one line of Falco's JSON output. */
export function formatAlertJson(alert: Alert): string {
  return JSON.stringify({
    hostname: alert.hostname,
    output: alert.output,
    output_fields: alert.output_fields,
    priority: alert.priority,
    rule: alert.rule,
    source: alert.source,
    tags: alert.tags,
    time: alert.time,
  });
}
