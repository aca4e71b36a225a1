import { SEVERITIES, severityRank } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { renderBoxTable } from './box-table.js';
import { bold, colorSeverity } from './color.js';
import { displayWidth, sanitizeCell } from './display-width.js';
import { compareResults, compareText } from './sort.js';
import { cleanConfigLines, configResultLines, isCleanConfigResult } from './table-config.js';
import type { ConfigTableOptions } from './table-config.js';
import { dbNoteLines, errorLines, expiredRuleLines, packageTableLines } from './table-sections.js';
import type { Report, ReportResult, SuppressedVulnerability } from './types.js';

export interface TableOptions {
  /** Colour severities and headers with ANSI codes; see shouldUseColor. Default: false. */
  color?: boolean;
  /** List the vulnerabilities that ignore rules suppressed, with the rule's statement. Default: false. */
  showSuppressed?: boolean;
  /** The maximum width of the Title column in terminal columns. Default: 60. */
  maxTitleWidth?: number;
  /** The maximum width of the package and version columns in terminal columns. Default: 40. */
  maxCellWidth?: number;
  /**
   * The number of rules each config scanner ran, by config type (`{ dockerfile: 96 }`), for the
   * `Tests: N (SUCCESSES: …, FAILURES: …)` line of config results. Default: no Tests line.
   */
  ruleCounts?: Readonly<Record<string, number>>;
}

interface ResolvedTableOptions {
  ruleCounts?: Readonly<Record<string, number>>;
  color: boolean;
  showSuppressed: boolean;
  maxTitleWidth: number;
  maxCellWidth: number;
}

/**
 * Formats a report as human-readable tables in the layout of Trivy's table output: per result a
 * `<target> (<type>)` header, a `Total:` line by severity, and one row per vulnerability sorted
 * by package, then severity from the most severe, then ID. Ends with the errors of the scan.
 *
 * Without a vulnerability DB (`db.status` `missing`), it prints the DB message and lists the
 * packages of each result instead, so that the inventory is still useful.
 *
 * Config results list their misconfigurations one block per finding (see table-config.ts).
 * Config files without findings are listed together after the other results.
 */
