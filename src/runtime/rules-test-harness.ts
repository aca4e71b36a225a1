import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';

import { eventsFromJson } from './events/json-events.js';
import type { RuntimeEvent } from './fields/field-types.js';
import { RuleEngine, type RuleEngineOptions } from './rule-engine.js';
import type { CompiledRule, SourcePosition } from './rules/rule-types.js';

/** One test case: events in, the names of the rules expected to fire out. */
export interface RuleTestCase {
  name: string;
  events: RuntimeEvent[];
  /** Expected rule names, one per alert, in order; empty when no rule may fire. */
  expect: string[];
  position: SourcePosition;
}

/** The outcome of one case. */
export interface RuleTestResult {
  name: string;
  passed: boolean;
  expected: string[];
  actual: string[];
  position: SourcePosition;
}

/** A cases file that cannot be read, with the position of the problem. */
export class RuleCasesError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
    this.name = 'RuleCasesError';
  }
}

const MAX_ALIAS_COUNT = 1000;

/**
 * Parses a cases file: a YAML list of `{name, event | events, expect}`, where each event is a flat
 * object keyed by Falco field names or a Kubernetes audit Event, and `expect` lists rule names.
 */
export function parseRuleCases(file: string, text: string): RuleTestCase[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const positionAt = (node: Node | null | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new RuleCasesError(firstError.message.split('\n')[0] as string, { file, line, column: col });
  }
  const root = document.contents;
  if (!isSeq(root)) throw new RuleCasesError('a cases file must be a YAML list of {name, event or events, expect}', positionAt(root));
  const cases: RuleTestCase[] = [];
  for (const node of root.items as Node[]) {
    const position = positionAt(node);
    if (!isMap(node)) throw new RuleCasesError('each case must be a mapping with name, event or events, and expect', position);
    const plain = node.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    const name = typeof plain.name === 'string' ? plain.name : `case at line ${position.line}`;
    const rawEvents = plain.events ?? (plain.event === undefined ? undefined : [plain.event]);
    if (!Array.isArray(rawEvents) || rawEvents.length === 0) throw new RuleCasesError(`case '${name}' needs 'event' (one object) or 'events' (a list)`, position);
    const expect = plain.expect ?? [];
    if (!Array.isArray(expect) || !expect.every((item) => typeof item === 'string')) {
      throw new RuleCasesError(`case '${name}': 'expect' must be a list of rule names ([] for no alert)`, position);
    }
    const events: RuntimeEvent[] = [];
    for (const raw of rawEvents) {
      const decoded = eventsFromJson(raw, typeof plain.source === 'string' ? plain.source : 'syscall');
      if (typeof decoded === 'string') throw new RuleCasesError(`case '${name}': ${decoded}`, position);
      events.push(...decoded);
    }
    cases.push({ name, events, expect: expect as string[], position });
  }
  return cases;
}

/** Runs each case through a fresh engine and compares the rules that fired with `expect`. */
export function runRuleCases(rules: readonly CompiledRule[], cases: readonly RuleTestCase[], options: RuleEngineOptions = {}): RuleTestResult[] {
  const known = new Set(rules.map((rule) => rule.name));
  return cases.map((testCase) => {
    const engine = new RuleEngine(rules, options);
    const actual = testCase.events.flatMap((event) => engine.evaluate(event).map((match) => match.rule.name));
    const unknown = testCase.expect.filter((name) => !known.has(name));
    const passed = unknown.length === 0 && actual.length === testCase.expect.length && actual.every((name, index) => name === testCase.expect[index]);
    return { name: testCase.name, passed, expected: testCase.expect, actual, position: testCase.position };
  });
}
