import { compileOutputTemplate, OutputTemplateError, withExtraFields, type OutputTemplate } from '../alerts/output-template.js';
import type { ConditionNode } from '../condition/ast.js';
import { CompileError, compileCondition, type CompileScope } from '../condition/compile-condition.js';
import { ConditionSyntaxError, parseCondition } from '../condition/condition-parser.js';
import type { FieldCatalogue } from '../fields/field-types.js';
import { applyExceptions, ExceptionError } from './rule-exceptions.js';
import type { RulesetCollector } from './ruleset-collector.js';
import { PRIORITIES, type AppendOutput, type CompiledRule, type ListDefinition, type MacroDefinition, type RuleDefinition, type RuleDiagnostic } from './rule-types.js';

/** The maximum depth of lists that name other lists, against runaway expansion. */
const MAX_LIST_NESTING = 32;

/**
 * Compiles every collected rule against the catalogue of its source. As in Falco's rule loader, a
 * rule sees the final definition of every macro and list, wherever it is defined, while a macro or
 * list sees only the macros and lists whose latest definition was loaded before its own.
 */
export function compileRuleset(
  collector: RulesetCollector,
  catalogues: ReadonlyMap<string, FieldCatalogue>,
  diagnostics: RuleDiagnostic[],
  appendOutput: readonly AppendOutput[] = [],
): CompiledRule[] {
  const parsedMacros = parseMacros(collector.macros, diagnostics);
  const usedMacros = new Set<string>();
  const usedLists = new Set<string>();
  const compiled: CompiledRule[] = [];
  const visibilityOf = (enclosingMacro: string | undefined): number =>
    enclosingMacro === undefined ? Number.POSITIVE_INFINITY : (collector.macros.get(enclosingMacro)?.visibility ?? 0);
  for (const rule of collector.rules.values()) {
    const catalogue = catalogues.get(rule.source);
    if (catalogue === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'LOAD_UNKNOWN_SOURCE',
        item: `rule '${rule.name}'`,
        position: rule.position,
        message: `unknown source '${rule.source}', so the rule is skipped; known sources: ${[...catalogues.keys()].join(', ')}`,
      });
      continue;
    }
    const scope: CompileScope = {
      catalogue,
      resolveMacro: (name, enclosingMacro) => {
        const macro = collector.macros.get(name);
        return macro !== undefined && macro.visibility < visibilityOf(enclosingMacro) ? parsedMacros.get(name) : undefined;
      },
      resolveList: (name, enclosingMacro) => expandList(name, collector.lists, visibilityOf(enclosingMacro), usedLists, 0),
    };
    const appends = appendOutput.filter((append) => append.source === rule.source);
    const result = compileRule(rule, scope, collector.macros, diagnostics, appends);
    if (result === undefined) continue;
    for (const name of result.macros) usedMacros.add(name);
    compiled.push(result.rule);
  }
  reportUnused(collector, usedMacros, usedLists, diagnostics);
  return compiled;
}

function parseMacros(macros: ReadonlyMap<string, MacroDefinition>, diagnostics: RuleDiagnostic[]): Map<string, ConditionNode> {
  const parsed = new Map<string, ConditionNode>();
  for (const macro of macros.values()) {
    try {
      parsed.set(macro.name, parseCondition(macro.condition));
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_COMPILE_CONDITION', item: `macro '${macro.name}'`, position: macro.locate(error.offset), message: error.message });
    }
  }
  return parsed;
}

function expandList(name: string, lists: ReadonlyMap<string, ListDefinition>, visibility: number, used: Set<string>, depth: number): readonly string[] | undefined {
  const list = lists.get(name);
  if (list === undefined || list.visibility >= visibility || depth > MAX_LIST_NESTING) return undefined;
  used.add(name);
  const items: string[] = [];
  for (const item of list.items) {
    const nested = item === name ? undefined : expandList(item, lists, list.visibility, used, depth + 1);
    if (nested === undefined) items.push(unquote(item));
    else items.push(...nested);
  }
  return items;
}

/** Strips one pair of enclosing quotes: lists write `'"(systemd)"'` for the value `(systemd)`. */
function unquote(item: string): string {
  const first = item[0];
  return item.length >= 2 && (first === '"' || first === "'") && item.endsWith(first) ? item.slice(1, -1) : item;
}

