import { renderBoxTable } from './box-table.js';
import { bold } from './color.js';
import { sanitizeCell } from './display-width.js';
import { compareDiagnostics, comparePackages } from './sort.js';
import type { Report, ReportResult } from './types.js';

/**
 * The parts of the table output around the per-result vulnerability tables: the DB note, the
 * package listing used without a DB, expired ignore rules and the errors of the scan.
 */

/** Returns the note printed first when the vulnerability DB is missing or stale, else nothing. */
export function dbNoteLines(report: Report): string[] {
  const db = report.db;
  if (db === undefined || db.status === 'ok') return [];

  const reason = db.message === undefined ? '' : `: ${sanitizeCell(db.message)}`;
  if (db.status === 'missing') {
    return [
      `NOTE: no vulnerability DB was used${reason}`,
      'The packages below were not matched against any advisory, so no vulnerability is listed.',
    ];
  }
  const built = db.builtAt === undefined ? '' : ` (built ${sanitizeCell(db.builtAt)})`;
  return [`NOTE: the vulnerability DB is stale${built}${reason}`, 'Vulnerabilities published since it was built are missing from this report.'];
}

/** Lists the packages of one result, for a scan without a vulnerability DB. */
export function packageTableLines(result: ReportResult, maxCellWidth: number): string[] {
  const packages = [...(result.packages ?? [])].sort(comparePackages);
  const lines = [`Packages: ${packages.length}`];
  if (packages.length === 0) return lines;

  const rows = packages.map((pkg) => {
    const source = pkg.srcName === undefined ? '' : `${pkg.srcName}${pkg.srcVersion === undefined ? '' : ` ${pkg.srcVersion}`}`;
    return [pkg.name, pkg.version, source, pkg.path];
  });
  const table = renderBoxTable({
    columns: [
      { header: result.class === 'lang-pkgs' ? 'Library' : 'Package', maxWidth: maxCellWidth },
      { header: 'Version', maxWidth: maxCellWidth },
      { header: 'Source Package', maxWidth: maxCellWidth },
      { header: 'Path', maxWidth: maxCellWidth * 2 },
    ],
    groups: [rows],
  });
  return [...lines, '', ...table];
}

/** Lists the ignore rules that no longer apply because their expiry date has passed. */
export function expiredRuleLines(report: Report): string[] {
  const expired = report.filter?.expiredRules ?? [];
  if (expired.length === 0) return [];

  const lines = [`Expired ignore rules (${expired.length}): the findings they covered are reported again`];
  for (const rule of expired) {
    const where = rule.source === undefined ? '' : ` (${sanitizeCell(rule.source.file)}:${rule.source.line})`;
    lines.push(`- ${sanitizeCell(rule.ruleId)} expired on ${rule.expiresOn}${where}`);
  }
  return lines;
}

/** Lists what the scan skipped or could not read, sorted by target. */
export function errorLines(report: Report, color: boolean): string[] {
  if (report.errors.length === 0) return [];

  const header = `Errors (${report.errors.length})`;
  const lines = [color ? bold(header) : header, '='.repeat(header.length)];
  for (const diagnostic of [...report.errors].sort(compareDiagnostics)) {
    lines.push(`${sanitizeCell(diagnostic.target)}: ${sanitizeCell(diagnostic.message)} [${diagnostic.code}]`);
  }
  return lines;
}
