import { readFileSync } from 'node:fs';
import type { AnalyzerOutput } from '../../../src/inventory/analyzer.js';
import type { LockfileLimits } from '../../../src/inventory/lockfiles/limits.js';
import { resolveLockfileLimits } from '../../../src/inventory/lockfiles/limits.js';
import type { LockfileFormat } from '../../../src/inventory/lockfiles/lockfile-analyzer.js';
import { createLockfileAnalyzer } from '../../../src/inventory/lockfiles/lockfile-analyzer.js';
import type { Package } from '../../../src/model/package.js';

/** The analyzer output of one lock file, with its packages indexed by `name@version`. */
export interface AnalyzedLockfile {
  output: AnalyzerOutput;
  packages: Package[];
  byKey: Map<string, Package>;
}

/** Runs a format's analyzer on text or bytes as if it were the file at `path`. */
export async function analyzeText(
  format: LockfileFormat,
  content: string | Buffer,
  path: string,
  limits: Partial<LockfileLimits> = {},
): Promise<AnalyzedLockfile> {
  const analyzer = createLockfileAnalyzer(format, resolveLockfileLimits(limits));
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const output = await analyzer.analyze({ info: { path, size: buffer.length, mode: 0o644 }, content: buffer });
  const packages = output.packageSets?.[0]?.packages ?? [];
  return { output, packages, byKey: new Map(packages.map((pkg) => [`${pkg.name}@${pkg.version}`, pkg])) };
}

/** Runs a format's analyzer on a file on disk, reported under `path`. */
export function analyzeFile(format: LockfileFormat, file: string, path: string): Promise<AnalyzedLockfile> {
  return analyzeText(format, readFileSync(file), path);
}
