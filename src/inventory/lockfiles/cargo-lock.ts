import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, unwrapDocument } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import { asString, isRecord, parseTomlText } from './structured-input.js';

interface Crate {
  name: string;
  version: string;
  /** The `dependencies` strings: `name`, `name version` or `name version (source)`. */
  dependencies: string[];
}

/**
 * `Cargo.lock`, a TOML file with one `[[package]]` table per crate. A crate without `source` is a
 * workspace member or a path dependency: the project's own code, left out of the set, whose
 * dependencies are the `direct` ones. Cargo.lock does not mark dev-dependencies, so `dev` stays false.
 */
export const cargoLockFormat: LockfileFormat = {
  id: 'cargo-lock',
  version: 1,
  type: 'cargo',
  matches: (path) => baseName(path) === 'Cargo.lock',
  parse: parseCargoLock,
};

function parseCargoLock(text: string, context: LockfileContext): ParseOutcome {
  const document = unwrapDocument(parseTomlText(text, { maxDepth: context.limits.maxTomlDepth }), context);
  if (document === undefined) return 'unreadable';
  const tables = isRecord(document.value) && Array.isArray(document.value.package) ? document.value.package : [];

  const registryCrates: Crate[] = [];
  const localCrates: Crate[] = [];
  const versionsByName = new Map<string, string[]>();
  tables.forEach((table: unknown, index: number) => {
    const name = isRecord(table) ? asString(table.name) : undefined;
    const version = isRecord(table) ? asString(table.version) : undefined;
    if (!isRecord(table) || name === undefined || version === undefined) {
      context.packages.report(`${context.path}: package[${index}] has no "name" or "version", so it was skipped`);
      return;
    }
    const dependencies = Array.isArray(table.dependencies) ? table.dependencies.filter((item): item is string => typeof item === 'string') : [];
    const crate = { name, version, dependencies };
    if (table.source === undefined) {
      localCrates.push(crate);
      return;
    }
    registryCrates.push(crate);
    versionsByName.set(name, [...(versionsByName.get(name) ?? []), version]);
  });

  const direct = new Set(localCrates.flatMap((crate) => resolveDependencies(crate, versionsByName)));
  for (const crate of registryCrates) {
    const key = packageKey(crate.name, crate.version);
    context.packages.add({
      name: crate.name,
      version: crate.version,
      direct: localCrates.length > 0 ? direct.has(key) : undefined,
      dependsOn: resolveDependencies(crate, versionsByName),
    });
  }
  return 'parsed';
}

/**
 * Resolves dependency strings to `name@version` keys. Cargo writes only the name when one version
 * of the crate is locked, and adds the version (and, in old lock files, the source) otherwise.
 */
function resolveDependencies(crate: Crate, versionsByName: Map<string, string[]>): string[] {
  const keys: string[] = [];
  for (const dependency of crate.dependencies) {
    const [name, version] = dependency.split(' ');
    if (name === undefined) continue;
    const versions = versionsByName.get(name) ?? [];
    if (version !== undefined && versions.includes(version)) keys.push(packageKey(name, version));
    else if (version === undefined && versions.length === 1 && versions[0] !== undefined) keys.push(packageKey(name, versions[0]));
  }
  return keys;
}