function compileRule(
  rule: RuleDefinition,
  scope: CompileScope,
  macros: ReadonlyMap<string, MacroDefinition>,
  diagnostics: RuleDiagnostic[],
  appends: readonly AppendOutput[],
): { rule: CompiledRule; macros: ReadonlySet<string> } | undefined {
  const item = `rule '${rule.name}'`;
  let node: ConditionNode;
  try {
    node = applyExceptions(parseCondition(rule.condition), rule.exceptions);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_COMPILE_CONDITION', item, position: rule.locate(error.offset), message: error.message });
      return undefined;
    }
    if (error instanceof ExceptionError) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item, position: rule.exceptions[0]?.position ?? rule.position, message: error.message });
      return undefined;
    }
    throw error;
  }
  let condition;
  let output;
  try {
    condition = compileCondition(node, scope);
    output = compileOutputTemplate(rule.output, scope.catalogue);
    output = appendToOutput(rule.output, output, appends, scope.catalogue);
  } catch (error) {
    const unknownField = (error instanceof CompileError && error.kind === 'unknown-field') || (error instanceof OutputTemplateError && error.message.startsWith('unknown field'));
    if (unknownField && rule.skipIfUnknownFilter) {
      diagnostics.push({ severity: 'warning', code: 'LOAD_UNKNOWN_FILTER', item, position: rule.position, message: `${error instanceof Error ? error.message : String(error)}; the rule is skipped (skip-if-unknown-filter)` });
      return undefined;
    }
    if (error instanceof OutputTemplateError) {
      diagnostics.push({ severity: 'error', code: 'LOAD_ERR_COMPILE_OUTPUT', item, position: rule.outputPosition, message: error.message });
      return undefined;
    }
    if (!(error instanceof CompileError)) throw error;
    // An error inside a macro points into the macro's condition, and the message names the chain from the rule.
    const macro = error.macroPath.length > 0 ? macros.get(error.macroPath[error.macroPath.length - 1] as string) : undefined;
    const via = error.macroPath.length > 0 ? ` (in macro ${formatMacroChain(error.macroPath)})` : '';
    const offset = error.offset ?? 0;
    diagnostics.push({ severity: 'error', code: 'LOAD_ERR_COMPILE_CONDITION', item, position: macro?.locate(offset) ?? rule.locate(offset), message: `${error.message}${via}` });
    return undefined;
  }
  if (rule.source === 'syscall' && condition.eventTypes === 'all' && rule.warnEvttypes) {
    diagnostics.push({ severity: 'warning', code: 'LOAD_NO_EVTTYPE', item, position: rule.locate(0), message: 'the condition does not restrict evt.type, so the rule is checked against every event; this has a performance cost' });
  }
  return {
    rule: {
      name: rule.name,
      desc: rule.desc,
      priority: rule.priority,
      priorityLevel: PRIORITIES.indexOf(rule.priority),
      source: rule.source,
      // Sorted once here because Falco's JSON alerts list tags in sorted order.
      tags: [...rule.tags].sort(),
      enabled: rule.enabled,
      predicate: condition.predicate,
      eventTypes: condition.eventTypes,
      lowerBounds: condition.lowerBounds,
      output,
      position: rule.position,
    },
    macros: condition.macrosUsed,
  };
}

/**
 * Applies `append_output` entries to a compiled output. The appended text and fields were checked
 * against the source's catalogue before loading, so they compile here.
 */
function appendToOutput(text: string, output: OutputTemplate, appends: readonly AppendOutput[], catalogue: FieldCatalogue): OutputTemplate {
  if (appends.length === 0) return output;
  const extraOutput = appends.flatMap((append) => (append.extraOutput === undefined ? [] : [append.extraOutput]));
  let appended = extraOutput.length === 0 ? output : compileOutputTemplate(`${text.trimEnd()} ${extraOutput.join(' ')}`, catalogue);
  const extraFields = appends.flatMap((append) => append.extraFields ?? []);
  if (extraFields.length > 0) appended = withExtraFields(appended, compileOutputTemplate(extraFields.map((field) => `%${field}`).join(' '), catalogue));
  return appended;
}

function reportUnused(collector: RulesetCollector, usedMacros: ReadonlySet<string>, usedLists: ReadonlySet<string>, diagnostics: RuleDiagnostic[]): void {
  for (const macro of collector.macros.values()) {
    if (!usedMacros.has(macro.name)) diagnostics.push({ severity: 'warning', code: 'LOAD_UNUSED_MACRO', item: `macro '${macro.name}'`, position: macro.position, message: 'macro not referred to by any rule' });
  }
  for (const list of collector.lists.values()) {
    if (!usedLists.has(list.name)) diagnostics.push({ severity: 'warning', code: 'LOAD_UNUSED_LIST', item: `list '${list.name}'`, position: list.position, message: 'list not referred to by any rule or macro' });
  }
}

/** Macro chains longer than this are shown by their first and last macros only. */
const MAX_SHOWN_CHAIN = 6;

/** Formats the macros from the rule down to the one with the error, eliding the middle of a long chain. */
function formatMacroChain(macroPath: readonly string[]): string {
  const quoted = macroPath.map((name) => `'${name}'`);
  if (quoted.length <= MAX_SHOWN_CHAIN) return quoted.join(' -> ');
  const half = MAX_SHOWN_CHAIN / 2;
  return [...quoted.slice(0, half), `... ${quoted.length - MAX_SHOWN_CHAIN} more`, ...quoted.slice(-half)].join(' -> ');
}
