import type { Diagnostic } from '../model/diagnostic.js';
import type { Misconfiguration } from '../model/misconfiguration.js';
import type { Package } from '../model/package.js';
import type { ResultClass, ScanResult } from '../model/report.js';
import type { Vulnerability } from '../model/vulnerability.js';

/**
 * Stable orderings shared by the report formats. Text compares by UTF-16 code unit rather than
 * with `localeCompare`, whose order depends on the ICU data and locale of the machine.
 */

/** Compares two strings by UTF-16 code unit. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  return compareText(a ?? '', b ?? '');
}

/** The order of result classes: OS packages first, as in Trivy, then language packages. */
const CLASS_ORDER: Record<ResultClass, number> = { 'os-pkgs': 0, 'lang-pkgs': 1, config: 2, secret: 3 };

/** Orders results by class, then target, then type. */
export function compareResults(a: ScanResult, b: ScanResult): number {
  return (CLASS_ORDER[a.class] ?? 9) - (CLASS_ORDER[b.class] ?? 9) || compareText(a.target, b.target) || compareText(a.type, b.type);
}

/** Orders packages by name, version and path, then by purl and architecture for duplicates. */
export function comparePackages(a: Package, b: Package): number {
  return (
    compareText(a.name, b.name) ||
    compareText(a.version, b.version) ||
    compareText(a.path, b.path) ||
    compareOptional(a.purl, b.purl) ||
    compareOptional(a.arch, b.arch) ||
    compareOptional(a.layerDiffId, b.layerDiffId)
  );
}

/** Orders vulnerabilities by package name and ID, then installed version, path and fix. */
export function compareVulnerabilities(a: Vulnerability, b: Vulnerability): number {
  return (
    compareText(a.pkgName, b.pkgName) ||
    compareText(a.id, b.id) ||
    compareText(a.installedVersion, b.installedVersion) ||
    compareOptional(a.pkgPath, b.pkgPath) ||
    compareOptional(a.fixedVersion, b.fixedVersion) ||
    compareText(a.dataSource, b.dataSource)
  );
}

/**
 * Orders misconfigurations by location path, start line and ID, then by end line, column,
 * object and message, so findings read in file order. Findings without a location come first.
 */
export function compareMisconfigurations(a: Misconfiguration, b: Misconfiguration): number {
  const locationA = a.location;
  const locationB = b.location;
  return (
    compareOptional(locationA?.path, locationB?.path) ||
    (locationA?.startLine ?? 0) - (locationB?.startLine ?? 0) ||
    compareText(a.id, b.id) ||
    (locationA?.endLine ?? 0) - (locationB?.endLine ?? 0) ||
    (locationA?.startColumn ?? 0) - (locationB?.startColumn ?? 0) ||
    compareOptional(a.object?.fieldPath, b.object?.fieldPath) ||
    compareText(a.message, b.message)
  );
}

const LINE_SUFFIX = /^(.*):(\d+)$/;

/** Compares targets, ordering a `file:line` suffix by line number, so `:2` sorts before `:10`. */
function compareTargets(a: string, b: string): number {
  const lineA = LINE_SUFFIX.exec(a);
  const lineB = LINE_SUFFIX.exec(b);
  if (lineA === null || lineB === null) return compareText(a, b);
  return compareText(lineA[1]!, lineB[1]!) || Number(lineA[2]) - Number(lineB[2]);
}

/** Orders diagnostics by target, then message, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareTargets(a.target, b.target) || compareText(a.message, b.message) || compareText(a.code, b.code);
}

/** Returns a sorted copy of a list of strings. */
export function sortedStrings(values: readonly string[]): string[] {
  return [...values].sort(compareText);
}
