import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, unwrapDocument } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import { normalizePythonName } from './python-name.js';
import { asString, isRecord, parseTomlText, recordEntries } from './structured-input.js';

/** Source types of packages built from the project's own folders or files. */
const LOCAL_SOURCE_TYPES = new Set(['directory', 'file']);

/**
 * `poetry.lock`, a TOML file with one `[[package]]` table per package. Older Poetry releases mark
 * dev packages with `category = "dev"`, and Poetry 2 lists the dependency `groups`. Lock files
 * written by the releases in between record neither, so their packages stay non-dev. The lock
 * file does not say which packages pyproject.toml requires, so `direct` stays unset.
 */
export const poetryLockFormat: LockfileFormat = {
  id: 'poetry-lock',
  version: 1,
  type: 'poetry',
  matches: (path) => baseName(path) === 'poetry.lock',
  parse: parsePoetryLock,
};

function parsePoetryLock(text: string, context: LockfileContext): ParseOutcome {
  const document = unwrapDocument(parseTomlText(text, { maxDepth: context.limits.maxTomlDepth }), context);
  if (document === undefined) return 'unreadable';
  const lock = document.value;
  const tables = isRecord(lock) && Array.isArray(lock.package) ? lock.package : [];

  const packages: { name: string; version: string; table: Record<string, unknown> }[] = [];
  const versionsByName = new Map<string, string[]>();
  tables.forEach((table: unknown, index: number) => {
    const name = isRecord(table) ? asString(table.name) : undefined;
    const version = isRecord(table) ? asString(table.version) : undefined;
    if (!isRecord(table) || name === undefined || version === undefined) {
      context.packages.report(`${context.path}: package[${index}] has no "name" or "version", so it was skipped`);
      return;
    }
    if (isRecord(table.source) && LOCAL_SOURCE_TYPES.has(asString(table.source.type) ?? '')) return;

    packages.push({ name, version, table });
    const normalized = normalizePythonName(name);
    versionsByName.set(normalized, [...(versionsByName.get(normalized) ?? []), version]);
  });

  for (const { name, version, table } of packages) {
    // A name locked at several versions (one per environment marker) cannot be resolved by name.
    const dependsOn: string[] = [];
    for (const [dependencyName] of recordEntries(table.dependencies)) {
      const versions = versionsByName.get(normalizePythonName(dependencyName));
      const [onlyVersion] = versions ?? [];
      if (versions?.length === 1 && onlyVersion !== undefined) {
        const locked = packages.find((candidate) => candidate.version === onlyVersion && normalizePythonName(candidate.name) === normalizePythonName(dependencyName));
        if (locked !== undefined) dependsOn.push(packageKey(locked.name, locked.version));
      }
    }
    context.packages.add({ name, version, dev: isDev(table), dependsOn });
  }
  return 'parsed';
}

function isDev(table: Record<string, unknown>): boolean {
  const category = asString(table.category);
  if (category !== undefined) return category === 'dev';
  if (Array.isArray(table.groups)) return !table.groups.includes('main');
  return false;
}
