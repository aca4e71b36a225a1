import type Database from 'better-sqlite3';

import { BulwarkError, errorMessage } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { OsInfo } from '../model/os.js';
import type { Package, PackageSet } from '../model/package.js';
import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { compareVersions } from '../versioning/index.js';
import type { RangeEvent } from './advisory-writer.js';
import { mergeMatches } from './advisory-merge.js';
import type { AdvisoryMatch } from './advisory-merge.js';
import { ecosystemOfPackageSet, normalizeEcosystem, normalizePackageName, osEcosystemKeys, versionSchemeOf } from './ecosystem.js';
import type { VersionScheme } from './ecosystem.js';
import type { VulnDb } from './store.js';
import { evaluateRange } from './version-range.js';
import type { CompareFunction } from './version-range.js';

/** Options of `matchPackages`. */
export interface MatchOptions {
  /** The OS of the image; OS package sets are skipped with a diagnostic without it. */
  os?: OsInfo;
  packageSets: PackageSet[];
  /** Also report RustSec informational advisories (`unmaintained`, `unsound`). Default: false. */
  includeInformational?: boolean;
}

/** The vulnerabilities of one package set, in the order of its packages, then by ID. */
export interface PackageSetMatches {
  target: string;
  type: PackageSet['type'];
  vulnerabilities: Vulnerability[];
}

export interface MatchResult {
  results: PackageSetMatches[];
  diagnostics: Diagnostic[];
}

interface AffectedRow {
  ranges: string;
  versions: string | null;
  package_severity: Severity | null;
  advisory_id: string;
  aliases: string;
  related: string;
  title: string | null;
  description: string | null;
  severity: Severity | null;
  severity_source: string | null;
  cvss: string | null;
  refs: string;
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  informational: string | null;
  source: string;
}

const LOOKUP_SQL = `
SELECT a.ranges, a.versions, a.severity AS package_severity, v.advisory_id, v.aliases, v.related, v.title, v.description,
       v.severity, v.severity_source, v.cvss, v.refs, v.published, v.modified, v.withdrawn, v.informational, s.name AS source
FROM affected a
JOIN advisories v ON v.id = a.advisory
JOIN sources s ON s.id = v.source_id
WHERE a.ecosystem = ? AND a.name = ? AND a.status = 'affected'`;

/**
 * Matches package sets against the DB. OS packages are looked up only in their distribution's
 * advisories: Debian by source package and release with dpkg ordering, Alpine by origin and
 * `major.minor` branch and Wolfi by origin with apk ordering, RHEL-family by binary package name
 * and major release with rpm ordering. Language packages are looked up in their ecosystem.
 * Withdrawn advisories never match. A version that its scheme cannot parse yields a diagnostic.
 */
export function matchPackages(vulnDb: VulnDb, options: MatchOptions): MatchResult {
  const matcher = new Matcher(vulnDb.db, options.includeInformational === true);
  const results: PackageSetMatches[] = [];
  for (const set of options.packageSets) {
    results.push({ target: set.target, type: set.type, vulnerabilities: matcher.matchSet(set, options.os) });
  }
  return { results, diagnostics: matcher.diagnostics };
}

class Matcher {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lookup: Database.Statement;
  private readonly hasEcosystem: Database.Statement;
  private readonly rowCache = new Map<string, AffectedRow[]>();

  constructor(
    db: Database.Database,
    private readonly includeInformational: boolean,
  ) {
    this.lookup = db.prepare(LOOKUP_SQL);
    this.hasEcosystem = db.prepare('SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1').pluck();
  }

  matchSet(set: PackageSet, os: OsInfo | undefined): Vulnerability[] {
    const target = this.resolveTarget(set, os);
    if (target === undefined) return [];

    const compare = comparatorFor(target.scheme);
    const vulnerabilities: Vulnerability[] = [];
    for (const pkg of set.packages) {
      const useSource = set.type === 'dpkg' || set.type === 'apk';
      const lookupName = normalizePackageName(target.ecosystem, useSource ? (pkg.srcName ?? pkg.name) : pkg.name);
      const version = set.type === 'dpkg' ? (pkg.srcVersion ?? pkg.version) : pkg.version;
      try {
        vulnerabilities.push(...this.matchPackage(pkg, target, lookupName, version, compare));
      } catch (error) {
        if (!(error instanceof BulwarkError) || error.code !== 'VERSION_INVALID') throw error;
        this.diagnostics.push({
          target: `${set.target}: ${pkg.name}@${pkg.version}`,
          message: `not checked for vulnerabilities: ${errorMessage(error)}`,
          code: 'VERSION_INVALID',
        });
      }
    }
    return vulnerabilities;
  }

