import type { Misconfiguration } from '../model/misconfiguration.js';
import type { ScanReport, ScanResult } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';

/**
 * The location of an ignore rule: the file name as the user gave it and the 1-based line.
 * Rules built in code have no source.
 */
export interface RuleSource {
  file: string;
  line: number;
}

/** The reason the filter removed a finding from a result. */
export type SuppressionReason = 'severity' | 'unfixed' | 'ignored' | 'dev-dependency';

/**
 * A vulnerability that an ignore rule suppressed, kept for a `--show-suppressed` listing.
 * Findings dropped by `--severity`, `--ignore-unfixed` or the dev-dependency filter are only
 * counted, as Trivy does, because listing them would repeat most of an unfiltered report.
 */
export interface SuppressedVulnerability {
  reason: 'ignored';
  vulnerability: Vulnerability;
  /** The ID written in the rule that matched, or `*` for a rule scoped only by path or package. */
  ruleId: string;
  /** The rule's justification: the `statement` of a YAML rule or the trailing comment of a line. */
  statement?: string;
  /** The file and line of the rule that matched. */
  source?: RuleSource;
}

/** A misconfiguration that an ignore rule suppressed, kept like SuppressedVulnerability. */
export interface SuppressedMisconfiguration {
  reason: 'ignored';
  misconfiguration: Misconfiguration;
  /** The ID written in the rule that matched, or `*` for a rule scoped only by path. */
  ruleId: string;
  statement?: string;
  source?: RuleSource;
}

/**
 * Counts of findings and packages that the filter removed, by reason. `severity` and `ignored`
 * count vulnerabilities and misconfigurations together.
 */
export interface FilterCounts {
  severity: number;
  unfixed: number;
  ignored: number;
  devDependency: number;
  /** Packages removed from `packages[]` because they are development-only dependencies. */
  devPackages: number;
}

/** An ignore rule that matched nothing because its expiry date has passed. */
export interface ExpiredRule {
  ruleId: string;
  /** The expiry date, `YYYY-MM-DD`. */
  expiresOn: string;
  source?: RuleSource;
}

/** The filter settings that produced a report, and what they removed. */
export interface FilterSummary {
  /** The severities kept, from the most to the least severe. */
  severities: Severity[];
  ignoreUnfixed: boolean;
  includeDevDeps: boolean;
  /** The ignore files whose rules were applied, in the order given. */
  ignoreFiles: string[];
  counts: FilterCounts;
  expiredRules: ExpiredRule[];
}

/** A scan result after filtering, with the findings that ignore rules suppressed. */
export interface ReportResult extends ScanResult {
  suppressed?: SuppressedVulnerability[];
  suppressedMisconfigurations?: SuppressedMisconfiguration[];
}

/**
 * The input of every report format: a scan report, optionally filtered. A plain `ScanReport` is
 * a valid `Report`, so formats also work on unfiltered output.
 */
export interface Report extends ScanReport {
  results: ReportResult[];
  filter?: FilterSummary;
}
