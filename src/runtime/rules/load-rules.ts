import { readFile, stat } from 'node:fs/promises';

import { createK8sAuditFieldCatalogue } from '../fields/k8s-audit-fields.js';
import { createSyscallFieldCatalogue } from '../fields/syscall-fields.js';
import type { FieldCatalogue } from '../fields/field-types.js';
import { compileOutputTemplate } from '../alerts/output-template.js';
import { MAX_RULE_FILE_BYTES, readRuleFile } from './rule-file-reader.js';
import { RulesetCollector } from './ruleset-collector.js';
import { compileRuleset } from './ruleset-compiler.js';
import type { AppendOutput, LoadedRuleset, RuleDiagnostic } from './rule-types.js';

/** A rule file's name (used in positions) and its text. */
export interface RuleSource {
  file: string;
  text: string;
}

/** Options of `loadRules` and `loadRuleFiles`. */
export interface LoadRulesOptions {
  /** Extra output and fields for the rules of a source, as Falco's `append_output` setting. */
  appendOutput?: readonly AppendOutput[];
}

/** Builds the field catalogues of the built-in sources, keyed by source name. */
export function builtinCatalogues(): Map<string, FieldCatalogue> {
  return new Map([
    ['syscall', createSyscallFieldCatalogue()],
    ['k8s_audit', createK8sAuditFieldCatalogue()],
  ]);
}

/**
 * Loads rule files in order, later files changing earlier ones, and compiles every rule. Problems
 * come back as diagnostics; the ruleset is usable only when none has severity `error`.
 */
export function loadRules(sources: readonly RuleSource[], options: LoadRulesOptions = {}): LoadedRuleset {
  const diagnostics: RuleDiagnostic[] = [];
  const collector = new RulesetCollector(diagnostics);
  for (const source of sources) {
    for (const item of readRuleFile(source.file, source.text, diagnostics)) collector.add(item);
  }
  const rules = compileRuleset(collector, builtinCatalogues(), diagnostics, options.appendOutput);
  diagnostics.sort((a, b) => a.position.file.localeCompare(b.position.file) || a.position.line - b.position.line || a.position.column - b.position.column);
  return {
    rules,
    lists: collector.lists,
    macros: collector.macros,
    diagnostics,
    requiredEngineVersions: collector.requiredEngineVersions,
    requiredPluginVersions: collector.requiredPluginVersions,
  };
}

/** Reads rule files from disk, each under the size cap, then loads them with `loadRules`. */
export async function loadRuleFiles(paths: readonly string[], options: LoadRulesOptions = {}): Promise<LoadedRuleset> {
  const sources: RuleSource[] = [];
  const readErrors: RuleDiagnostic[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.size > MAX_RULE_FILE_BYTES) {
        readErrors.push({ severity: 'error', code: 'LOAD_ERR_FILE_READ', position: { file: path, line: 1, column: 1 }, message: `rule file is ${info.size} bytes, more than the ${MAX_RULE_FILE_BYTES}-byte limit` });
        continue;
      }
      sources.push({ file: path, text: await readFile(path, 'utf8') });
    } catch (error) {
      readErrors.push({ severity: 'error', code: 'LOAD_ERR_FILE_READ', position: { file: path, line: 1, column: 1 }, message: `cannot read rule file: ${(error as Error).message}` });
    }
  }
  const loaded = loadRules(sources, options);
  loaded.diagnostics.unshift(...readErrors);
  return loaded;
}

/**
 * Checks an `append_output` entry against its source's fields. Returns why it cannot apply (an
 * unknown source or field), or `undefined` when it is valid.
 */
export function checkAppendOutput(append: AppendOutput): string | undefined {
  const catalogues = builtinCatalogues();
  const catalogue = catalogues.get(append.source);
  if (catalogue === undefined) return `unknown source '${append.source}'; known sources: ${[...catalogues.keys()].join(', ')}`;
  const texts = [append.extraOutput ?? '', ...(append.extraFields ?? []).map((field) => `%${field}`)];
  for (const text of texts) {
    try {
      compileOutputTemplate(text, catalogue);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

/** True when the ruleset has no error diagnostics. */
export function isUsable(ruleset: LoadedRuleset): boolean {
  return ruleset.diagnostics.every((diagnostic) => diagnostic.severity !== 'error');
}
