import { UsageError } from '../errors.js';
import type { Analyzer } from './analyzer.js';
import { langAnalyzers } from './lang/index.js';
import { lockfileAnalyzers } from './lockfiles/index.js';
import { osAnalyzers } from './os/index.js';

/**
 * Returns the analyzers as one list, rejecting a duplicate id: the id and version of each analyzer
 * form the layer cache key, so two analyzers with one id would corrupt each other's cache entries.
 */
export function buildAnalyzerRegistry(groups: ReadonlyArray<readonly Analyzer[]>): readonly Analyzer[] {
  const byId = new Map<string, Analyzer>();
  for (const analyzer of groups.flat()) {
    if (byId.has(analyzer.id)) throw new UsageError(`two analyzers have the id "${analyzer.id}"; analyzer ids must be unique`);
    byId.set(analyzer.id, analyzer);
  }
  return [...byId.values()];
}

/** Every analyzer Bulwark ships: OS release files and package databases, installed language packages, lock files. */
export const defaultAnalyzers: readonly Analyzer[] = buildAnalyzerRegistry([osAnalyzers, langAnalyzers, lockfileAnalyzers]);
