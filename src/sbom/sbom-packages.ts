import type { Package } from '../model/package.js';
import type { ScanReport } from '../model/report.js';
import type { Vulnerability } from '../model/vulnerability.js';

/** One package of a report, with the identifiers that every SBOM format needs. */
export interface SbomPackage {
  /** The CycloneDX `bom-ref`: the purl, or the purl with `#<path>` when one purl occurs twice. */
  ref: string;
  package: Package;
  /** The package set type (`dpkg`, `npm`, `node-pkg`), or the OS family for OS packages. */
  setType: string;
  /** The report target the package belongs to: the OS result or a lock file or directory. */
  target: string;
  osPackage: boolean;
  vulnerabilities: Vulnerability[];
}

/** Names of the CycloneDX properties that Bulwark writes and reads back, in Trivy's `vendor:Name` style. */
export const PROPERTY = {
  pkgType: 'bulwark:PkgType',
  filePath: 'bulwark:FilePath',
  layerDiffId: 'bulwark:LayerDiffID',
  srcName: 'bulwark:SrcName',
  srcVersion: 'bulwark:SrcVersion',
  target: 'bulwark:Target',
  goModuleSum: 'bulwark:GoModuleSum',
} as const;

/**
 * Collects the packages of every report result in a stable order (purl, then path), giving each a
 * unique reference. The package set type of OS packages comes from the result type mapping below,
 * because the OS result is named after the OS family rather than the package manager.
 */
export function collectSbomPackages(report: ScanReport): SbomPackage[] {
  const collected: SbomPackage[] = [];
  for (const result of report.results) {
    if (result.class !== 'os-pkgs' && result.class !== 'lang-pkgs') continue;
    const osPackage = result.class === 'os-pkgs';
    for (const pkg of result.packages ?? []) {
      const setType = osPackage ? osPackageType(pkg) : result.type;
      const vulnerabilities = (result.vulnerabilities ?? []).filter((vuln) => vuln.pkgName === pkg.name && vuln.installedVersion === pkg.version && (vuln.pkgPath === undefined || vuln.pkgPath === pkg.path));
      collected.push({ ref: '', package: pkg, setType, target: result.target, osPackage, vulnerabilities });
    }
  }

  collected.sort((a, b) => compare(baseRef(a), baseRef(b)) || compare(a.package.path, b.package.path) || compare(a.target, b.target));
  const counts = new Map<string, number>();
  for (const entry of collected) counts.set(baseRef(entry), (counts.get(baseRef(entry)) ?? 0) + 1);
  const used = new Set<string>();
  for (const entry of collected) {
    const base = baseRef(entry);
    let ref = counts.get(base) === 1 ? base : `${base}#${entry.package.path}`;
    for (let n = 2; used.has(ref); n++) ref = `${base}#${entry.package.path}#${n}`;
    used.add(ref);
    entry.ref = ref;
  }
  return collected;
}

/**
 * Resolves `dependsOn` entries (`name@version` in lock files, bare names for dpkg `Depends:`) to
 * the references of packages of the same target. Names that match no package are left out,
 * because dpkg lists virtual packages and alternatives that may not be installed.
 */
export function resolveDependencies(packages: readonly SbomPackage[]): Map<string, string[]> {
  const byTarget = new Map<string, Map<string, string>>();
  for (const entry of packages) {
    let index = byTarget.get(entry.target);
    if (!index) {
      index = new Map();
      byTarget.set(entry.target, index);
    }
    index.set(`${entry.package.name}@${entry.package.version}`, entry.ref);
    if (!index.has(entry.package.name)) index.set(entry.package.name, entry.ref);
  }
  const dependencies = new Map<string, string[]>();
  for (const entry of packages) {
    const index = byTarget.get(entry.target)!;
    const refs = new Set<string>();
    for (const dependency of entry.package.dependsOn ?? []) {
      const ref = index.get(dependency);
      if (ref !== undefined && ref !== entry.ref) refs.add(ref);
    }
    dependencies.set(entry.ref, [...refs].sort(compare));
  }
  return dependencies;
}

/** Code-unit order, independent of the locale, so output is the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function baseRef(entry: SbomPackage): string {
  return entry.package.purl ?? `${entry.setType}:${entry.package.name}@${entry.package.version}`;
}

function osPackageType(pkg: Package): string {
  if (pkg.purl?.startsWith('pkg:deb/')) return 'dpkg';
  if (pkg.purl?.startsWith('pkg:apk/')) return 'apk';
  if (pkg.purl?.startsWith('pkg:rpm/')) return 'rpm';
  return 'unknown';
}
