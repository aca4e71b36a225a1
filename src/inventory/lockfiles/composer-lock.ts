import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, isUnderNodeModules, parseJsonObjectLock } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import { asString, isRecord, recordEntries } from './structured-input.js';

/** The arrays of a composer.lock that list packages, and whether each is dev-only. */
const SECTIONS = [
  { name: 'packages', dev: false },
  { name: 'packages-dev', dev: true },
] as const;

/**
 * `composer.lock` of Composer: JSON with `packages` and `packages-dev` arrays of packages named
 * `vendor/name`. Versions are kept as written (`v5.4.3` keeps its `v`). Composer locks one version
 * per name, so each `require` resolves by name. Platform requirements (`php`, `ext-json`) are no
 * packages. The lock file does not say which packages composer.json requires, so `direct` stays unset.
 */
export const composerLockFormat: LockfileFormat = {
  id: 'composer-lock',
  version: 1,
  type: 'composer',
  matches: (path) => baseName(path) === 'composer.lock' && !path.split('/').includes('vendor') && !isUnderNodeModules(path),
  parse: parseComposerLock,
};

function parseComposerLock(text: string, context: LockfileContext): ParseOutcome {
  const lock = parseJsonObjectLock(text, context);
  if (lock === undefined) return 'unreadable';

  const entries: { name: string; version: string; dev: boolean; entry: Record<string, unknown> }[] = [];
  for (const section of SECTIONS) {
    const list = lock[section.name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      context.packages.report(`${context.path}: "${section.name}" is not an array, so it was skipped`);
      continue;
    }
    list.forEach((entry: unknown, index: number) => {
      const name = isRecord(entry) ? asString(entry.name) : undefined;
      const version = isRecord(entry) ? asString(entry.version) : undefined;
      if (!isRecord(entry) || name === undefined || version === undefined) {
        context.packages.report(`${context.path}: ${section.name}[${index}] has no "name" or "version", so it was skipped`);
        return;
      }
      entries.push({ name, version, dev: section.dev, entry });
    });
  }

  // Composer compares package names case-insensitively.
  const versionByName = new Map(entries.map(({ name, version }) => [name.toLowerCase(), { name, version }]));
  for (const { name, version, dev, entry } of entries) {
    const dependsOn: string[] = [];
    for (const [required] of recordEntries(entry.require)) {
      const locked = versionByName.get(required.toLowerCase());
      if (locked !== undefined) dependsOn.push(packageKey(locked.name, locked.version));
    }
    context.packages.add({ name, version, dev, dependsOn });
  }
  return 'parsed';
}
