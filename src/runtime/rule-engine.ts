import type { RuntimeEvent } from './fields/field-types.js';
import { PRIORITIES, type CompiledRule, type Priority } from './rules/rule-types.js';

/** Options of the rule engine. */
export interface RuleEngineOptions {
  /** Rules less severe than this priority are not evaluated. Default: `DEBUG` (all). */
  minPriority?: Priority;
  /**
   * `first` stops at the first matching rule in load order, as Falco does by default since 0.38;
   * `all` reports every matching rule. Default: `first`.
   */
  ruleMatching?: 'first' | 'all';
}

/** One rule match for one event. */
export interface RuleMatch {
  rule: CompiledRule;
  event: RuntimeEvent;
}

/**
 * Evaluates events against compiled rules. Rules are indexed by source and event type once, so
 * an event meets only the enabled rules whose condition can match its `evt.type`.
 */
export class RuleEngine {
  private readonly bySourceAndType = new Map<string, Map<string, CompiledRule[]>>();
  private readonly anyType = new Map<string, CompiledRule[]>();
  private readonly ruleMatching: 'first' | 'all';
  /** Hits per rule name since the engine was built. */
  readonly hits = new Map<string, number>();

  constructor(rules: readonly CompiledRule[], options: RuleEngineOptions = {}) {
    const maxLevel = PRIORITIES.indexOf(options.minPriority ?? 'DEBUG');
    this.ruleMatching = options.ruleMatching ?? 'first';
    const active = rules.filter((rule) => rule.enabled && rule.priorityLevel <= maxLevel);
    for (const rule of active) {
      if (rule.eventTypes === 'all') push(this.anyType, rule.source, rule);
    }
    for (const rule of active) {
      if (rule.eventTypes === 'all') continue;
      let byType = this.bySourceAndType.get(rule.source);
      if (byType === undefined) this.bySourceAndType.set(rule.source, (byType = new Map()));
      for (const type of rule.eventTypes) push(byType, type, rule);
    }
    // Each bucket also contains the rules that match any type, in load order, so an event reads one array.
    for (const [source, byType] of this.bySourceAndType) {
      const generic = this.anyType.get(source) ?? [];
      for (const [type, bucket] of byType) byType.set(type, inLoadOrder(rules, [...bucket, ...generic]));
    }
  }

  /** Returns the enabled rules that an event of this source and type can match, in load order. */
  candidates(source: string, eventType: string | undefined): readonly CompiledRule[] {
    const bucket = eventType === undefined ? undefined : this.bySourceAndType.get(source)?.get(eventType);
    return bucket ?? this.anyType.get(source) ?? [];
  }

  /** Evaluates one event and returns the matches, counting hits. */
  evaluate(event: RuntimeEvent): RuleMatch[] {
    const eventType = event.fields['evt.type'];
    const candidates = this.candidates(event.source, typeof eventType === 'string' ? eventType : undefined);
    const matches: RuleMatch[] = [];
    for (const rule of candidates) {
      if (!rule.predicate(event)) continue;
      this.hits.set(rule.name, (this.hits.get(rule.name) ?? 0) + 1);
      matches.push({ rule, event });
      if (this.ruleMatching === 'first') break;
    }
    return matches;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function inLoadOrder(all: readonly CompiledRule[], subset: CompiledRule[]): CompiledRule[] {
  const order = new Map(all.map((rule, index) => [rule, index]));
  return [...new Set(subset)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
