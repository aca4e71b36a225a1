import { readFile, stat } from 'node:fs/promises';

import { createK8sAuditFieldCatalogue } from '../fields/k8s-audit-fields.js';
import { createSyscallFieldCatalogue } from '../fields/syscall-fields.js';
import type { FieldCatalogue } from '../fields/field-types.js';
import { MAX_RULE_FILE_BYTES, readRuleFile } from './rule-file-reader.js';
import { RulesetCollector } from './ruleset-collector.js';
import { compileRuleset } from './ruleset-compiler.js';
import type { LoadedRuleset, RuleDiagnostic } from './rule-types.js';

/** A rule file's name (used in positions) and its text. */
export interface RuleSource {
  file: string;
  text: string;
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
export function loadRules(sources: readonly RuleSource[]): LoadedRuleset {
  const diagnostics: RuleDiagnostic[] = [];
  const collector = new RulesetCollector(diagnostics);
  for (const source of sources) {
    for (const item of readRuleFile(source.file, source.text, diagnostics)) collector.add(item);
  }
  const rules = compileRuleset(collector, builtinCatalogues(), diagnostics);
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
export async function loadRuleFiles(paths: readonly string[]): Promise<LoadedRuleset> {
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
  const loaded = loadRules(sources);
  loaded.diagnostics.unshift(...readErrors);
  return loaded;
}

/** True when the ruleset has no error diagnostics. */
export function isUsable(ruleset: LoadedRuleset): boolean {
  return ruleset.diagnostics.every((diagnostic) => diagnostic.severity !== 'error');
}
