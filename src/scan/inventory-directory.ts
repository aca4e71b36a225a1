import { walkDirectory } from '../artifact/dir-walk.js';
import { MergedView } from '../artifact/merged-view.js';
import { resolveOs } from '../inventory/os/index.js';
import { defaultAnalyzers } from '../inventory/registry.js';
import { assembleInventory, type Inventory } from './assemble-inventory.js';
import { resolveLimits, type ScanOptions } from './scan-options.js';

/** Directories that a project scan does not descend into: version control metadata. */
const PROJECT_SKIP_DIRS = ['.git', '.hg', '.svn'];

export interface DirectoryScanOptions extends ScanOptions {
  /** Paths relative to the directory that are not read (`--skip-dirs`, `--skip-files`). */
  skipPaths?: readonly string[];
}

/**
 * Reads the inventory of a directory: a whole root filesystem (`rootfs`), where the OS and its
 * package databases count, or a project checkout (`filesystem`), where version control folders are
 * skipped. Both walk the directory once and never follow symlinks out of it.
 */
export async function inventoryDirectory(root: string, kind: 'rootfs' | 'filesystem', options: DirectoryScanOptions = {}): Promise<{ inventory: Inventory; view: MergedView }> {
  const analysis = await walkDirectory(root, {
    analyzers: options.analyzers ?? defaultAnalyzers,
    limits: resolveLimits(options.limits),
    skipDirNames: kind === 'filesystem' ? PROJECT_SKIP_DIRS : [],
    skipPaths: options.skipPaths ?? [],
  });
  const view = new MergedView();
  view.apply(analysis);
  const inventory = assembleInventory(view.visibleAnalyses(), { includeDevDeps: options.includeDevDeps ?? false, resolveOs });
  inventory.diagnostics.unshift(...analysis.diagnostics);
  return { inventory, view };
}
