import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, isUnderNodeModules, unwrapDocument } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import { asString, isRecord, parseYamlText, recordEntries } from './structured-input.js';
import { parseYarnV1Syntax } from './yarn-v1-syntax.js';

/** The key that berry (yarn 2 and later) writes first and yarn v1 never writes. */
const BERRY_MARKER = /^__metadata:/m;

/** Protocols of packages that are the project's own folders, not downloaded packages. */
const LOCAL_PROTOCOLS = ['workspace:', 'link:', 'portal:', 'file:'];

/** The dependency sections that yarn installs. */
const DEPENDENCY_SECTIONS = ['dependencies', 'optionalDependencies'];

/**
 * `yarn.lock` of yarn v1 (its own syntax) and of yarn berry 2+ (YAML with `__metadata`).
 *
 * Neither format records whether a package is a dev dependency: that needs the workspaces'
 * package.json files, so `dev` stays false. Berry lists each workspace with its dependencies,
 * so a berry package is `direct` when a workspace depends on it. A v1 file lists no workspace
 * and leaves `direct` unset.
 */
export const yarnLockFormat: LockfileFormat = {
  id: 'yarn-lock',
  version: 1,
  type: 'yarn',
  matches: (path) => baseName(path) === 'yarn.lock' && !isUnderNodeModules(path),
  parse: (text, context) => (BERRY_MARKER.test(text) ? parseBerry(text, context) : parseV1(text, context)),
};

/** Splits `name@range` at the `@` that ends the name, skipping the one that starts a scope. */
export function splitDescriptor(descriptor: string): { name: string; range: string } | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at === -1) return undefined;
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

function isLocalRange(range: string): boolean {
  return LOCAL_PROTOCOLS.some((protocol) => range.startsWith(protocol));
}

function parseV1(text: string, context: LockfileContext): ParseOutcome {
  const { entries, errors } = parseYarnV1Syntax(text);
  for (const error of errors) context.packages.report(`${context.path}:${error.line}: ${error.message}`);

  // Every descriptor names the entry that satisfies it, so dependencies resolve through this map.
  const keyByDescriptor = new Map<string, string>();
  const resolved: { key: string; entry: (typeof entries)[number]; name: string; version: string }[] = [];
  for (const entry of entries) {
    const version = entry.fields.get('version');
    const first = entry.descriptors[0] === undefined ? undefined : splitDescriptor(entry.descriptors[0]);
    if (version === undefined || first === undefined) {
      context.packages.report(`${context.path}:${entry.line}: the entry has no "version" or no valid "name@range" header, so it was skipped`);
      continue;
    }
    if (entry.descriptors.every((descriptor) => isLocalRange(splitDescriptor(descriptor)?.range ?? ''))) continue;

    // An alias header (`alias@npm:real@^1.0.0`) installs the package named inside the range.
    const name = first.range.startsWith('npm:') ? (splitDescriptor(first.range.slice('npm:'.length))?.name ?? first.name) : first.name;
    const key = packageKey(name, version);
    for (const descriptor of entry.descriptors) keyByDescriptor.set(descriptor, key);
    resolved.push({ key, entry, name, version });
  }

  for (const { entry, name, version } of resolved) {
    const dependsOn: string[] = [];
    for (const sectionName of DEPENDENCY_SECTIONS) {
      for (const [dependencyName, range] of entry.sections.get(sectionName) ?? []) {
        const key = keyByDescriptor.get(`${dependencyName}@${range}`);
        if (key !== undefined) dependsOn.push(key);
      }
    }
    context.packages.add({ name, version, dependsOn });
  }
  return 'parsed';
}

function parseBerry(text: string, context: LockfileContext): ParseOutcome {
  const document = unwrapDocument(parseYamlText(text, { maxAliasCount: context.limits.maxYamlAliases }), context);
  if (document === undefined) return 'unreadable';
  if (!isRecord(document.value)) {
    context.packages.report(`${context.path}: expected a YAML mapping at the top level`);
    return 'unreadable';
  }

  const keyByDescriptor = new Map<string, string>();
  const packages: { name: string; version: string; entry: Record<string, unknown> }[] = [];
  const workspaces: Record<string, unknown>[] = [];
  for (const [header, entry] of Object.entries(document.value)) {
    if (header === '__metadata') continue;
    if (!isRecord(entry)) {
      context.packages.report(`${context.path}: the entry "${header}" is not a mapping, so it was skipped`);
      continue;
    }
    const resolution = asString(entry.resolution);
    const locator = resolution === undefined ? undefined : splitDescriptor(resolution);
    const version = asString(entry.version);
    if (locator === undefined || version === undefined) {
      context.packages.report(`${context.path}: the entry "${header}" has no valid "resolution" or no "version", so it was skipped`);
      continue;
    }

    if (isLocalRange(locator.range)) {
      workspaces.push(entry);
      continue;
    }
    const key = packageKey(locator.name, version);
    for (const descriptor of header.split(/,\s*/)) keyByDescriptor.set(descriptor.trim(), key);
    packages.push({ name: locator.name, version, entry });
  }

  const directKeys = new Set<string>();
  for (const workspace of workspaces) {
    for (const key of dependencyKeys(workspace, keyByDescriptor)) directKeys.add(key);
  }

  for (const { name, version, entry } of packages) {
    const dependsOn = dependencyKeys(entry, keyByDescriptor);
    context.packages.add({ name, version, direct: directKeys.has(packageKey(name, version)), dependsOn });
  }
  return 'parsed';
}

/**
 * Resolves an entry's dependencies to package keys. Lock files of yarn 4 write ranges with their
 * protocol (`npm:^1.0.0`), but older berry files leave out the default `npm:` protocol.
 */
function dependencyKeys(entry: Record<string, unknown>, keyByDescriptor: Map<string, string>): string[] {
  const keys: string[] = [];
  for (const section of DEPENDENCY_SECTIONS) {
    for (const [name, rangeValue] of recordEntries(entry[section])) {
      const range = asString(rangeValue);
      if (range === undefined) continue;
      const key = keyByDescriptor.get(`${name}@${range}`) ?? keyByDescriptor.get(`${name}@npm:${range}`);
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}
