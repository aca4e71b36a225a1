import type { VisibleAnalysis } from '../artifact/merged-view.js';
import { errorMessage } from '../errors.js';
import { packagePurl } from '../inventory/purl.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { OsInfo } from '../model/os.js';
import type { PackageSet } from '../model/package.js';

/** The OS and packages a scan found in an image, a root filesystem or a directory, before any detector ran. */
export interface Inventory {
  os?: OsInfo;
  packageSets: PackageSet[];
  diagnostics: Diagnostic[];
}

export interface AssembleOptions {
  /** The diffID of each layer by index, to record which layer added each package. */
  layerDiffIds?: readonly string[];
  /** Keep development-only dependencies of lock files. Default: false, as in Trivy. */
  includeDevDeps?: boolean;
  /** Chooses the OS among release-file candidates; the default prefers `etc/os-release`. */
  resolveOs?: (candidates: Array<{ path: string; os: OsInfo }>) => OsInfo | undefined;
}

/**
 * Turns the analyses still visible in the merged file system into an inventory: the OS chosen from
 * its release files, and the package sets merged by (class, type, target), each package with its
 * purl and the diffID of the layer that added it. Every list is sorted, so the same image gives the
 * same inventory.
 */
export function assembleInventory(analyses: readonly VisibleAnalysis[], options: AssembleOptions = {}): Inventory {
  const diagnostics: Diagnostic[] = [];
  const osCandidates: Array<{ path: string; os: OsInfo }> = [];
  const sets = new Map<string, PackageSet>();
  const licenses = new Map<string, string[]>();

  for (const analysis of analyses) {
    const { output } = analysis;
    if (output.os) osCandidates.push({ path: analysis.path, os: output.os });
    for (const entry of output.packageLicenses ?? []) licenses.set(`${entry.type}\0${entry.name}`, entry.licenses);
    diagnostics.push(...(output.diagnostics ?? []));
    const layerDiffId = options.layerDiffIds?.[analysis.layer];
    for (const set of output.packageSets ?? []) {
      const key = `${set.class}\0${set.type}\0${set.target}`;
      let merged = sets.get(key);
      if (!merged) {
        merged = { class: set.class, type: set.type, target: set.target, packages: [] };
        sets.set(key, merged);
      }
      for (const pkg of set.packages) {
        if (pkg.dev && !options.includeDevDeps) continue;
        merged.packages.push(layerDiffId ? { ...pkg, layerDiffId } : { ...pkg });
      }
    }
  }

  const os = (options.resolveOs ?? preferOsRelease)(osCandidates);
  for (const set of sets.values()) {
    attachLicenses(set, licenses);
    set.packages = set.packages.filter((pkg) => {
      try {
        pkg.purl = packagePurl(pkg, set.type, set.class === 'os-pkgs' ? os : undefined);
        return true;
      } catch (error) {
        // A name a purl cannot carry (empty, `@/`) comes from a malformed database or manifest.
        diagnostics.push({ target: pkg.path, code: 'FORMAT_INVALID', message: `skipped package ${JSON.stringify(pkg.name)} ${JSON.stringify(pkg.version)}: ${errorMessage(error)}` });
        return false;
      }
    });
    set.packages.sort(comparePackages);
  }
  const packageSets = [...sets.values()].filter((set) => set.packages.length > 0);
  packageSets.sort((a, b) => compareText(a.class, b.class) || compareText(a.target, b.target) || compareText(a.type, b.type));
  diagnostics.sort((a, b) => compareNatural(a.target, b.target) || compareNatural(a.message, b.message));

  const inventory: Inventory = { packageSets, diagnostics };
  if (os) inventory.os = os;
  return inventory;
}

/**
 * Gives packages without licences those that a file of their own lists (Debian copyright files).
 * Licences from the package database itself win, because they describe the installed version.
 */
function attachLicenses(set: PackageSet, licenses: ReadonlyMap<string, string[]>): void {
  if (licenses.size === 0) return;
  for (const pkg of set.packages) {
    const found = licenses.get(`${set.type}\0${pkg.name.split(':')[0]}`);
    if (found !== undefined && (pkg.licenses === undefined || pkg.licenses.length === 0)) pkg.licenses = [...found];
  }
}

const OS_FILE_PRECEDENCE = ['etc/os-release', 'usr/lib/os-release'];

/** Prefers `etc/os-release`, then `usr/lib/os-release`, then any other release file by path. */
function preferOsRelease(candidates: Array<{ path: string; os: OsInfo }>): OsInfo | undefined {
  const rank = (path: string) => {
    const index = OS_FILE_PRECEDENCE.indexOf(path);
    return index < 0 ? OS_FILE_PRECEDENCE.length : index;
  };
  const sorted = [...candidates].sort((a, b) => rank(a.path) - rank(b.path) || compareText(a.path, b.path));
  return sorted[0]?.os;
}

function comparePackages(a: { name: string; version: string; path: string }, b: { name: string; version: string; path: string }): number {
  return compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.path, b.path);
}

const DIGITS = /(\d+)/;

/**
 * Compares text with runs of digits compared as numbers, so `line 2` sorts before `line 10`. Other
 * text compares by code units, which gives the same order on every machine.
 */
export function compareNatural(a: string, b: string): number {
  const left = a.split(DIGITS);
  const right = b.split(DIGITS);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    // split() with a capturing group puts the digit runs at the odd indexes.
    const order = i % 2 === 1 ? Number(left[i]) - Number(right[i]) || compareText(left[i]!, right[i]!) : compareText(left[i]!, right[i]!);
    if (order !== 0) return Math.sign(order);
  }
  return left.length - right.length;
}

/** Compares by UTF-16 code units, which unlike `localeCompare` gives the same order everywhere. */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
