import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName, isUnderNodeModules, unwrapDocument } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';
import type { PnpmPathStyle } from './pnpm-dependency-path.js';
import { dependencyPathCandidates, normalizeDependencyPath, splitDependencyPath } from './pnpm-dependency-path.js';
import { asString, isRecord, parseYamlText, recordEntries } from './structured-input.js';

/** References of packages that come from the project's own folders or tarballs. */
const LOCAL_REFERENCES = ['link:', 'file:', 'workspace:'];

const PRODUCTION_FIELDS = ['dependencies', 'optionalDependencies'];

interface PnpmNode {
  name: string;
  version: string;
  /** The `dev` field of lock files before v9, or undefined when absent. */
  dev: boolean | undefined;
  /** Normalized paths of the dependencies, from every peer variant. */
  dependencies: Set<string>;
  /**
   * True for a `file:` or `link:` package: the project's own folder or tarball. It is no package
   * of the set, but it stays in the graph because its dependencies are installed too.
   */
  local: boolean;
}

/**
 * `pnpm-lock.yaml` of lockfileVersion 5.x, 6 and 9. Peer variants of one package merge into one
 * package. Before v9 each package records `dev`. Version 9 does not, so a v9 package is dev when
 * only the importers' `devDependencies` reach it. Importers give the direct dependencies.
 */
export const pnpmLockFormat: LockfileFormat = {
  id: 'pnpm-lock',
  version: 1,
  type: 'pnpm',
  matches: (path) => baseName(path) === 'pnpm-lock.yaml' && !isUnderNodeModules(path),
  parse: parsePnpmLock,
};

function parsePnpmLock(text: string, context: LockfileContext): ParseOutcome {
  const document = unwrapDocument(parseYamlText(text, { maxAliasCount: context.limits.maxYamlAliases }), context);
  if (document === undefined) return 'unreadable';
  const lock = document.value;
  if (!isRecord(lock)) {
    context.packages.report(`${context.path}: expected a YAML mapping at the top level`);
    return 'unreadable';
  }

  const lockfileVersion = Number.parseFloat(asString(lock.lockfileVersion) ?? '');
  if (Number.isNaN(lockfileVersion)) {
    context.packages.report(`${context.path}: "lockfileVersion" is missing or not a number; read the file as version 9`);
  }
  const style: PnpmPathStyle = lockfileVersion < 6 ? 'slash' : 'at';
  const nodes = readPackages(lock, style, context);

  // Since lockfileVersion 9, `snapshots` holds each peer variant's dependencies.
  for (const [path, snapshot] of recordEntries(lock.snapshots)) {
    const node = nodes.get(normalizeDependencyPath(path, style));
    if (node === undefined || !isRecord(snapshot)) continue;
    for (const dependency of dependencyPaths(snapshot, PRODUCTION_FIELDS, nodes, style)) node.dependencies.add(dependency);
  }

  // A project with workspaces has `importers`, but a single project of v5 and v6 keeps its
  // dependency fields at the top level.
  const importers = isRecord(lock.importers) ? Object.values(lock.importers).filter(isRecord) : [lock];
  const productionRoots = importers.flatMap((importer) => dependencyPaths(importer, PRODUCTION_FIELDS, nodes, style));
  const devRoots = importers.flatMap((importer) => dependencyPaths(importer, ['devDependencies'], nodes, style));
  const direct = new Set([...productionRoots, ...devRoots]);
  const reachedByProduction = reachable(productionRoots, nodes);

  for (const [path, node] of nodes) {
    if (node.local) continue;
    context.packages.add({
      name: node.name,
      version: node.version,
      dev: node.dev ?? !reachedByProduction.has(path),
      direct: direct.has(path),
      dependsOn: [...node.dependencies].flatMap((dependency) => {
        const target = nodes.get(dependency);
        return target === undefined || target.local ? [] : [packageKey(target.name, target.version)];
      }),
    });
  }
  return 'parsed';
}

/** Reads `packages` into nodes keyed by normalized path, merging peer variants. */
function readPackages(lock: Record<string, unknown>, style: PnpmPathStyle, context: LockfileContext): Map<string, PnpmNode> {
  const nodes = new Map<string, PnpmNode>();
  const entries = recordEntries(lock.packages);
  for (const [key, entry] of entries) {
    const path = normalizeDependencyPath(key, style);
    const parts = splitDependencyPath(path, style);
    if (!isRecord(entry) || parts === undefined) {
      context.packages.report(`${context.path}: packages["${key}"] is not a mapping or not a "name@version" path, so it was skipped`);
      continue;
    }
    const node = nodes.get(path) ?? {
      name: asString(entry.name) ?? parts.name,
      version: asString(entry.version) ?? parts.reference,
      dev: undefined,
      dependencies: new Set<string>(),
      local: LOCAL_REFERENCES.some((prefix) => parts.reference.startsWith(prefix)),
    };
    // With the failsafe schema `dev: true` is the string "true". A peer variant that is not dev
    // makes the package a production one.
    if (entry.dev !== undefined) node.dev = (node.dev ?? true) && entry.dev === 'true';
    nodes.set(path, node);
  }

  // Dependencies of v5 and v6 packages are resolved once every path is known.
  for (const [key, entry] of entries) {
    const node = nodes.get(normalizeDependencyPath(key, style));
    if (node === undefined || !isRecord(entry)) continue;
    for (const dependency of dependencyPaths(entry, PRODUCTION_FIELDS, nodes, style)) node.dependencies.add(dependency);
  }
  return nodes;
}

/**
 * Resolves the dependency fields of an importer, package or snapshot to node paths. Importers of
 * v6 and later write `name: {specifier, version}`, and everything else writes `name: version`.
 */
function dependencyPaths(owner: Record<string, unknown>, fields: string[], nodes: Map<string, PnpmNode>, style: PnpmPathStyle): string[] {
  const paths: string[] = [];
  for (const field of fields) {
    for (const [name, value] of recordEntries(owner[field])) {
      const reference = isRecord(value) ? asString(value.version) : asString(value);
      if (reference === undefined) continue;
      const path = dependencyPathCandidates(name, reference, style).find((candidate) => nodes.has(candidate));
      if (path !== undefined) paths.push(path);
    }
  }
  return paths;
}

function reachable(roots: string[], nodes: Map<string, PnpmNode>): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const dependency of nodes.get(path)?.dependencies ?? []) pending.push(dependency);
  }
  return seen;
}
