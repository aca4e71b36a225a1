import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';

import type { ConditionLocator, RuleDiagnostic, SourcePosition } from './rule-types.js';

/** The maximum size of one rule file; larger files are rejected before parsing. */
export const MAX_RULE_FILE_BYTES = 32 * 1024 * 1024;
/** The maximum number of YAML aliases a rule file may expand, against alias bombs. */
const MAX_ALIAS_COUNT = 1000;

/** One key of an item: its plain value and where the value starts. */
export interface ItemEntry {
  value: unknown;
  position: SourcePosition;
  /** Maps an offset inside a string value to its position, exactly for plain and quoted scalars. */
  locate: ConditionLocator;
  /** The start of each element when the value is a sequence, else empty. */
  elementPositions: SourcePosition[];
}

/** One top-level item of a rule file, with the positions of its keys. */
export interface RuleFileItem {
  kind: 'list' | 'macro' | 'rule' | 'required_engine_version' | 'required_plugin_versions';
  name: string;
  position: SourcePosition;
  entries: Map<string, ItemEntry>;
}

const ITEM_KINDS = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'] as const;

/**
 * Reads the items of one rule file in order. YAML errors and items of an unknown kind become
 * diagnostics with positions; the items that could be read are still returned.
 */
export function readRuleFile(file: string, text: string, diagnostics: RuleDiagnostic[]): RuleFileItem[] {
  const lineCounter = new LineCounter();
  const positionAt = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const items: RuleFileItem[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    for (const error of document.errors) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_PARSE', position: positionAt(error.pos[0]), message: yamlErrorMessage(error.code, error.message) });
    }
    if (document.errors.length > 0) continue;
    const root = document.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (!isSeq(root)) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_VALIDATE', position: positionAt(root.range?.[0] ?? 0), message: 'a rule file must be a YAML list of items' });
      continue;
    }
    for (const node of root.items) {
      const item = readItem(node as Node, document, text, positionAt, diagnostics);
      if (item !== undefined) items.push(item);
    }
  }
  return items;
}

/**
 * Returns the first line of a YAML parser message without its trailing "at line N, column M:",
 * which the diagnostic's position already gives. An unclosed quote is reported where the input
 * ends, so the message explains where to look.
 */
function yamlErrorMessage(code: string, message: string): string {
  const first = (message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
  const quote = /^Missing closing (["'])quote$/.exec(first);
  if (code === 'MISSING_CHAR' && quote !== null) return `missing closing ${quote[1]} quote: a quoted value opened before this point runs to here, so close its quote`;
  return first;
}

function readItem(node: Node, document: Document, text: string, positionAt: (offset: number) => SourcePosition, diagnostics: RuleDiagnostic[]): RuleFileItem | undefined {
  const position = positionAt(node.range?.[0] ?? 0);
  if (!isMap(node)) {
    diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_VALIDATE', position, message: 'each item must be a mapping with a rule, macro, list or required_* key' });
    return undefined;
  }
  const entries = new Map<string, ItemEntry>();
  for (const pair of node.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyStart = pair.key?.range?.[0] ?? 0;
    if (key === undefined) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_VALIDATE', position: positionAt(keyStart), message: 'item keys must be plain strings' });
      continue;
    }
    const value = pair.value;
    const start = value?.range?.[0] ?? keyStart;
    let plain: unknown = null;
    try {
      if (value !== null) plain = value.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // toJS throws when alias expansion passes maxAliasCount.
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_PARSE', position: positionAt(start), message: `key '${key}': ${(error as Error).message}` });
      continue;
    }
    const elementPositions = isSeq(value) ? value.items.map((element) => positionAt((element as Node | null)?.range?.[0] ?? start)) : [];
    entries.set(key, { value: plain, position: positionAt(start), locate: scalarLocator(value, text, positionAt), elementPositions });
  }
  const kind = ITEM_KINDS.find((candidate) => entries.has(candidate));
  if (kind === undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'LOAD_ERR_YAML_VALIDATE',
      position,
      message: `unknown item: expected a key rule, macro, list, required_engine_version or required_plugin_versions, found ${[...entries.keys()].join(', ') || 'none'}`,
    });
    return undefined;
  }
  const nameValue = entries.get(kind)?.value;
  const name = typeof nameValue === 'string' || typeof nameValue === 'number' ? String(nameValue) : '';
  return { kind, name, position, entries };
}

/** Builds a locator that maps offsets in a scalar's value to file positions. */
function scalarLocator(value: Node | null, text: string, positionAt: (offset: number) => SourcePosition): ConditionLocator {
  const start = value?.range?.[0] ?? 0;
  if (value === null || !isScalar(value) || typeof value.value !== 'string') return () => positionAt(start);
  const valueText = value.value;
  let base: number | undefined;
  if (value.type === 'PLAIN' && text.startsWith(valueText, start)) base = start;
  else if ((value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') && text.startsWith(valueText, start + 1)) base = start + 1;
  else if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') {
    // Block scalars keep each line's text; an offset on the first line maps exactly.
    const firstLine = valueText.split('\n')[0] ?? '';
    const found = text.indexOf(firstLine, start);
    if (firstLine !== '' && found >= 0) {
      return (offset) => positionAt(offset <= firstLine.length ? found + offset : found);
    }
  }
  if (base === undefined) return () => positionAt(start);
  const origin = base;
  return (offset) => positionAt(origin + Math.min(offset, valueText.length));
}
