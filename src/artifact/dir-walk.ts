import { createReadStream } from 'node:fs';
import { lstat, opendir, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { InputError, LimitError, errorMessage } from '../errors.js';
import type { Analyzer } from '../inventory/analyzer.js';
import type { LayerAnalysis, LayerEntry } from './layer-analysis.js';
import type { WalkLimits } from './limits.js';
import { feedScanners, finishPlan, planFile } from './run-analyzers.js';

export interface WalkDirectoryOptions {
  analyzers: readonly Analyzer[];
  limits: WalkLimits;
  /** Directory names that are not descended into anywhere in the tree (`.git`). */
  skipDirNames?: readonly string[];
  /** Paths relative to the root that are not descended into or read. */
  skipPaths?: readonly string[];
}

/**
 * Walks a directory on disk the way the layer walk reads a tar, producing the same analysis shape
 * for `bulwark rootfs` and `bulwark fs`. Symlinks are recorded, never followed, so a link that points
 * outside the directory is never read; sockets, FIFOs and devices are recorded but never opened.
 */
export async function walkDirectory(root: string, options: WalkDirectoryOptions): Promise<LayerAnalysis> {
  // The root itself may be a symlink to the tree; links inside the tree are never followed.
  const rootInfo = await stat(root).catch((error: unknown) => {
    throw new InputError('NOT_FOUND', `cannot read ${root}: ${errorMessage(error)}`, { cause: error });
  });
  if (!rootInfo.isDirectory()) throw new InputError('FORMAT_INVALID', `${root} is not a directory`);

  const result: LayerAnalysis = { diffId: '', entries: [], whiteouts: [], opaqueDirs: [], analyses: [], diagnostics: [] };
  const skipDirNames = new Set(options.skipDirNames ?? []);
  const skipPaths = new Set(options.skipPaths ?? []);
  const pending: string[] = [''];

  while (pending.length > 0) {
    const relativeDir = pending.pop()!;
    let names: string[];
    try {
      names = await listDirectory(join(root, relativeDir));
    } catch (error) {
      result.diagnostics.push({ target: relativeDir || '.', code: 'IO', message: `cannot list the directory: ${errorMessage(error)}` });
      continue;
    }

    for (const name of names) {
      const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
      if (skipPaths.has(path)) continue;
      if (result.entries.length >= options.limits.maxLayerEntries) {
        throw new LimitError(`${root} has more than ${options.limits.maxLayerEntries} entries; raise --max-layer-entries to scan it`);
      }
      await visit(root, path, name, result, pending, skipDirNames, options);
    }
  }

  result.entries.sort((a, b) => compareCodeUnits(a.path, b.path));
  result.analyses.sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.analyzer, b.analyzer));
  return result;
}

async function visit(
  root: string,
  path: string,
  name: string,
  result: LayerAnalysis,
  pending: string[],
  skipDirNames: ReadonlySet<string>,
  options: WalkDirectoryOptions,
): Promise<void> {
  const absolute = join(root, path);
  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    result.diagnostics.push({ target: path, code: 'IO', message: `cannot read the file's metadata: ${errorMessage(error)}` });
    return;
  }
  const mode = stats.mode & 0o7777;

  if (stats.isDirectory()) {
    result.entries.push({ path, kind: 'dir', mode, size: 0 });
    if (!skipDirNames.has(name)) pending.push(path);
    return;
  }
  if (stats.isSymbolicLink()) {
    const entry: LayerEntry = { path, kind: 'symlink', mode, size: 0, linkname: await readlink(absolute).catch(() => '') };
    result.entries.push(entry);
    return;
  }
  if (!stats.isFile()) {
    result.entries.push({ path, kind: 'other', mode, size: 0 });
    return;
  }

  result.entries.push({ path, kind: 'file', mode, size: stats.size });
  const info = { path, size: stats.size, mode };
  const plan = planFile(options.analyzers, info, options.limits.maxFileSize, path);
  if (plan === undefined) return;

  let content: Buffer | undefined;
  try {
    if (plan.buffered.length > 0) content = await readFile(absolute);
    if (plan.scanners.length > 0) {
      for await (const chunk of createReadStream(absolute, { highWaterMark: 1024 * 1024 })) feedScanners(plan, chunk as Buffer);
    }
  } catch (error) {
    result.diagnostics.push({ target: path, code: 'IO', message: `cannot read the file: ${errorMessage(error)}` });
    return;
  }
  const { analyses, diagnostics } = await finishPlan(plan, { ...info, size: content?.length ?? info.size }, content, path);
  result.analyses.push(...analyses);
  result.diagnostics.push(...diagnostics);
}

async function listDirectory(path: string): Promise<string[]> {
  const names: string[] = [];
  const dir = await opendir(path);
  for await (const entry of dir) names.push(entry.name);
  return names.sort();
}

/** Compares by UTF-16 code units, which gives the same order on every machine. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
