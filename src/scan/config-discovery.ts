import { lstat, opendir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { errorMessage, LimitError } from '../errors.js';
import type { ConfigFile, ConfigScanner } from '../misconfig/config-scanner.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { compareText } from './assemble-inventory.js';

/** Directories that config discovery never enters: dependencies and version control metadata. */
export const DEFAULT_SKIP_DIRS = ['node_modules', '.git', '.hg', '.svn', 'vendor', 'third_party', '.terraform'];

export interface DiscoverOptions {
  scanners: readonly ConfigScanner[];
  /** Directory names or relative paths not to enter (`--skip-dirs`), in addition to the defaults. */
  skipDirs?: readonly string[];
  /** Relative paths of files not to read (`--skip-files`). */
  skipFiles?: readonly string[];
  /** The largest config file read, in bytes; larger ones are reported in `errors`. */
  maxFileSize: number;
  /** The maximum number of files read in one run. */
  maxFiles: number;
}

/** The files found, each with the scanners that claim it, and the problems met on the way. */
export interface Discovery {
  files: Array<ConfigFile & { scanners: ConfigScanner[] }>;
  diagnostics: Diagnostic[];
}

/**
 * Finds the config files under the given paths. A file given by name goes to the scanners that claim
 * it, or to all of them when none does, so `bulwark config my.Dockerfile.txt` still works. A directory
 * is walked for files that some scanner claims by name. Symlinks are never followed. Paths in
 * results are relative to the directory given, or as given for a file.
 */
export async function discoverConfigFiles(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const discovery: Discovery = { files: [], diagnostics: [] };
  const skipDirs = new Set([...DEFAULT_SKIP_DIRS, ...(options.skipDirs ?? [])]);
  const skipFiles = new Set(options.skipFiles ?? []);

  for (const root of paths) {
    let stats;
    try {
      stats = await lstat(root);
    } catch (error) {
      discovery.diagnostics.push({ target: root, code: 'NOT_FOUND', message: `cannot read the path: ${errorMessage(error)}` });
      continue;
    }
    if (stats.isFile()) {
      const claiming = options.scanners.filter((scanner) => scanner.claims(root));
      await addFile(discovery, root, toSlashes(root), claiming.length > 0 ? claiming : [...options.scanners], options);
      continue;
    }
    if (!stats.isDirectory()) {
      discovery.diagnostics.push({ target: root, code: 'UNSUPPORTED', message: 'not a regular file or a directory; give a file or a directory' });
      continue;
    }
    // With one directory, paths are relative to it, as the report contract requires. With several,
    // each path keeps its root as given, so `bulwark config a b` cannot report two files as `Dockerfile`.
    await walk(root, discovery, skipDirs, skipFiles, options, paths.length > 1 ? root : undefined);
  }

  discovery.files.sort((a, b) => compareText(a.path, b.path));
  return discovery;
}

async function walk(
  root: string,
  discovery: Discovery,
  skipDirs: ReadonlySet<string>,
  skipFiles: ReadonlySet<string>,
  options: DiscoverOptions,
  prefix: string | undefined,
): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      discovery.diagnostics.push({ target: toSlashes(relative(root, dir)) || '.', code: 'IO', message: `cannot list the directory: ${errorMessage(error)}` });
      continue;
    }
    for await (const entry of handle) {
      const absolute = join(dir, entry.name);
      const path = toSlashes(relative(root, absolute));
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name) && !skipDirs.has(path)) pending.push(absolute);
        continue;
      }
      if (!entry.isFile() || skipFiles.has(path)) continue;
      const claiming = options.scanners.filter((scanner) => scanner.claims(path));
      const reported = prefix === undefined ? path : toSlashes(join(prefix, path));
      if (claiming.length > 0) await addFile(discovery, absolute, reported, claiming, options);
    }
  }
}

async function addFile(discovery: Discovery, absolute: string, path: string, scanners: ConfigScanner[], options: DiscoverOptions): Promise<void> {
  if (discovery.files.length >= options.maxFiles) {
    throw new LimitError(`more than ${options.maxFiles} config files were found; narrow the paths or use --skip-dirs`);
  }
  let stats;
  try {
    stats = await lstat(absolute);
    if (stats.size > options.maxFileSize) {
      discovery.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `not checked: ${stats.size} bytes is over the ${options.maxFileSize}-byte cap for config files` });
      return;
    }
    discovery.files.push({ path, content: await readFile(absolute), scanners });
  } catch (error) {
    discovery.diagnostics.push({ target: path, code: 'IO', message: `cannot read the file: ${errorMessage(error)}` });
  }
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
