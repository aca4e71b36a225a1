import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, isUnderNodeModules, parseJsonObjectLock } from './lockfile-analyzer.js';
import { parseNpmLockV1Dependencies } from './npm-lock-v1.js';
import { hashesFromIntegrity } from './sri-integrity.js';
import { packageKey } from './package-collector.js';
import { asString, isRecord, recordEntries } from './structured-input.js';

const NODE_MODULES = 'node_modules/';

/** The dependency fields of a `packages` entry that npm installs. */
const INSTALLED_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * `package-lock.json` (lockfileVersion 1, 2 and 3) and `npm-shrinkwrap.json`, which has the same
 * format. Lock files under `node_modules` are skipped, because the packages installed there are
 * read from their package.json files by the installed-package analyzers.
 */
export const npmLockFormat: LockfileFormat = {
  id: 'npm-lock',
  version: 2,
  type: 'npm',
  matches: (path) => {
    const name = baseName(path);
    return (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') && !isUnderNodeModules(path);
  },
  parse: parseNpmLock,
};

function parseNpmLock(text: string, context: LockfileContext): ParseOutcome {
  const lock = parseJsonObjectLock(text, context);
  if (lock === undefined) return 'unreadable';

  // Version 2 keeps the v1 `dependencies` tree beside `packages` for old npm clients. The
  // `packages` map is the one npm 7 and later read, so it wins whenever it is present.
  if (isRecord(lock.packages)) {
    parsePackagesMap(lock.packages, context);
    return 'parsed';
  }
  if (isRecord(lock.dependencies)) {
    parseNpmLockV1Dependencies(lock.dependencies, context);
    return 'parsed';
  }
  if (lock.packages !== undefined || lock.dependencies !== undefined) {
    context.packages.report(`${context.path}: "packages" or "dependencies" is not an object`);
    return 'unreadable';
  }
  // npm writes neither map for a project without dependencies, but a file without a
  // lockfileVersion is probably some other JSON file with the same name.
  if (lock.lockfileVersion === undefined) {
    context.packages.report(`${context.path}: found no "lockfileVersion", "packages" or "dependencies"; is this an npm lock file?`);
  }
  return 'parsed';
}

/**
 * Reads the `packages` map of lockfileVersion 2 and 3. Keys are install paths relative to the
 * project (`node_modules/a/node_modules/b`), and the `""` key is the project itself.
 */
function parsePackagesMap(packages: Record<string, unknown>, context: LockfileContext): void {
  const entries = new Map<string, Record<string, unknown>>();
  for (const [location, entry] of Object.entries(packages)) {
    if (isRecord(entry)) entries.set(location, entry);
    else context.packages.report(`${context.path}: packages["${location}"] is not an object, so it was skipped`);
  }

  // Direct dependencies are those the project or one of its workspaces declares. Workspaces and
  // other local folders are the entries outside node_modules; `link: true` entries point at them.
  const directNames = new Set<string>();
  for (const [location, entry] of entries) {
    if (location.startsWith(NODE_MODULES) || location.includes(`/${NODE_MODULES}`)) continue;
    for (const field of [...INSTALLED_DEPENDENCY_FIELDS, 'devDependencies']) {
      for (const [name] of recordEntries(entry[field])) directNames.add(name);
    }
  }

  for (const [location, entry] of entries) {
    const folderName = installedName(location);
    // Skip the project, its workspaces and local folders (no node_modules segment), and symlinks.
    if (folderName === undefined || entry.link === true) continue;

    const name = asString(entry.name) ?? folderName;
    const version = asString(entry.version);
    if (version === undefined) {
      context.packages.report(`${context.path}: packages["${location}"] has no "version", so it was skipped`);
      continue;
    }

    const dependsOn: string[] = [];
    for (const field of INSTALLED_DEPENDENCY_FIELDS) {
      for (const [dependencyName] of recordEntries(entry[field])) {
        const resolved = resolveInstalled(entries, location, dependencyName);
        if (resolved !== undefined) dependsOn.push(resolved);
      }
    }

    // Installed right under the project or a workspace, not nested under another package.
    const parentFolder = location.slice(0, location.length - NODE_MODULES.length - folderName.length);
    const isFirstLevel = !parentFolder.includes(NODE_MODULES);
    context.packages.add({
      name,
      version,
      dev: entry.dev === true || entry.devOptional === true,
      direct: isFirstLevel && directNames.has(folderName),
      dependsOn,
      hashes: hashesFromIntegrity(entry.integrity),
    });
  }
}

/**
 * Returns the folder name a package is installed under (`@scope/name` or `name`), or undefined
 * for a location outside node_modules. The folder name differs from the package name for aliases
 * (`"alias": "npm:real@1.0.0"`), whose entry carries the real `name`.
 */
function installedName(location: string): string | undefined {
  const index = location.lastIndexOf(NODE_MODULES);
  if (index === -1 || (index > 0 && location[index - 1] !== '/')) return undefined;
  const name = location.slice(index + NODE_MODULES.length);
  return name === '' ? undefined : name;
}

/**
 * Finds the entry Node.js would load for `require(dependencyName)` from the package at `from`:
 * its own node_modules first, then each enclosing node_modules up to the project root. Follows
 * `link: true` entries to their target. Returns the `name@version` key, or undefined.
 */
function resolveInstalled(entries: Map<string, Record<string, unknown>>, from: string, dependencyName: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? NODE_MODULES + dependencyName : `${base}/${NODE_MODULES}${dependencyName}`;
    const entry = entries.get(candidate);
    if (entry !== undefined) return keyOfEntry(entries, candidate, entry);
    if (base === '') return undefined;
    const parentEnd = base.lastIndexOf(`/${NODE_MODULES}`);
    base = parentEnd === -1 ? '' : base.slice(0, parentEnd);
  }
}

function keyOfEntry(entries: Map<string, Record<string, unknown>>, location: string, entry: Record<string, unknown>): string | undefined {
  let target = entry;
  let targetLocation = location;
  if (entry.link === true) {
    const resolved = asString(entry.resolved);
    const linked = resolved === undefined ? undefined : entries.get(resolved);
    if (resolved === undefined || linked === undefined) return undefined;
    target = linked;
    targetLocation = resolved;
  }
  const folderName = installedName(targetLocation);
  // A link into a workspace or local folder: the project's own code, which is no package here.
  if (folderName === undefined) return undefined;
  const version = asString(target.version);
  return version === undefined ? undefined : packageKey(asString(target.name) ?? folderName, version);
}
