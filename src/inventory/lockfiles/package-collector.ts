import type { ErrorCode } from '../../errors.js';
import type { AnalyzerOutput } from '../analyzer.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Package, PackageHash, PackageSetType } from '../../model/package.js';

/** One package as a lock file parser reports it, before duplicates are merged. */
export interface LockedPackage {
  name: string;
  version: string;
  /** True when the lock file marks this copy as development-only. */
  dev?: boolean;
  /** True or false when the lock file records whether the project requires it directly. */
  direct?: boolean;
  /** `name@version` keys of packages this one depends on. */
  dependsOn?: Iterable<string>;
  /** Digests of the package archive that the lock file records. */
  hashes?: PackageHash[];
}

export interface PackageCollectorOptions {
  type: PackageSetType;
  /** The lock file path: the set's target, each package's path and each diagnostic's target. */
  path: string;
  maxPackages: number;
}

/** Returns the key that `dependsOn` lists use for a package. */
export function packageKey(name: string, version: string): string {
  return `${name}@${version}`;
}

/**
 * Gathers the packages and diagnostics of one lock file into one package set.
 *
 * A lock file can list the same `name@version` more than once (npm installs copies at several
 * paths, Gemfile.lock lists one entry per platform). Copies merge into one package: it is dev only
 * when every copy is dev, direct when any copy is direct, and depends on the union of the copies'
 * dependencies.
 */
export class PackageCollector {
  readonly #options: PackageCollectorOptions;
  readonly #packages = new Map<string, Package>();
  readonly #dependsOn = new Map<string, Set<string>>();
  readonly #diagnostics: Diagnostic[] = [];
  #droppedCount = 0;

  constructor(options: PackageCollectorOptions) {
    this.#options = options;
  }

  /** Adds one package, or merges it into an earlier copy. Returns false when the package cap dropped it. */
  add(locked: LockedPackage): boolean {
    const key = packageKey(locked.name, locked.version);
    let existing = this.#packages.get(key);
    if (existing === undefined) {
      if (this.#packages.size >= this.#options.maxPackages) {
        this.#droppedCount += 1;
        return false;
      }
      existing = { name: locked.name, version: locked.version, dev: locked.dev === true, path: this.#options.path };
      if (locked.direct !== undefined) existing.direct = locked.direct;
      if (locked.hashes !== undefined && locked.hashes.length > 0) existing.hashes = locked.hashes;
      this.#packages.set(key, existing);
      this.#dependsOn.set(key, new Set());
    } else {
      existing.dev = existing.dev === true && locked.dev === true;
      if (locked.direct !== undefined) existing.direct = existing.direct === true || locked.direct;
      // Copies of one name@version come from one tarball, so the first recorded digest serves all.
      if (existing.hashes === undefined && locked.hashes !== undefined && locked.hashes.length > 0) existing.hashes = locked.hashes;
    }

    const dependencies = this.#dependsOn.get(key);
    for (const dependency of locked.dependsOn ?? []) dependencies?.add(dependency);
    return true;
  }

  /** Records a problem with the lock file content; the code defaults to `FORMAT_INVALID`. */
  report(message: string, code: ErrorCode = 'FORMAT_INVALID'): void {
    this.#diagnostics.push({ target: this.#options.path, message, code });
  }

  /**
   * Returns the package set, sorted by name and version, with the diagnostics. A `dependsOn` entry
   * that names no package of this set (one dropped by a cap, or a local workspace) is left out.
   */
  toOutput(): AnalyzerOutput {
    const diagnostics = [...this.#diagnostics];
    if (this.#droppedCount > 0) {
      diagnostics.push({
        target: this.#options.path,
        message:
          `${this.#options.path}: kept the first ${this.#options.maxPackages} packages and dropped ` +
          `${this.#droppedCount} more; raise the maxPackages limit to read them all`,
        code: 'LIMIT_EXCEEDED',
      });
    }

    const packages: Package[] = [];
    for (const [key, pkg] of this.#packages) {
      const dependsOn = [...(this.#dependsOn.get(key) ?? [])]
        .filter((dependency) => dependency !== key && this.#packages.has(dependency))
        .sort(compareStrings);
      if (dependsOn.length > 0) pkg.dependsOn = dependsOn;
      packages.push(pkg);
    }
    packages.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.version, b.version));

    const output: AnalyzerOutput = {
      packageSets: [{ class: 'lang-pkgs', type: this.#options.type, target: this.#options.path, packages }],
    };
    if (diagnostics.length > 0) output.diagnostics = diagnostics;
    return output;
  }

  /** Returns only the diagnostics, for a lock file that could not be read at all. */
  toFailedOutput(): AnalyzerOutput {
    return { diagnostics: [...this.#diagnostics] };
  }
}

/** Compares by UTF-16 code units, so the order does not depend on the locale. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
