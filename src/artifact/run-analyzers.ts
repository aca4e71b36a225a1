import { errorMessage } from '../errors.js';
import type { Analyzer, FileInfo, FileScanner } from '../inventory/analyzer.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FileAnalysis } from './layer-analysis.js';

/** How the analyzers that want one file will read it. */
export interface FilePlan {
  /** Analyzers that get the whole file in one buffer. */
  buffered: Analyzer[];
  /** Scanners of analyzers that read the file in chunks because it is over their cap. */
  scanners: Array<{ analyzer: Analyzer; scanner: FileScanner }>;
  /** Files skipped because they are over every cap, as diagnostics. */
  diagnostics: Diagnostic[];
}

/**
 * Decides who reads a file: analyzers whose cap it fits get it buffered, analyzers with a
 * streaming scanner read a larger file in chunks, and the rest skip it with a diagnostic. Returns
 * undefined when no analyzer wants the file, which is the common case, so it must stay cheap.
 */
export function planFile(analyzers: readonly Analyzer[], info: FileInfo, walkCap: number, target: string): FilePlan | undefined {
  let plan: FilePlan | undefined;
  for (const analyzer of analyzers) {
    if (!analyzer.required(info)) continue;
    plan ??= { buffered: [], scanners: [], diagnostics: [] };
    const cap = Math.min(walkCap, analyzer.maxFileSize);
    if (info.size <= cap) {
      plan.buffered.push(analyzer);
    } else if (analyzer.createScanner) {
      plan.scanners.push({ analyzer, scanner: analyzer.createScanner(info) });
    } else {
      // Only the walk's own cap has a flag; an analyzer's cap bounds what its format can sensibly hold.
      const hint = cap === walkCap ? '; raise --max-file-size to read it' : ` for ${analyzer.id} files`;
      plan.diagnostics.push({
        target,
        code: 'LIMIT_EXCEEDED',
        message: `not read by the ${analyzer.id} analyzer: ${info.size} bytes is over the ${cap}-byte cap${hint}`,
      });
    }
  }
  return plan;
}

/**
 * Runs a plan once the file's content has streamed past: the buffered analyzers on the whole
 * content, the scanners by ending them. An analyzer that throws (a bug, since malformed content
 * must come back as a diagnostic) costs only its own output: the error becomes a diagnostic naming
 * the analyzer and the file, and the scan goes on.
 */
export async function finishPlan(
  plan: FilePlan,
  info: FileInfo,
  content: Buffer | undefined,
  target: string,
): Promise<{ analyses: FileAnalysis[]; diagnostics: Diagnostic[] }> {
  const analyses: FileAnalysis[] = [];
  const diagnostics: Diagnostic[] = [...plan.diagnostics];
  const record = async (analyzer: Analyzer, run: () => ReturnType<Analyzer['analyze']>) => {
    try {
      analyses.push({ path: info.path, analyzer: analyzer.id, output: await run() });
    } catch (error) {
      diagnostics.push({ target, code: 'INTERNAL', message: `the ${analyzer.id} analyzer failed: ${errorMessage(error)}` });
    }
  };

  if (content !== undefined) {
    for (const analyzer of plan.buffered) await record(analyzer, () => analyzer.analyze({ info, content }));
  }
  for (const { analyzer, scanner } of plan.scanners) await record(analyzer, () => scanner.end());
  return { analyses, diagnostics };
}

/** Feeds one chunk of a file to every scanner of a plan. */
export function feedScanners(plan: FilePlan, chunk: Buffer): void {
  for (const { scanner } of plan.scanners) scanner.write(chunk);
}
