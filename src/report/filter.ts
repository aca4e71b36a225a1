import { UsageError } from '../errors.js';
import type { Misconfiguration } from '../model/misconfiguration.js';
import type { Package } from '../model/package.js';
import { SEVERITIES, isSeverity } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { isRuleExpired, matchMisconfigurationRule, matchVulnerabilityRule, ruleLabel } from './ignore-rule.js';
import type { IgnoreRule, IgnoreRules } from './ignore-rule.js';
import type { ExpiredRule, FilterCounts, Report, ReportResult, SuppressedMisconfiguration, SuppressedVulnerability } from './types.js';

export interface FilterOptions {
  /** The severities to keep. Default: all five. */
  severities?: Severity[];
  /** Drop vulnerabilities without a published fix (`status: 'affected'`). Default: false. */
  ignoreUnfixed?: boolean;
  /** Rules from ignore files; see readIgnoreFile and parseIgnoreFile. */
  ignore?: IgnoreRules;
  /**
   * Keep development-only dependencies of lock files and their vulnerabilities. Default: false,
   * as in Trivy, because dev dependencies do not ship in the image.
   */
  includeDevDeps?: boolean;
  /** The time against which rule expiry dates are compared. Default: the current time. */
  now?: Date;
}

/**
 * Applies severity, fix-status, dev-dependency and ignore-rule filters to a report and returns a
 * new report without changing the input. Vulnerabilities that ignore rules suppress move to each
 * result's `suppressed[]`, misconfigurations to `suppressedMisconfigurations[]`, and the others
 * are only counted in `filter.counts`. Diagnostics from the ignore files are appended to
 * `errors[]`.
 *
 * Filters apply in this order, and each finding counts under the first that removes it:
 * dev dependency, severity, unfixed, ignore rule. Misconfigurations go through the severity and
 * ignore-rule filters only.
 */
export function filterReport(report: Report, options: FilterOptions = {}): Report {
  const severities = normalizeSeverities(options.severities);
  const ignoreUnfixed = options.ignoreUnfixed ?? false;
  const includeDevDeps = options.includeDevDeps ?? false;
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError('invalid "now" date for the report filter');

  const allRules = options.ignore?.rules ?? [];
  const activeRules = allRules.filter((rule) => !isRuleExpired(rule, now));
  const index = indexRules(activeRules);
  const counts: FilterCounts = { severity: 0, unfixed: 0, ignored: 0, devDependency: 0, devPackages: 0 };

  const results = report.results.map((result): ReportResult => {
    const packages = result.packages;
    const devOnly = includeDevDeps ? new Set<string>() : devOnlyKeys(packages ?? []);
    const remaining: Vulnerability[] = [];
    const suppressed: SuppressedVulnerability[] = [...(result.suppressed ?? [])];

    for (const vulnerability of result.vulnerabilities ?? []) {
      if (devOnly.has(packageKey(vulnerability.pkgName, vulnerability.installedVersion))) {
        counts.devDependency += 1;
      } else if (!severities.has(vulnerability.severity)) {
        counts.severity += 1;
      } else if (ignoreUnfixed && vulnerability.status === 'affected') {
        counts.unfixed += 1;
      } else {
        const pkg = findPackage(packages, vulnerability);
        const context = { vulnerability, target: result.target, ...(pkg ? { pkg } : {}) };
        const ids = [vulnerability.id, ...vulnerability.aliases];
        const rule = findRule(index, ids, (candidate) => matchVulnerabilityRule(candidate, context));
        if (rule === undefined) {
          remaining.push(vulnerability);
        } else {
          counts.ignored += 1;
          suppressed.push({ ...suppressionFields(rule), vulnerability });
        }
      }
    }

    const remainingMisconfigurations: Misconfiguration[] = [];
    const suppressedMisconfigurations: SuppressedMisconfiguration[] = [...(result.suppressedMisconfigurations ?? [])];
    for (const misconfiguration of result.misconfigurations ?? []) {
      if (!severities.has(misconfiguration.severity)) {
        counts.severity += 1;
        continue;
      }
      const context = { misconfiguration, target: result.target };
      const ids = [misconfiguration.id, ...misconfiguration.aliases];
      const rule = findRule(index, ids, (candidate) => matchMisconfigurationRule(candidate, context));
      if (rule === undefined) {
        remainingMisconfigurations.push(misconfiguration);
      } else {
        counts.ignored += 1;
        suppressedMisconfigurations.push({ ...suppressionFields(rule), misconfiguration });
      }
    }

    const filtered: ReportResult = { ...result };
    if (result.vulnerabilities !== undefined) filtered.vulnerabilities = remaining;
    if (result.misconfigurations !== undefined) filtered.misconfigurations = remainingMisconfigurations;
    if (suppressedMisconfigurations.length > 0) filtered.suppressedMisconfigurations = suppressedMisconfigurations;
    if (packages !== undefined && !includeDevDeps) {
      filtered.packages = packages.filter((pkg) => pkg.dev !== true);
      counts.devPackages += packages.length - filtered.packages.length;
    }
    if (suppressed.length > 0) filtered.suppressed = suppressed;
    return filtered;
  });

  const expiredRules: ExpiredRule[] = allRules
    .filter((rule) => isRuleExpired(rule, now))
    .map((rule) => ({ ruleId: ruleLabel(rule), expiresOn: rule.expiresOn!, ...(rule.source ? { source: rule.source } : {}) }));

  return {
    ...report,
    results,
    errors: [...report.errors, ...(options.ignore?.diagnostics ?? [])],
    filter: {
      severities: SEVERITIES.filter((severity) => severities.has(severity)),
      ignoreUnfixed,
      includeDevDeps,
      ignoreFiles: [...(report.filter?.ignoreFiles ?? []), ...(options.ignore?.files ?? [])],
      counts: addCounts(report.filter?.counts, counts),
      expiredRules: [...(report.filter?.expiredRules ?? []), ...expiredRules],
    },
  };
}

