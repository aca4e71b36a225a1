import { UsageError } from '../errors.js';
import { SEVERITIES } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import type { Report } from './types.js';

/** The exit code for a usage error or a failed scan. The CLI maps errors to it. */
export const USAGE_OR_SCAN_FAILURE_EXIT_CODE = 2;

export interface ExitCodeOptions {
  /**
   * The `--exit-code` value: the code to return when findings remain. Default: 0, so findings
   * alone never fail a run, as in Trivy. validateExitCode rejects values outside 0 to 255 and
   * the value 2, which is reserved for usage errors and failed scans.
   */
  exitCode?: number;
  /**
   * The severities that count. Default: all. A report that went through filterReport holds only
   * the `--severity` selection already; this option serves reports that were not filtered.
   */
  severities?: Severity[];
}

/**
 * Returns the process exit code for a finished scan: `exitCode` when at least one vulnerability or
 * misconfiguration of a counted severity remains after filters, else 0. Suppressed findings never
 * count. Throws a UsageError for an `exitCode` outside 0 to 255 or equal to 2.
 */
export function exitCodeFor(report: Report, options: ExitCodeOptions = {}): number {
  const exitCode = options.exitCode ?? 0;
  validateExitCode(exitCode);
  if (exitCode === 0) return 0;

  const counted = new Set<Severity>(options.severities ?? SEVERITIES);
  const remaining = report.results.some(
    (result) =>
      (result.vulnerabilities ?? []).some((vulnerability) => counted.has(vulnerability.severity)) ||
      (result.misconfigurations ?? []).some((misconfiguration) => counted.has(misconfiguration.severity)),
  );
  return remaining ? exitCode : 0;
}

/** Throws a UsageError unless the value is a valid `--exit-code` argument. */
export function validateExitCode(exitCode: number): void {
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
    throw new UsageError(`invalid --exit-code ${exitCode}: expected an integer from 0 to 255`);
  }
  if (exitCode === USAGE_OR_SCAN_FAILURE_EXIT_CODE) {
    throw new UsageError('invalid --exit-code 2: 2 is reserved for usage errors and failed scans; choose another code such as 1');
  }
}
