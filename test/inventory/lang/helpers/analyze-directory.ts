import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer, AnalyzerOutput, FileInfo } from '../../../../src/inventory/analyzer.js';

/**
 * Runs an analyzer over every regular file below `root` the way the layer walk does: the path
 * predicate first, then `analyze` with the whole content. Symbolic links are not followed.
 * `prefix` is put before each relative path, to simulate where the folder sits in an image.
 */
export async function analyzeDirectory(analyzer: Analyzer, root: string, prefix = ''): Promise<AnalyzerOutput[]> {
  const outputs: AnalyzerOutput[] = [];
  const visit = async (directory: string, relative: string): Promise<void> => {
    for (const name of readdirSync(directory).sort()) {
      const absolute = join(directory, name);
      const path = relative === '' ? name : `${relative}/${name}`;
      const stats = lstatSync(absolute);
      if (stats.isDirectory()) {
        await visit(absolute, path);
        continue;
      }
      if (!stats.isFile()) continue;
      const info: FileInfo = { path, size: stats.size, mode: stats.mode & 0o7777 };
      if (!analyzer.required(info) || info.size > analyzer.maxFileSize) continue;
      outputs.push(await analyzer.analyze({ info, content: readFileSync(absolute) }));
    }
  };
  await visit(root, prefix.replace(/\/$/, ''));
  return outputs;
}

/** Returns every package of the outputs as `name@version`, sorted and unique. */
export function packageKeys(outputs: AnalyzerOutput[]): string[] {
  const keys = new Set<string>();
  for (const output of outputs) {
    for (const set of output.packageSets ?? []) for (const pkg of set.packages) keys.add(`${pkg.name}@${pkg.version}`);
  }
  return [...keys].sort();
}
