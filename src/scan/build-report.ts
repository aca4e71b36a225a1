import type { Artifact, ScanReport, ScanResult } from '../model/report.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { compareText, type Inventory } from './assemble-inventory.js';

/** Vulnerabilities found per package set, keyed by `packageSetKey`. */
export type VulnerabilitiesBySet = Map<string, Vulnerability[]>;

/** Returns the key under which a package set's vulnerabilities are stored: its type and target. */
export function packageSetKey(set: { type: string; target: string }): string {
  return `${set.type}\0${set.target}`;
}

export interface BuildReportOptions {
  artifact: Artifact;
  inventory: Inventory;
  vulnerabilities?: VulnerabilitiesBySet;
  db?: ScanReport['db'];
}

/**
 * Turns an inventory and its vulnerabilities into report results: one result for all OS packages,
 * named after the artifact and its OS the way Trivy names it (`debian.tar (debian 12.5)`), and one
 * per lock file, language directory or binary.
 */
export function buildReport(options: BuildReportOptions): ScanReport {
  const { artifact, inventory } = options;
  const results: ScanResult[] = [];
  const osSets = inventory.packageSets.filter((set) => set.class === 'os-pkgs');

  if (osSets.length > 0) {
    const os = inventory.os;
    const result: ScanResult = {
      target: os ? `${artifact.name} (${os.family} ${os.version})` : artifact.name,
      class: 'os-pkgs',
      type: os?.family ?? 'unknown',
      packages: osSets.flatMap((set) => set.packages),
    };
    if (options.vulnerabilities) result.vulnerabilities = osSets.flatMap((set) => options.vulnerabilities!.get(packageSetKey(set)) ?? []);
    results.push(result);
  }

  for (const set of inventory.packageSets) {
    if (set.class === 'os-pkgs') continue;
    const result: ScanResult = { target: set.target, class: set.class, type: set.type, packages: set.packages };
    if (options.vulnerabilities) result.vulnerabilities = options.vulnerabilities.get(packageSetKey(set)) ?? [];
    results.push(result);
  }

  for (const result of results) {
    result.packages?.sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.path, b.path));
    result.vulnerabilities?.sort((a, b) => compareText(a.pkgName, b.pkgName) || compareText(a.id, b.id) || compareText(a.installedVersion, b.installedVersion));
  }

  const report: ScanReport = { schemaVersion: 1, artifact: { ...artifact }, results, errors: inventory.diagnostics };
  if (inventory.os) report.artifact.os = inventory.os;
  if (options.db) report.db = options.db;
  return report;
}
