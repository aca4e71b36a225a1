import type { Predicate } from '../condition/compile-condition.js';
import type { OutputTemplate } from '../alerts/output-template.js';
import type { LowerBounds } from '../condition/lower-bounds.js';

/** Falco's priorities, most severe first; `--min-priority` keeps a prefix of this list. */
export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'] as const;

export type Priority = (typeof PRIORITIES)[number];

/** Parses a priority as rule files spell it (case-insensitive, `INFO` for informational). */
export function parsePriority(text: string): Priority | undefined {
  const upper = text.trim().toUpperCase();
  if (upper === 'INFO') return 'INFORMATIONAL';
  return (PRIORITIES as readonly string[]).includes(upper) ? (upper as Priority) : undefined;
}

/** A place in a rule file; line and column start at 1. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * Falco's load result codes (falco_load_result in falcosecurity/falco), so messages can be
 * compared with `falco -V` output.
 */
export type RuleDiagnosticCode =
  | 'LOAD_ERR_FILE_READ'
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE'
  | 'LOAD_UNKNOWN_SOURCE'
  | 'LOAD_NO_EVTTYPE'
  | 'LOAD_UNKNOWN_FILTER'
  | 'LOAD_UNUSED_MACRO'
  | 'LOAD_UNUSED_LIST'
  | 'LOAD_UNKNOWN_ITEM'
  | 'LOAD_DEPRECATED_ITEM';

/** An error or warning found while loading rule files. */
export interface RuleDiagnostic {
  severity: 'error' | 'warning';
  code: RuleDiagnosticCode;
  /** The item, as `rule 'Name'`, `macro 'name'` or `list 'name'`, when the problem is inside one. */
  item?: string;
  position: SourcePosition;
  message: string;
}

/** Maps an offset inside a condition string to a position in its file. */
export type ConditionLocator = (offset: number) => SourcePosition;

/** One exception of a rule, as written. */
export interface RuleException {
  name: string;
  /** One field (values are then lists matched with `in`) or several fields compared per tuple. */
  fields?: string | string[];
  comps?: string | string[];
  values: unknown[];
  position: SourcePosition;
}

export interface ListDefinition {
  name: string;
  items: string[];
  /** Definition order across all files. A macro or list can use only the lists defined before it. */
  visibility: number;
  position: SourcePosition;
}

export interface MacroDefinition {
  name: string;
  condition: string;
  locate: ConditionLocator;
  visibility: number;
  position: SourcePosition;
}

export interface RuleDefinition {
  name: string;
  condition: string;
  locate: ConditionLocator;
  output: string;
  outputPosition: SourcePosition;
  desc: string;
  priority: Priority;
  enabled: boolean;
  tags: string[];
  source: string;
  exceptions: RuleException[];
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  visibility: number;
  position: SourcePosition;
}

/** A rule ready to run. */
export interface CompiledRule {
  name: string;
  desc: string;
  priority: Priority;
  /** Index of the priority in PRIORITIES: lower is more severe. */
  priorityLevel: number;
  source: string;
  /** Tags in sorted order. */
  tags: readonly string[];
  enabled: boolean;
  predicate: Predicate;
  /** The event types the rule can match, or `'all'`. */
  eventTypes: ReadonlySet<string> | 'all';
  /** Lower bounds the condition implies for numeric fields, absent when they were not computed. */
  lowerBounds?: LowerBounds;
  output: OutputTemplate;
  position: SourcePosition;
}

/** A `required_plugin_versions` entry. */
export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: { name: string; version: string }[];
}

/** The outcome of loading rule files: the rules in load order plus every diagnostic. */
/**
 * Extra output for every rule of one source, as Falco's `append_output` setting gives it:
 * `extraOutput` is appended to the output line, and `extraFields` appear only in the JSON
 * alert's `output_fields`.
 */
export interface AppendOutput {
  source: string;
  extraOutput?: string;
  extraFields?: readonly string[];
}

export interface LoadedRuleset {
  rules: CompiledRule[];
  lists: ReadonlyMap<string, ListDefinition>;
  macros: ReadonlyMap<string, MacroDefinition>;
  diagnostics: RuleDiagnostic[];
  requiredEngineVersions: string[];
  requiredPluginVersions: PluginRequirement[];
}