  private matchPackage(pkg: Package, target: { ecosystem: string; scheme: VersionScheme }, lookupName: string, version: string, compare: CompareFunction): Vulnerability[] {
    // Throws VERSION_INVALID for an installed version that the scheme cannot parse.
    compare(version, version);

    const matches: AdvisoryMatch[] = [];
    for (const row of this.rows(target.ecosystem, lookupName)) {
      if (row.withdrawn !== null) continue;
      if (row.informational !== null && !this.includeInformational) continue;
      let verdict: { affected: boolean; fixedVersion: string | undefined };
      try {
        verdict = evaluateRow(row, version, target.scheme, compare);
      } catch (error) {
        if (!(error instanceof BulwarkError) || error.code !== 'VERSION_INVALID') throw error;
        this.report(`${row.source}: ${row.advisory_id}`, `range of ${lookupName} not evaluated: ${errorMessage(error)}`, 'VERSION_INVALID');
        continue;
      }
      if (!verdict.affected) continue;
      matches.push(toMatch(row, verdict.fixedVersion));
    }
    if (matches.length === 0) return [];
    const merged = mergeMatches(matches, { pkgName: pkg.name, installedVersion: pkg.version, pkgPath: pkg.path, purl: pkg.purl }, compare);
    // OSV writes Go versions without the `v` that go.mod and binaries show; report the fix in the
    // installed version's spelling so the two columns read alike.
    if (target.scheme === 'go' && pkg.version.startsWith('v')) {
      for (const vulnerability of merged) {
        if (vulnerability.fixedVersion !== undefined && !vulnerability.fixedVersion.startsWith('v')) vulnerability.fixedVersion = `v${vulnerability.fixedVersion}`;
      }
    }
    return merged;
  }

  private rows(ecosystem: string, name: string): AffectedRow[] {
    const key = `${ecosystem}\u0000${name}`;
    let rows = this.rowCache.get(key);
    if (rows === undefined) {
      rows = this.lookup.all(ecosystem, name) as AffectedRow[];
      this.rowCache.set(key, rows);
    }
    return rows;
  }

  /** Returns the DB ecosystem and version scheme of a package set, or undefined with a diagnostic. */
  private resolveTarget(set: PackageSet, os: OsInfo | undefined): { ecosystem: string; scheme: VersionScheme } | undefined {
    if (set.class === 'lang-pkgs') {
      const ecosystemName = ecosystemOfPackageSet(set.type);
      const ecosystem = ecosystemName === undefined ? undefined : normalizeEcosystem(ecosystemName);
      const scheme = ecosystem === undefined ? undefined : versionSchemeOf(ecosystem);
      if (ecosystem === undefined || scheme === undefined) {
        this.report(set.target, `${set.type} packages were not checked: Bulwark has no version comparison for ${ecosystemName ?? set.type} yet`, 'UNSUPPORTED');
        return undefined;
      }
      return { ecosystem, scheme };
    }

    if (os === undefined) {
      this.report(set.target, `${set.type} packages were not checked: the OS of the image is unknown`, 'UNSUPPORTED');
      return undefined;
    }
    for (const ecosystem of osEcosystemKeys(os.family, os.version)) {
      const scheme = versionSchemeOf(ecosystem);
      if (scheme !== undefined && this.hasEcosystem.get(ecosystem) !== undefined) return { ecosystem, scheme };
    }
    this.report(
      set.target,
      `${set.type} packages were not checked: the DB has no advisories for ${os.family} ${os.version}; import that distribution's data with \`bulwark db import\``,
      'NOT_FOUND',
    );
    return undefined;
  }

  private report(target: string, message: string, code: Diagnostic['code']): void {
    this.diagnostics.push({ target, message, code });
  }
}

function comparatorFor(scheme: VersionScheme): CompareFunction {
  return (a, b) => compareVersions(scheme, a, b);
}

// RHEL-family module builds carry `.module+el8…` or `.module_el8…` in the release. A module
// advisory's fix does not apply to the non-module build of the same package, and the reverse.
const MODULE_RELEASE = /\.module[_+]/;

function evaluateRow(row: AffectedRow, version: string, scheme: VersionScheme, compare: CompareFunction): { affected: boolean; fixedVersion: string | undefined } {
  const versions = row.versions === null ? [] : (JSON.parse(row.versions) as string[]);
  let affected = versions.includes(version);
  const fixes: string[] = [];

  for (const events of JSON.parse(row.ranges) as RangeEvent[][]) {
    if (scheme === 'rpm' && !sameModularity(events, version)) continue;
    const verdict = evaluateRange(events, version, compare);
    if (!verdict.affected) continue;
    affected = true;
    fixes.push(...verdict.fixedAbove);
  }

  fixes.sort(compare);
  return { affected, fixedVersion: fixes[0] };
}

function sameModularity(events: RangeEvent[], version: string): boolean {
  const fixed = events.find((event) => event.fixed !== undefined)?.fixed;
  return fixed === undefined || MODULE_RELEASE.test(fixed) === MODULE_RELEASE.test(version);
}

function toMatch(row: AffectedRow, fixedVersion: string | undefined): AdvisoryMatch {
  const severity = row.package_severity ?? row.severity ?? undefined;
  const severitySource = row.package_severity !== null ? 'distro' : (row.severity_source ?? undefined);
  return {
    advisoryId: row.advisory_id,
    aliases: JSON.parse(row.aliases) as string[],
    related: JSON.parse(row.related) as string[],
    fixedVersion,
    severity,
    severitySource,
    title: row.title ?? undefined,
    description: row.description ?? undefined,
    cvss: row.cvss === null ? undefined : (JSON.parse(row.cvss) as AdvisoryMatch['cvss']),
    references: JSON.parse(row.refs) as string[],
    published: row.published ?? undefined,
    modified: row.modified ?? undefined,
    dataSource: row.source,
  };
}
