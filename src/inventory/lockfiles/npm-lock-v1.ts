import { hashesFromIntegrity } from './sri-integrity.js';
import type { LockfileContext } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import { asString, isRecord, recordEntries } from './structured-input.js';

/** The `npm:` prefix of an alias version (`"version": "npm:real-name@1.2.3"`). */
const ALIAS_PREFIX = 'npm:';

interface V1Node {
  name: string;
  version: string;
}

/**
 * Reads the nested `dependencies` tree of lockfileVersion 1. Each level maps a folder name to an
 * entry with `version`, `dev`, `requires` (name to range) and its own nested `dependencies`.
 * Version 1 does not record which packages the project declares, so `direct` stays unset.
 * The JSON depth cap bounds the recursion.
 */
export function parseNpmLockV1Dependencies(dependencies: Record<string, unknown>, context: LockfileContext): void {
  walkLevel(dependencies, [], 'dependencies', context);
}

/**
 * Reads one `dependencies` level. `ancestors` lists the enclosing levels, innermost last, because
 * a `requires` entry resolves to the nearest level that has the name, as Node.js resolution does.
 */
function walkLevel(level: Record<string, unknown>, ancestors: Record<string, unknown>[], fieldPath: string, context: LockfileContext): void {
  for (const [folderName, entry] of Object.entries(level)) {
    const entryPath = `${fieldPath}["${folderName}"]`;
    if (!isRecord(entry)) {
      context.packages.report(`${context.path}: ${entryPath} is not an object, so it was skipped`);
      continue;
    }

    const node = nodeOf(folderName, entry);
    if (node === undefined) {
      context.packages.report(`${context.path}: ${entryPath} has no "version", so it was skipped`);
    } else if (!isLocal(node.version)) {
      const scopes = isRecord(entry.dependencies) ? [...ancestors, level, entry.dependencies] : [...ancestors, level];
      const dependsOn: string[] = [];
      for (const [requiredName] of recordEntries(entry.requires)) {
        const resolved = resolveRequire(scopes, requiredName);
        if (resolved !== undefined) dependsOn.push(packageKey(resolved.name, resolved.version));
      }
      context.packages.add({ name: node.name, version: node.version, dev: entry.dev === true, dependsOn, hashes: hashesFromIntegrity(entry.integrity) });
    }

    if (isRecord(entry.dependencies)) {
      walkLevel(entry.dependencies, [...ancestors, level], `${entryPath}.dependencies`, context);
    }
  }
}

/** Returns the package name and version of an entry, undoing `npm:` aliases. */
function nodeOf(folderName: string, entry: Record<string, unknown>): V1Node | undefined {
  const version = asString(entry.version);
  if (version === undefined) return undefined;
  if (!version.startsWith(ALIAS_PREFIX)) return { name: folderName, version };

  const spec = version.slice(ALIAS_PREFIX.length);
  // The separator is the last `@`, because a scoped name starts with one.
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: folderName, version };
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** True for a `file:` version: a local folder or tarball of the project, not a registry package. */
function isLocal(version: string): boolean {
  return version.startsWith('file:');
}

function resolveRequire(scopes: Record<string, unknown>[], requiredName: string): V1Node | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const entry = scopes[i]?.[requiredName];
    if (isRecord(entry) && Object.hasOwn(scopes[i] ?? {}, requiredName)) return nodeOf(requiredName, entry);
  }
  return undefined;
}
