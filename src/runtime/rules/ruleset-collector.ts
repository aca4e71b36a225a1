import { checkPluginRequirement, compareEngineSemver, ENGINE_VERSION, formatEngineSemver, parseEngineSemver, parseRequiredEngineVersion, type PluginVersion } from './engine-requirements.js';
import type { ItemEntry, RuleFileItem } from './rule-file-reader.js';
import {
  parsePriority,
  type ListDefinition,
  type MacroDefinition,
  type PluginRequirement,
  type RuleDefinition,
  type RuleDiagnostic,
  type RuleException,
} from './rule-types.js';

const ALLOWED_KEYS: Record<'list' | 'macro' | 'rule', readonly string[]> = {
  list: ['list', 'items', 'append', 'override'],
  macro: ['macro', 'condition', 'append', 'override', 'source'],
  rule: ['rule', 'condition', 'output', 'desc', 'priority', 'enabled', 'tags', 'source', 'exceptions', 'warn_evttypes', 'skip-if-unknown-filter', 'append', 'override'],
};
// The keys `override` may append to or replace, as Falco's rule loader allows them.
const APPENDABLE: Record<'list' | 'macro' | 'rule', readonly string[]> = {
  list: ['items'],
  macro: ['condition'],
  rule: ['condition', 'output', 'desc', 'tags', 'exceptions'],
};
const REPLACEABLE: Record<'list' | 'macro' | 'rule', readonly string[]> = {
  list: ['items'],
  macro: ['condition'],
  rule: ['condition', 'output', 'desc', 'priority', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter'],
};
const REQUIRED_RULE_KEYS = ['condition', 'output', 'desc', 'priority'] as const;

/** Reads one `required_plugin_versions` entry; returns the problem as a message when it is malformed. */
function readPluginRequirement(plugin: unknown): PluginRequirement | string {
  const readPair = (value: unknown, entryName: string): PluginVersion | string => {
    const record = value as Record<string, unknown> | null;
    if (record === null || typeof record !== 'object' || typeof record.name !== 'string' || typeof record.version !== 'string') {
      return `each ${entryName} needs a string name and version, found ${JSON.stringify(value)}`;
    }
    if (parseEngineSemver(record.version) === undefined) return `invalid required version '${record.version}' for plugin '${record.name}': expected x.y.z`;
    return { name: record.name, version: record.version };
  };
  const main = readPair(plugin, 'required_plugin_versions entry');
  if (typeof main === 'string') return main;
  const listed = (plugin as Record<string, unknown>).alternatives;
  if (listed !== undefined && !Array.isArray(listed)) return `alternatives of plugin '${main.name}' must be a list of {name, version} entries`;
  const alternatives: PluginVersion[] = [];
  for (const alternative of (listed ?? []) as unknown[]) {
    const pair = readPair(alternative, `alternative of plugin '${main.name}'`);
    if (typeof pair === 'string') return pair;
    alternatives.push(pair);
  }
  return { ...main, alternatives };
}

/**
 * Applies rule-file items in load order: definitions, redefinitions, `override` and the deprecated
 * `append: true`. A later definition of a name replaces the earlier one and moves to the later
 * place in the visibility order. Appends and overrides keep the place of the definition they change.
 */
export class RulesetCollector {
  readonly lists = new Map<string, ListDefinition>();
  readonly macros = new Map<string, MacroDefinition>();
  readonly rules = new Map<string, RuleDefinition>();
  readonly requiredEngineVersions: string[] = [];
  readonly requiredPluginVersions: PluginRequirement[] = [];
  private visibility = 0;

  constructor(private readonly diagnostics: RuleDiagnostic[]) {}

  add(item: RuleFileItem): void {
    switch (item.kind) {
      case 'required_engine_version':
        return this.addEngineVersion(item);
      case 'required_plugin_versions':
        return this.addPluginVersions(item);
      default:
        return this.addNamed(item as RuleFileItem & { kind: 'list' | 'macro' | 'rule' });
    }
  }

  private error(item: RuleFileItem, message: string, entry?: ItemEntry): void {
    this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_VALIDATE', item: label(item), position: entry?.position ?? item.position, message });
  }

  /** Records a `required_engine_version` and rejects one newer than this engine, as Falco does. */
  private addEngineVersion(item: RuleFileItem): void {
    const entry = item.entries.get('required_engine_version') as ItemEntry;
    const required = parseRequiredEngineVersion(entry.value);
    if (required === undefined) {
      return this.error(item, `the value must be a whole number or an x.y.z version such as 0.57.0, found ${JSON.stringify(entry.value)}`, entry);
    }
    this.requiredEngineVersions.push(String(entry.value));
    if (compareEngineSemver(required, ENGINE_VERSION) > 0) {
      this.diagnostics.push({
        severity: 'error',
        code: 'LOAD_ERR_VALIDATE',
        item: label(item),
        position: entry.position,
        message: `the rules require engine version ${formatEngineSemver(required)}, but this engine implements Falco engine version ${formatEngineSemver(ENGINE_VERSION)}; use rules written for that engine version or older`,
      });
    }
  }

  /** Records each `required_plugin_versions` entry and checks it against the built-in plugins. */
  private addPluginVersions(item: RuleFileItem): void {
    const entry = item.entries.get('required_plugin_versions') as ItemEntry;
    if (!Array.isArray(entry.value)) return this.error(item, 'required_plugin_versions must be a list of {name, version} entries', entry);
    (entry.value as unknown[]).forEach((plugin, index) => {
      const position = entry.elementPositions[index] ?? entry.position;
      const requirement = readPluginRequirement(plugin);
      if (typeof requirement === 'string') {
        this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_YAML_VALIDATE', item: label(item), position, message: requirement });
        return;
      }
      this.requiredPluginVersions.push(requirement);
      const unmet = checkPluginRequirement([requirement, ...requirement.alternatives]);
      if (unmet !== undefined) this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item: label(item), position, message: unmet });
    });
  }

  private addNamed(item: RuleFileItem & { kind: 'list' | 'macro' | 'rule' }): void {
    if (item.name === '') return this.error(item, `the ${item.kind} key must be a non-empty name`, item.entries.get(item.kind));
    for (const [key, entry] of item.entries) {
      if (!ALLOWED_KEYS[item.kind].includes(key)) {
        this.diagnostics.push({ severity: 'warning', code: 'LOAD_UNKNOWN_ITEM', item: label(item), position: entry.position, message: `unknown key '${key}' is ignored` });
      }
    }
    const override = item.entries.get('override');
    const append = item.entries.get('append');
    if (override !== undefined && append !== undefined) return this.error(item, "'override' and 'append' cannot be used together; remove 'append'", append);
    if (append !== undefined && typeof append.value !== 'boolean') return this.error(item, `'append' must be true or false, found ${JSON.stringify(append.value)}`, append);
    if (override !== undefined) return this.applyOverride(item, override);
    if (append?.value === true) {
      this.diagnostics.push({ severity: 'warning', code: 'LOAD_DEPRECATED_ITEM', item: label(item), position: append.position, message: "'append: true' is deprecated; use 'override' with append per key" });
      return this.applyAppend(item);
    }
    this.define(item);
  }

  private define(item: RuleFileItem & { kind: 'list' | 'macro' | 'rule' }): void {
    const visibility = ++this.visibility;
    if (item.kind === 'list') {
      const items = this.listItems(item, item.entries.get('items'));
      if (items !== undefined) this.lists.set(item.name, { name: item.name, items, visibility, position: item.position });
      return;
    }
    if (item.kind === 'macro') {
      const condition = this.stringKey(item, 'condition', { required: true });
      if (condition === undefined) return;
      const entry = item.entries.get('condition') as ItemEntry;
      this.macros.set(item.name, { name: item.name, condition, locate: entry.locate, visibility, position: item.position });
      return;
    }
    const existing = this.rules.get(item.name);
    const onlyEnabled = [...item.entries.keys()].every((key) => key === 'rule' || key === 'enabled');
    if (existing !== undefined && onlyEnabled && item.entries.has('enabled')) {
      // A rule item with only `enabled` switches an existing rule on or off, as older Falco files do.
      const enabled = this.booleanKey(item, 'enabled');
      if (enabled !== undefined) existing.enabled = enabled;
      return;
    }
    const missing = REQUIRED_RULE_KEYS.filter((key) => !item.entries.has(key));
    if (missing.length > 0) return this.error(item, `rule '${item.name}' is missing required key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    const definition = this.ruleFields(item, visibility);
    if (definition === undefined) return;
    // A redefined rule replaces the earlier one but keeps its place in the evaluation order, because
    // Map.set on an existing key keeps the key's insertion position.
    this.rules.set(item.name, definition);
  }

  private ruleFields(item: RuleFileItem, visibility: number): RuleDefinition | undefined {
    const condition = this.stringKey(item, 'condition', { required: true });
    const output = this.stringKey(item, 'output', { required: true });
    const desc = this.stringKey(item, 'desc', { required: true });
    const priority = this.priorityKey(item);
    const exceptions = this.exceptions(item);
    if (condition === undefined || output === undefined || desc === undefined || priority === undefined || exceptions === undefined) return undefined;
    const conditionEntry = item.entries.get('condition') as ItemEntry;
    return {
      name: item.name,
      condition,
      locate: conditionEntry.locate,
      output: output.trim(),
      outputPosition: (item.entries.get('output') as ItemEntry).position,
      desc,
      priority,
      enabled: this.booleanKey(item, 'enabled') ?? true,
      tags: this.tags(item) ?? [],
      source: this.stringKey(item, 'source', { required: false }) ?? 'syscall',
      exceptions,
      warnEvttypes: this.booleanKey(item, 'warn_evttypes') ?? true,
      skipIfUnknownFilter: this.booleanKey(item, 'skip-if-unknown-filter') ?? false,
      visibility,
      position: item.position,
    };
  }

  private applyAppend(item: RuleFileItem & { kind: 'list' | 'macro' | 'rule' }): void {
    // `append: true` appends a list's items, a macro's condition, and a rule's condition and exceptions.
    const appendable: Record<'list' | 'macro' | 'rule', string[]> = { list: ['items'], macro: ['condition'], rule: ['condition', 'exceptions'] };
    const keys = appendable[item.kind].filter((key) => item.kind !== 'rule' || item.entries.has(key));
    if (item.kind === 'rule' && keys.length === 0) return this.error(item, "an appended rule needs a condition or exceptions to append");
    this.merge(item, new Map(keys.map((key) => [key, 'append'])));
  }

  private applyOverride(item: RuleFileItem & { kind: 'list' | 'macro' | 'rule' }, override: ItemEntry): void {
    const value = override.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.error(item, "'override' must map keys to append or replace", override);
    const operations = new Map<string, 'append' | 'replace'>();
    for (const [key, operation] of Object.entries(value as Record<string, unknown>)) {
      if (operation !== 'append' && operation !== 'replace') return this.error(item, `override of '${key}' must be append or replace, found ${JSON.stringify(operation)}`, override);
      const allowed = operation === 'append' ? APPENDABLE[item.kind] : REPLACEABLE[item.kind];
      if (!allowed.includes(key)) return this.error(item, `key '${key}' of a ${item.kind} cannot be overridden with ${operation}; allowed: ${allowed.join(', ')}`, override);
      if (!item.entries.has(key)) return this.error(item, `override names '${key}' but the item has no '${key}' key`, override);
      operations.set(key, operation);
    }
    for (const key of item.entries.keys()) {
      if (key !== item.kind && key !== 'override' && !operations.has(key)) {
        return this.error(item, `key '${key}' must be listed under 'override' with append or replace`, item.entries.get(key));
      }
    }
    this.merge(item, operations);
  }

  private merge(item: RuleFileItem & { kind: 'list' | 'macro' | 'rule' }, operations: Map<string, 'append' | 'replace'>): void {
    const definitions: Record<'list' | 'macro' | 'rule', ReadonlyMap<string, unknown>> = { list: this.lists, macro: this.macros, rule: this.rules };
    const target = definitions[item.kind].get(item.name);
    if (target === undefined) return this.error(item, `${item.kind} '${item.name}' changes an earlier definition, but none is loaded before it`);
    for (const [key, operation] of operations) {
      if (item.kind === 'list' && key === 'items') {
        const items = this.listItems(item, item.entries.get('items'));
        if (items === undefined) return;
        const list = target as ListDefinition;
        list.items = operation === 'append' ? [...list.items, ...items] : items;
      } else if (key === 'condition' || key === 'output' || key === 'desc') {
        const text = this.stringKey(item, key, { required: true });
        if (text === undefined) return;
        const record = target as unknown as Record<string, string>;
        record[key] = operation === 'append' ? `${record[key]} ${text}` : text;
      } else this.mergeRuleKey(item, target as RuleDefinition, key, operation);
    }
  }

  private mergeRuleKey(item: RuleFileItem, rule: RuleDefinition, key: string, operation: 'append' | 'replace'): void {
    if (key === 'tags') {
      const tags = this.tags(item);
      if (tags !== undefined) rule.tags = operation === 'append' ? [...rule.tags, ...tags] : tags;
    } else if (key === 'exceptions') {
      const exceptions = this.exceptions(item, { allowValuesOnly: operation === 'append' });
      if (exceptions === undefined) return;
      if (operation === 'replace') rule.exceptions = exceptions;
      for (const exception of operation === 'append' ? exceptions : []) {
        const existing = rule.exceptions.find((candidate) => candidate.name === exception.name);
        if (existing !== undefined) existing.values = [...existing.values, ...exception.values];
        else if (exception.fields === undefined) this.error(item, `exception '${exception.name}' is appended but the rule has no exception of that name, so it needs fields`);
        else rule.exceptions.push(exception);
      }
    } else if (key === 'priority') {
      const priority = this.priorityKey(item);
      if (priority !== undefined) rule.priority = priority;
    } else {
      const flag = this.booleanKey(item, key);
      if (flag === undefined) return;
      if (key === 'enabled') rule.enabled = flag;
      else if (key === 'warn_evttypes') rule.warnEvttypes = flag;
      else rule.skipIfUnknownFilter = flag;
    }
  }

  private stringKey(item: RuleFileItem, key: string, options: { required: boolean }): string | undefined {
    const entry = item.entries.get(key);
    if (entry === undefined || entry.value === null) {
      if (options.required) this.error(item, `${label(item)} is missing required key '${key}'`);
      return undefined;
    }
    if (typeof entry.value !== 'string') {
      this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item: label(item), position: entry.position, message: `'${key}' must be a string, found ${JSON.stringify(entry.value)}` });
      return undefined;
    }
    return entry.value;
  }

  private booleanKey(item: RuleFileItem, key: string): boolean | undefined {
    const entry = item.entries.get(key);
    if (entry === undefined) return undefined;
    if (typeof entry.value === 'boolean') return entry.value;
    this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item: label(item), position: entry.position, message: `'${key}' must be true or false, found ${JSON.stringify(entry.value)}` });
    return undefined;
  }

  private priorityKey(item: RuleFileItem): ReturnType<typeof parsePriority> {
    const text = this.stringKey(item, 'priority', { required: true });
    if (text === undefined) return undefined;
    const priority = parsePriority(text);
    if (priority === undefined) {
      const entry = item.entries.get('priority') as ItemEntry;
      this.diagnostics.push({
        severity: 'error',
        code: 'LOAD_ERR_VALIDATE',
        item: label(item),
        position: entry.position,
        message: `invalid priority '${text}': use one of emergency, alert, critical, error, warning, notice, informational (info), debug`,
      });
    }
    return priority;
  }

  private tags(item: RuleFileItem): string[] | undefined {
    const entry = item.entries.get('tags');
    if (entry === undefined) return undefined;
    if (Array.isArray(entry.value) && entry.value.every((tag) => typeof tag === 'string' || typeof tag === 'number')) return entry.value.map(String);
    this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item: label(item), position: entry.position, message: `'tags' must be a list of strings, found ${JSON.stringify(entry.value)}` });
    return undefined;
  }

  private listItems(item: RuleFileItem, entry: ItemEntry | undefined): string[] | undefined {
    if (entry === undefined) return (this.error(item, `list '${item.name}' is missing required key 'items'`), undefined);
    if (entry.value === null) return [];
    if (Array.isArray(entry.value) && entry.value.every((value) => ['string', 'number', 'boolean'].includes(typeof value))) return entry.value.map(String);
    this.diagnostics.push({ severity: 'error', code: 'LOAD_ERR_VALIDATE', item: label(item), position: entry.position, message: `'items' must be a list of strings, found ${JSON.stringify(entry.value)}` });
    return undefined;
  }

  private exceptions(item: RuleFileItem, options: { allowValuesOnly?: boolean } = {}): RuleException[] | undefined {
    const entry = item.entries.get('exceptions');
    if (entry === undefined || entry.value === null) return [];
    if (!Array.isArray(entry.value)) return (this.error(item, "'exceptions' must be a list", entry), undefined);
    const out: RuleException[] = [];
    for (const raw of entry.value as unknown[]) {
      const record = raw as Record<string, unknown> | null;
      if (record === null || typeof record !== 'object' || typeof record.name !== 'string') {
        this.error(item, `each exception needs a string 'name', found ${JSON.stringify(raw)}`, entry);
        return undefined;
      }
      const fields = record.fields;
      const validFields = typeof fields === 'string' || (Array.isArray(fields) && fields.length > 0 && fields.every((f) => typeof f === 'string'));
      if (!validFields && !(fields === undefined && options.allowValuesOnly === true)) {
        this.error(item, `exception '${record.name}' needs 'fields': a field name or a list of field names`, entry);
        return undefined;
      }
      const comps = record.comps;
      if (comps !== undefined && typeof comps !== 'string' && !(Array.isArray(comps) && comps.every((c) => typeof c === 'string'))) {
        this.error(item, `exception '${record.name}': 'comps' must be an operator or a list of operators`, entry);
        return undefined;
      }
      if (Array.isArray(fields) && Array.isArray(comps) && comps.length !== fields.length) {
        this.error(item, `exception '${record.name}' has ${fields.length} fields but ${comps.length} comps`, entry);
        return undefined;
      }
      const values = record.values ?? [];
      if (!Array.isArray(values)) return (this.error(item, `exception '${record.name}': 'values' must be a list`, entry), undefined);
      const exception: RuleException = { name: record.name, values, position: entry.position };
      if (validFields) exception.fields = fields as string | string[];
      if (comps !== undefined) exception.comps = comps as string | string[];
      out.push(exception);
    }
    return out;
  }
}

function label(item: RuleFileItem): string {
  return item.kind.startsWith('required_') ? item.kind : `${item.kind} '${item.name}'`;
}
