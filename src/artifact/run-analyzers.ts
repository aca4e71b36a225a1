import { errorMessage } from '../errors.js';
import type { Analyzer, FileInfo } from '../inventory/analyzer.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FileAnalysis } from './layer-analysis.js';

/** Returns the analyzers that want a file, cheap enough to call for every regular file. */
export function analyzersFor(analyzers: readonly Analyzer[], info: FileInfo): Analyzer[] {
  const wanted: Analyzer[] = [];
  for (const analyzer of analyzers) {
    if (analyzer.required(info)) wanted.push(analyzer);
  }
  return wanted;
}

/** Returns the largest size any of these analyzers accepts, bounded by the walk's own cap. */
export function sizeCap(analyzers: readonly Analyzer[], walkCap: number): number {
  return Math.min(walkCap, Math.max(...analyzers.map((analyzer) => analyzer.maxFileSize)));
}

/**
 * Runs each analyzer on one buffered file. An analyzer that throws (a bug, since malformed content
 * must come back as a diagnostic) costs only its own output: the error becomes a diagnostic naming
 * the analyzer and the file, and the scan goes on.
 */
export async function runAnalyzers(
  analyzers: readonly Analyzer[],
  info: FileInfo,
  content: Buffer,
  /** Names the file in diagnostics: a path, or an image layer and a path. */
  target: string,
): Promise<{ analyses: FileAnalysis[]; diagnostics: Diagnostic[] }> {
  const analyses: FileAnalysis[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const analyzer of analyzers) {
    if (info.size > analyzer.maxFileSize) {
      diagnostics.push({
        target,
        code: 'LIMIT_EXCEEDED',
        message: `skipped by the ${analyzer.id} analyzer: ${info.size} bytes is over its ${analyzer.maxFileSize}-byte cap`,
      });
      continue;
    }
    try {
      const output = await analyzer.analyze({ info, content });
      analyses.push({ path: info.path, analyzer: analyzer.id, output });
    } catch (error) {
      diagnostics.push({
        target,
        code: 'INTERNAL',
        message: `the ${analyzer.id} analyzer failed: ${errorMessage(error)}`,
      });
    }
  }
  return { analyses, diagnostics };
}
