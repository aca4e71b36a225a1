import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, parseJsonObjectLock } from './lockfile-analyzer.js';
import { asString, isRecord } from './structured-input.js';

/** The sections of a Pipfile.lock that list packages, and whether each is dev-only. */
const SECTIONS = [
  { name: 'default', dev: false },
  { name: 'develop', dev: true },
] as const;

/**
 * `Pipfile.lock` of pipenv: JSON with `default` and `develop` maps from a package name to its
 * entry, whose `version` is a pin such as `==1.2.3`. A package in both sections is not dev. The
 * file records neither the Pipfile's own requirements nor dependencies, so `direct` and
 * `dependsOn` stay unset.
 */
export const pipfileLockFormat: LockfileFormat = {
  id: 'pipfile-lock',
  version: 1,
  type: 'pipenv',
  matches: (path) => baseName(path) === 'Pipfile.lock',
  parse: parsePipfileLock,
};

function parsePipfileLock(text: string, context: LockfileContext): ParseOutcome {
  const lock = parseJsonObjectLock(text, context);
  if (lock === undefined) return 'unreadable';

  for (const section of SECTIONS) {
    const entries = lock[section.name];
    if (entries === undefined) continue;
    if (!isRecord(entries)) {
      context.packages.report(`${context.path}: "${section.name}" is not an object, so it was skipped`);
      continue;
    }
    for (const [name, entry] of Object.entries(entries)) {
      const pin = isRecord(entry) ? asString(entry.version) : undefined;
      const version = pin?.replace(/^===?/, '');
      if (pin === undefined || version === pin) {
        // Git, path and editable entries carry no version pin.
        context.packages.report(`${context.path}: ${section.name}["${name}"] has no "==" version pin, so it was skipped`, 'UNSUPPORTED');
        continue;
      }
      context.packages.add({ name, version: version ?? pin, dev: section.dev });
    }
  }
  return 'parsed';
}
