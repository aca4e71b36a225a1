import { UsageError } from '../../errors.js';
import { globToRegExp } from '../condition/value-matchers.js';
import { parsePriority, PRIORITIES } from '../rules/rule-types.js';
import type { Alert } from './alert.js';

/** The alert outputs a route can name, one for each output flag of `bulwark runtime`. */
export const ALERT_OUTPUT_NAMES = ['stdout', 'file', 'http', 'program'] as const;

export type AlertOutputName = (typeof ALERT_OUTPUT_NAMES)[number];

/** A route: alerts that match `selector` go to `output`. */
export interface AlertRoute {
  /** The selector as written, such as `priority>=error` or `rule=Terminal*`. */
  selector: string;
  output: AlertOutputName;
  matches(alert: Alert): boolean;
}

const PRIORITY_SELECTOR = /^priority\s*(>=|<=|!=|=|>|<)\s*(\S+)$/;
const KEYED_SELECTOR = /^(rule|tag|source)=(.+)$/;

/** Builds the test of one selector: `priority OP LEVEL`, `rule=GLOB`, `tag=TAG` or `source=NAME`. */
function compileSelector(selector: string): (alert: Alert) => boolean {
  const priority = PRIORITY_SELECTOR.exec(selector);
  if (priority !== null) {
    const [, operator, name] = priority as unknown as [string, string, string];
    const level = parsePriority(name);
    if (level === undefined) {
      throw new UsageError(`unknown priority '${name}' in selector '${selector}': use emergency, alert, critical, error, warning, notice, informational or debug`);
    }
    const threshold = PRIORITIES.indexOf(level);
    // PRIORITIES lists the most severe first, so a lower index is a higher priority.
    const compare: Record<string, (index: number) => boolean> = {
      '=': (index) => index === threshold,
      '!=': (index) => index !== threshold,
      '>=': (index) => index <= threshold,
      '>': (index) => index < threshold,
      '<=': (index) => index >= threshold,
      '<': (index) => index > threshold,
    };
    const test = compare[operator] as (index: number) => boolean;
    return (alert) => {
      const alertLevel = parsePriority(alert.priority);
      return alertLevel !== undefined && test(PRIORITIES.indexOf(alertLevel));
    };
  }

  const keyed = KEYED_SELECTOR.exec(selector);
  if (keyed === null) {
    throw new UsageError(`invalid selector '${selector}': use priority>=LEVEL (or =, !=, >, <, <=), rule=NAME (* and ? match any text), tag=TAG or source=SOURCE`);
  }
  const [, key, value] = keyed as unknown as [string, 'rule' | 'tag' | 'source', string];
  if (key === 'tag') return (alert) => alert.tags.includes(value);
  if (key === 'source') return (alert) => alert.source === value;
  let pattern: RegExp;
  try {
    pattern = globToRegExp(value, '');
  } catch (error) {
    throw new UsageError(`invalid rule pattern '${value}' in selector '${selector}': ${(error as Error).message}`, { cause: error });
  }
  return (alert) => pattern.test(alert.rule);
}

/**
 * Parses a route written as `SELECTOR=OUTPUT`, such as `priority>=error=http`. The output is the
 * text after the last `=`, so rule names may contain `=`. Throws a UsageError naming the route.
 */
export function parseAlertRoute(text: string): AlertRoute {
  const split = text.lastIndexOf('=');
  const selector = text.slice(0, split).trim();
  const output = text.slice(split + 1).trim();
  if (split < 0 || selector === '') throw new UsageError(`invalid route '${text}': write SELECTOR=OUTPUT, such as priority>=error=http`);
  if (!(ALERT_OUTPUT_NAMES as readonly string[]).includes(output)) {
    throw new UsageError(`invalid route '${text}': unknown output '${output}'; use ${ALERT_OUTPUT_NAMES.join(', ')}`);
  }
  let matches: (alert: Alert) => boolean;
  try {
    matches = compileSelector(selector);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`invalid route '${text}': ${error.message}`, { cause: error });
  }
  return { selector, output: output as AlertOutputName, matches };
}

/**
 * Decides which outputs receive an alert. An output that one or more routes name receives only
 * the alerts that match at least one of its routes. An output that no route names receives every
 * alert, so without routes every output receives everything.
 */
export class AlertRouter {
  private readonly routesByOutput = new Map<AlertOutputName, AlertRoute[]>();

  constructor(routes: readonly AlertRoute[]) {
    for (const route of routes) {
      const list = this.routesByOutput.get(route.output) ?? [];
      list.push(route);
      this.routesByOutput.set(route.output, list);
    }
  }

  /** Lists the outputs that routes name, in the order of ALERT_OUTPUT_NAMES. */
  routedOutputs(): AlertOutputName[] {
    return ALERT_OUTPUT_NAMES.filter((name) => this.routesByOutput.has(name));
  }

  /** Returns true when `output` should receive `alert`. */
  selects(output: AlertOutputName, alert: Alert): boolean {
    const routes = this.routesByOutput.get(output);
    return routes === undefined || routes.some((route) => route.matches(alert));
  }
}
