import type { Location, Misconfiguration, ObjectRef } from '../model/misconfiguration.js';
import { SEVERITIES } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import { bold, colorSeverity } from './color.js';
import { sanitizeCell } from './display-width.js';
import { compareMisconfigurations } from './sort.js';
import type { ReportResult, SuppressedMisconfiguration } from './types.js';

/**
 * The table output of config results (Dockerfiles, image configs, Kubernetes manifests), modelled
 * on Trivy's misconfiguration output but with one short block per finding instead of a code
 * excerpt:
 *
 *     Tests: 41 (SUCCESSES: 39, FAILURES: 2)
 *     Failures: 2 (CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0)
 *
 *     pss/privileged (KSV017) [CRITICAL] Privileged container
 *       container "web" sets securityContext.privileged to true
 *       at deploy/web.yaml:31
 *       in Deployment/shop/web, container web, field spec.template.spec.containers[0].securityContext.privileged
 *       fix: Remove securityContext.privileged or set it to false.
 *
 * The `Tests:` line counts rules, as Trivy counts checks: FAILURES is the number of distinct rule
 * IDs with a finding left after filters, and SUCCESSES the other rules of the file's scanner. It
 * is printed only when the caller gives the number of rules per config type, because results
 * list only failed checks. `Failures:` counts findings, so one rule can fail several times.
 */

export interface ConfigTableOptions {
  color: boolean;
  showSuppressed: boolean;
  /** The severities kept by the filter, from the most to the least severe. */
  severities: readonly Severity[];
  /** The number of rules run per config type (`dockerfile`, `kubernetes`); see TableOptions. */
  ruleCounts?: Readonly<Record<string, number>>;
  /** The IDs of the report's rule metadata, which `ruleCounts` are assumed to cover. */
  knownRuleIds?: ReadonlySet<string>;
}

/** Returns whether a config result has nothing to show: no finding left and none suppressed. */
export function isCleanConfigResult(result: ReportResult): boolean {
  return (result.misconfigurations ?? []).length === 0 && (result.suppressedMisconfigurations ?? []).length === 0;
}

/** Returns the lines below the header of a config result that has findings. */
export function configResultLines(result: ReportResult, options: ConfigTableOptions): string[] {
  const misconfigurations = [...(result.misconfigurations ?? [])].sort(compareMisconfigurations);
  const lines: string[] = [];
  const ruleCount = options.ruleCounts?.[result.type];
  if (ruleCount !== undefined) lines.push(testSummary(misconfigurations, ruleCount, options.knownRuleIds));
  lines.push(failureSummary(misconfigurations, options.severities));

  for (const misconfiguration of misconfigurations) {
    lines.push('', ...findingLines(misconfiguration, options.color));
  }

  const suppressed = result.suppressedMisconfigurations ?? [];
  if (suppressed.length > 0) {
    lines.push('');
    if (options.showSuppressed) {
      lines.push(`Suppressed misconfigurations (${suppressed.length})`, ...suppressedLines(suppressed));
    } else {
      lines.push(`Suppressed by ignore rules: ${suppressed.length} (show them with --show-suppressed)`);
    }
  }
  return lines;
}

/** Lists config files that were checked and have no findings, one line each. */
export function cleanConfigLines(results: ReportResult[], color: boolean): string[] {
  if (results.length === 0) return [];

  const header = `Config files without findings (${results.length})`;
  const lines = [color ? bold(header) : header];
  for (const result of results) lines.push(`- ${sanitizeCell(result.target)} (${sanitizeCell(result.type)})`);
  return lines;
}

/**
 * Formats the `Tests:` line. A failed ID without rule metadata (such as a ShellCheck code, which
 * the Dockerfile scanner does not list among its rules) is one more test on top of `ruleCount`.
 */
function testSummary(misconfigurations: Misconfiguration[], ruleCount: number, knownRuleIds: ReadonlySet<string> | undefined): string {
  const failedIds = [...new Set(misconfigurations.map((entry) => entry.id))];
  const extra = knownRuleIds === undefined ? 0 : failedIds.filter((id) => !knownRuleIds.has(id)).length;
  const tests = Math.max(ruleCount + extra, failedIds.length);
  return `Tests: ${tests} (SUCCESSES: ${tests - failedIds.length}, FAILURES: ${failedIds.length})`;
}

function failureSummary(misconfigurations: Misconfiguration[], severities: readonly Severity[]): string {
  const selected = SEVERITIES.filter((severity) => severities.includes(severity));
  const counts = selected.map((severity) => `${severity}: ${misconfigurations.filter((entry) => entry.severity === severity).length}`);
  return `Failures: ${misconfigurations.length} (${counts.join(', ')})`;
}

function findingLines(misconfiguration: Misconfiguration, color: boolean): string[] {
  const aliases = misconfiguration.aliases.length === 0 ? '' : ` (${misconfiguration.aliases.map(sanitizeCell).join(', ')})`;
  const severity = `[${misconfiguration.severity}]`;
  const title = `${sanitizeCell(misconfiguration.id)}${aliases} ${color ? colorSeverity(misconfiguration.severity, severity) : severity} ${sanitizeCell(misconfiguration.title)}`;

  const lines = [title, `  ${sanitizeCell(misconfiguration.message)}`];
  if (misconfiguration.location !== undefined) lines.push(`  at ${formatLocation(misconfiguration.location)}`);
  if (misconfiguration.object !== undefined) lines.push(`  in ${formatObject(misconfiguration.object)}`);
  if (misconfiguration.resolution !== undefined) lines.push(`  fix: ${sanitizeCell(misconfiguration.resolution)}`);
  return lines;
}

/** Formats a location as `path:line` or `path:startLine-endLine`. */
export function formatLocation(location: Location): string {
  const lines = location.endLine > location.startLine ? `${location.startLine}-${location.endLine}` : `${location.startLine}`;
  return `${sanitizeCell(location.path)}:${lines}`;
}

/** Formats a Kubernetes object as `kind/namespace/name` (or `kind/name`), then container and field. */
export function formatObject(object: ObjectRef): string {
  const name = object.namespace === undefined ? `${object.kind}/${object.name}` : `${object.kind}/${object.namespace}/${object.name}`;
  const parts = [sanitizeCell(name)];
  if (object.container !== undefined) parts.push(`container ${sanitizeCell(object.container)}`);
  if (object.fieldPath !== undefined) parts.push(`field ${sanitizeCell(object.fieldPath)}`);
  return parts.join(', ');
}

function suppressedLines(suppressed: SuppressedMisconfiguration[]): string[] {
  const sorted = [...suppressed].sort((a, b) => compareMisconfigurations(a.misconfiguration, b.misconfiguration));
  return sorted.map((entry) => {
    const { misconfiguration } = entry;
    const where = misconfiguration.location === undefined ? '' : ` at ${formatLocation(misconfiguration.location)}`;
    const source = entry.source === undefined ? '' : ` (${sanitizeCell(entry.source.file)}:${entry.source.line})`;
    const statement = entry.statement === undefined ? '' : `: ${sanitizeCell(entry.statement)}`;
    return `- ${sanitizeCell(misconfiguration.id)} [${misconfiguration.severity}]${where}, ignored by ${sanitizeCell(entry.ruleId)}${source}${statement}`;
  });
}