function normalizeSeverities(severities: Severity[] | undefined): Set<Severity> {
  if (severities === undefined) return new Set(SEVERITIES);
  for (const severity of severities) {
    if (!isSeverity(severity)) {
      throw new UsageError(`invalid severity "${String(severity)}": expected one of ${SEVERITIES.join(', ')}`);
    }
  }
  if (severities.length === 0) throw new UsageError(`no severity selected: give at least one of ${SEVERITIES.join(', ')}`);
  return new Set(severities);
}

function packageKey(name: string, version: string): string {
  return `${name}\u0000${version}`;
}

/**
 * Returns the name and version of every package that appears only as a dev dependency. A package
 * that is also a runtime dependency elsewhere in the lock file keeps its vulnerabilities.
 */
function devOnlyKeys(packages: Package[]): Set<string> {
  const dev = new Set<string>();
  const runtime = new Set<string>();
  for (const pkg of packages) {
    (pkg.dev === true ? dev : runtime).add(packageKey(pkg.name, pkg.version));
  }
  for (const key of runtime) dev.delete(key);
  return dev;
}

function findPackage(packages: Package[] | undefined, vulnerability: Vulnerability): Package | undefined {
  if (packages === undefined) return undefined;
  const candidates = packages.filter((pkg) => pkg.name === vulnerability.pkgName && pkg.version === vulnerability.installedVersion);
  if (candidates.length <= 1 || vulnerability.pkgPath === undefined) return candidates[0];
  return candidates.find((pkg) => pkg.path === vulnerability.pkgPath) ?? candidates[0];
}

interface RuleIndex {
  byId: Map<string, IgnoreRule[]>;
  withoutId: IgnoreRule[];
  /** The position of each rule in the order the files and lines were given. */
  position: Map<IgnoreRule, number>;
}

/** Indexes rules by upper-case ID, so that filtering costs one lookup per ID and alias. */
function indexRules(rules: IgnoreRule[]): RuleIndex {
  const index: RuleIndex = { byId: new Map(), withoutId: [], position: new Map() };
  rules.forEach((rule, position) => {
    index.position.set(rule, position);
    if (rule.id === undefined) {
      index.withoutId.push(rule);
      return;
    }
    const key = rule.id.toUpperCase();
    const list = index.byId.get(key);
    if (list === undefined) index.byId.set(key, [rule]);
    else list.push(rule);
  });
  return index;
}

/**
 * Returns the first rule, in the order given, that lists one of `ids` (the finding's ID and
 * aliases) or no ID, and for which `matches` holds. The first rule wins so that the reported
 * statement is predictable.
 */
function findRule(index: RuleIndex, ids: string[], matches: (rule: IgnoreRule) => boolean): IgnoreRule | undefined {
  const byId = [...new Set(ids.flatMap((id) => index.byId.get(id.toUpperCase()) ?? []))];
  byId.sort((a, b) => index.position.get(a)! - index.position.get(b)!);

  const withId = byId.find(matches);
  // A rule with an ID wins unless a rule without one, given earlier, also matches.
  const limit = withId === undefined ? Infinity : index.position.get(withId)!;
  for (const rule of index.withoutId) {
    if (index.position.get(rule)! > limit) break;
    if (matches(rule)) return rule;
  }
  return withId;
}

/** Returns the fields that a suppressed finding takes from the rule that matched it. */
function suppressionFields(rule: IgnoreRule): Omit<SuppressedVulnerability, 'vulnerability'> {
  const fields: Omit<SuppressedVulnerability, 'vulnerability'> = { reason: 'ignored', ruleId: ruleLabel(rule) };
  if (rule.statement !== undefined) fields.statement = rule.statement;
  if (rule.source !== undefined) fields.source = rule.source;
  return fields;
}

function addCounts(previous: FilterCounts | undefined, current: FilterCounts): FilterCounts {
  if (previous === undefined) return current;
  return {
    severity: previous.severity + current.severity,
    unfixed: previous.unfixed + current.unfixed,
    ignored: previous.ignored + current.ignored,
    devDependency: previous.devDependency + current.devDependency,
    devPackages: previous.devPackages + current.devPackages,
  };
}