export function writeTable(report: Report, options: TableOptions = {}): string {
  const resolved: ResolvedTableOptions = {
    color: options.color ?? false,
    showSuppressed: options.showSuppressed ?? false,
    maxTitleWidth: validWidth(options.maxTitleWidth, 60),
    maxCellWidth: validWidth(options.maxCellWidth, 40),
    ...(options.ruleCounts === undefined ? {} : { ruleCounts: options.ruleCounts }),
  };
  const severities = report.filter?.severities ?? [...SEVERITIES];
  const results = [...report.results].sort(compareResults);
  const dbMissing = report.db?.status === 'missing';

  const lines: string[] = [...dbNoteLines(report)];
  const cleanConfigResults = results.filter((result) => result.class === 'config' && isCleanConfigResult(result));
  const configOptions: ConfigTableOptions = { color: resolved.color, showSuppressed: resolved.showSuppressed, severities };
  if (resolved.ruleCounts !== undefined) configOptions.ruleCounts = resolved.ruleCounts;
  if (report.rules !== undefined) configOptions.knownRuleIds = new Set(report.rules.map((rule) => rule.id));
  for (const result of results) {
    if (result.class === 'config') {
      if (isCleanConfigResult(result)) continue;
      if (lines.length > 0) lines.push('');
      lines.push(...headerLines(report, result, resolved));
      lines.push(...configResultLines(result, configOptions));
      continue;
    }

    if (lines.length > 0) lines.push('');
    lines.push(...headerLines(report, result, resolved));
    if (dbMissing) {
      lines.push(...packageTableLines(result, resolved.maxCellWidth));
    } else {
      lines.push(...vulnerabilityLines(result, severities, resolved));
    }
  }

  for (const section of [cleanConfigLines(cleanConfigResults, resolved.color), expiredRuleLines(report), errorLines(report, resolved.color)]) {
    if (section.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(...section);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function validWidth(width: number | undefined, fallback: number): number {
  if (width === undefined) return fallback;
  // Below the width of `…` plus one character, a cell could show nothing readable.
  return Number.isInteger(width) && width >= 2 ? width : fallback;
}

function headerLines(report: Report, result: ReportResult, options: ResolvedTableOptions): string[] {
  const os = report.artifact.os;
  const type = result.class === 'os-pkgs' && os !== undefined && os.family === result.type ? `${os.family} ${os.version}` : result.type;
  // OS results are named like Trivy's, `image.tar (debian 12.5)`, so the type is already there.
  // Image config results are named `image.tar (image config)`, which already names the type too.
  const suffix = ` (${type})`;
  const named = result.target.endsWith(suffix) || (result.class === 'config' && / \([^()]+\)$/.test(result.target));
  const header = sanitizeCell(named ? result.target : `${result.target}${suffix}`);
  return [options.color ? bold(header) : header, '='.repeat(displayWidth(header))];
}

function vulnerabilityLines(result: ReportResult, severities: readonly Severity[], options: ResolvedTableOptions): string[] {
  const vulnerabilities = [...(result.vulnerabilities ?? [])].sort(compareForTable);
  const counts = new Map<Severity, number>(SEVERITIES.map((severity) => [severity, 0]));
  for (const vulnerability of vulnerabilities) counts.set(vulnerability.severity, counts.get(vulnerability.severity)! + 1);

  const selected = SEVERITIES.filter((severity) => severities.includes(severity));
  const total = selected.reduce((sum, severity) => sum + counts.get(severity)!, 0);
  const parts = selected.map((severity) => `${severity}: ${counts.get(severity)}`);
  const lines = [`Total: ${total} (${parts.join(', ')})`];

  if (vulnerabilities.length > 0) {
    lines.push('', ...findingTable(result, vulnerabilities, options));
  }

  const suppressed = result.suppressed ?? [];
  if (suppressed.length > 0) {
    lines.push('');
    if (options.showSuppressed) {
      lines.push(`Suppressed Vulnerabilities (Total: ${suppressed.length})`, '', ...suppressedTable(result, suppressed, options));
    } else {
      lines.push(`Suppressed by ignore rules: ${suppressed.length} (show them with --show-suppressed)`);
    }
  }
  return lines;
}

/** Sorts by package, installed version, severity from the most severe, then ID. */
function compareForTable(a: Vulnerability, b: Vulnerability): number {
  return (
    compareText(a.pkgName, b.pkgName) ||
    compareText(a.installedVersion, b.installedVersion) ||
    compareText(a.pkgPath ?? '', b.pkgPath ?? '') ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.id, b.id)
  );
}

/** Splits sorted vulnerabilities into groups of the same package, version and path. */
function groupByPackage<T>(items: T[], vulnerabilityOf: (item: T) => Vulnerability): T[][] {
  const groups: T[][] = [];
  let lastKey: string | undefined;
  for (const item of items) {
    const vulnerability = vulnerabilityOf(item);
    const key = `${vulnerability.pkgName}\u0000${vulnerability.installedVersion}\u0000${vulnerability.pkgPath ?? ''}`;
    if (key !== lastKey) groups.push([]);
    groups.at(-1)!.push(item);
    lastKey = key;
  }
  return groups;
}

function packageColumnHeader(result: ReportResult): string {
  return result.class === 'lang-pkgs' ? 'Library' : 'Package';
}

function severityColorizer(options: ResolvedTableOptions, severityColumn: number) {
  if (!options.color) return undefined;
  return ({ column, value, padded }: { column: number; value: string; padded: string }): string =>
    column === severityColumn && (SEVERITIES as readonly string[]).includes(value) ? colorSeverity(value as Severity, padded) : padded;
}

function findingTable(result: ReportResult, vulnerabilities: Vulnerability[], options: ResolvedTableOptions): string[] {
  const cellWidth = options.maxCellWidth;
  const colorCell = severityColorizer(options, 2);
  return renderBoxTable({
    columns: [
      { header: packageColumnHeader(result), maxWidth: cellWidth },
      { header: 'Vulnerability' },
      { header: 'Severity' },
      { header: 'Status' },
      { header: 'Installed Version', maxWidth: cellWidth },
      { header: 'Fixed Version', maxWidth: cellWidth },
      { header: 'Title', maxWidth: options.maxTitleWidth },
    ],
    groups: groupByPackage(vulnerabilities, (vulnerability) => vulnerability).map((group) =>
      group.map((vulnerability) => [
        vulnerability.pkgName,
        vulnerability.id,
        vulnerability.severity,
        vulnerability.status,
        vulnerability.installedVersion,
        vulnerability.fixedVersion ?? '',
        vulnerability.title ?? '',
      ]),
    ),
    ...(colorCell ? { colorCell } : {}),
  });
}

function suppressedTable(result: ReportResult, suppressed: SuppressedVulnerability[], options: ResolvedTableOptions): string[] {
  const sorted = [...suppressed].sort((a, b) => compareForTable(a.vulnerability, b.vulnerability));
  const colorCell = severityColorizer(options, 2);
  return renderBoxTable({
    columns: [
      { header: packageColumnHeader(result), maxWidth: options.maxCellWidth },
      { header: 'Vulnerability' },
      { header: 'Severity' },
      { header: 'Status' },
      { header: 'Statement', maxWidth: options.maxTitleWidth },
      { header: 'Source', maxWidth: options.maxCellWidth },
    ],
    groups: groupByPackage(sorted, (entry) => entry.vulnerability).map((group) =>
      group.map((entry) => [
        entry.vulnerability.pkgName,
        entry.vulnerability.id,
        entry.vulnerability.severity,
        'ignored',
        entry.statement ?? '',
        entry.source ? `${entry.source.file}:${entry.source.line}` : '',
      ]),
    ),
    ...(colorCell ? { colorCell } : {}),
  });
}
