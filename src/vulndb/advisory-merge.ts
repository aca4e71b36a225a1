import type { Severity } from '../model/severity.js';
import { severityRank } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import type { CompareFunction } from './version-range.js';

/** One advisory row that matched one package, before aliases are merged. */
export interface AdvisoryMatch {
  advisoryId: string;
  aliases: string[];
  related: string[];
  /** The smallest fix above the installed version, if the matching range has one. */
  fixedVersion: string | undefined;
  severity: Severity | undefined;
  severitySource: string | undefined;
  title: string | undefined;
  description: string | undefined;
  cvss: Record<string, { vector: string; score: number }> | undefined;
  references: string[];
  published: string | undefined;
  modified: string | undefined;
  dataSource: string;
}

/** The package facts that every merged vulnerability repeats. */
export interface MatchedPackage {
  pkgName: string;
  installedVersion: string;
  pkgPath: string;
  purl: string | undefined;
}

const CVE_ID = /^CVE-\d{4}-\d+$/;

/** Compares strings by UTF-16 code units, which is locale-independent and so deterministic. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

interface Entry {
  id: string;
  /** IDs that name the same flaw, so entries sharing one are merged. */
  linkedIds: string[];
  /** IDs reported as aliases but not used to merge, such as the DSA that fixed several CVEs. */
  unlinkedIds: string[];
  match: AdvisoryMatch;
}

/**
 * Merges the advisories that matched one package into one vulnerability per flaw. The CVE is the
 * preferred ID and the other IDs become aliases. An advisory that lists several CVEs only under
 * `related` (AlmaLinux errata, Debian DSAs) yields one vulnerability per CVE, each with the
 * advisory ID as alias. Advisories that share an ID through `aliases` are reported once, with the
 * smallest fix, the highest known severity, and the texts of the first advisory in ID order.
 */
export function mergeMatches(matches: AdvisoryMatch[], pkg: MatchedPackage, compare: CompareFunction): Vulnerability[] {
  const entries = matches.flatMap(expandMatch);
  const groups = groupByLinkedIds(entries);

  const vulnerabilities = groups.map((group) => toVulnerability(group, pkg, compare));
  return vulnerabilities.sort((a, b) => compareStrings(a.id, b.id));
}

function expandMatch(match: AdvisoryMatch): Entry[] {
  const ownIds = [match.advisoryId, ...match.aliases];
  const cves = ownIds.filter((id) => CVE_ID.test(id)).sort();
  if (cves.length > 0) {
    return [{ id: cves[0] as string, linkedIds: ownIds, unlinkedIds: [], match }];
  }
  const relatedCves = [...new Set(match.related.filter((id) => CVE_ID.test(id)))].sort();
  if (relatedCves.length === 0) {
    return [{ id: match.advisoryId, linkedIds: ownIds, unlinkedIds: [], match }];
  }
  return relatedCves.map((cve) => ({ id: cve, linkedIds: [cve], unlinkedIds: ownIds, match }));
}

/** Groups entries that share a linked ID, with a union-find over the IDs. */
function groupByLinkedIds(entries: Entry[]): Entry[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  for (const entry of entries) {
    for (const id of entry.linkedIds) {
      if (!parent.has(id)) parent.set(id, id);
      const a = find(entry.linkedIds[0] as string);
      const b = find(id);
      if (a !== b) parent.set(b, a);
    }
  }

  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const root = find(entry.linkedIds[0] as string);
    const group = groups.get(root) ?? [];
    group.push(entry);
    groups.set(root, group);
  }
  return [...groups.values()];
}

function toVulnerability(group: Entry[], pkg: MatchedPackage, compare: CompareFunction): Vulnerability {
  const sorted = [...group].sort((a, b) => compareStrings(a.match.advisoryId, b.match.advisoryId));
  const allIds = new Set(sorted.flatMap((entry) => [entry.id, ...entry.linkedIds, ...entry.unlinkedIds]));
  const cves = [...allIds].filter((id) => CVE_ID.test(id)).sort();
  const id = cves[0] ?? (sorted[0] as Entry).id;
  allIds.delete(id);

  let fixedVersion: string | undefined;
  let severity: Severity = 'UNKNOWN';
  let severitySource: string | undefined;
  for (const { match } of sorted) {
    if (match.fixedVersion !== undefined && (fixedVersion === undefined || compare(match.fixedVersion, fixedVersion) < 0)) {
      fixedVersion = match.fixedVersion;
    }
    if (match.severity !== undefined && severityRank(match.severity) > severityRank(severity)) {
      severity = match.severity;
      severitySource = match.severitySource;
    }
  }

  const first = (pick: (match: AdvisoryMatch) => unknown): unknown => sorted.map((entry) => pick(entry.match)).find((value) => value !== undefined);
  const vulnerability: Vulnerability = {
    id,
    aliases: [...allIds].sort(),
    pkgName: pkg.pkgName,
    installedVersion: pkg.installedVersion,
    status: fixedVersion === undefined ? 'affected' : 'fixed',
    severity,
    dataSource: [...new Set(sorted.map((entry) => entry.match.dataSource))].sort().join(','),
    references: [...new Set(sorted.flatMap((entry) => entry.match.references))].sort(),
    pkgPath: pkg.pkgPath,
  };
  if (fixedVersion !== undefined) vulnerability.fixedVersion = fixedVersion;
  if (severitySource !== undefined) vulnerability.severitySource = severitySource;
  const title = first((match) => match.title);
  if (typeof title === 'string') vulnerability.title = title;
  const description = first((match) => match.description);
  if (typeof description === 'string') vulnerability.description = description;
  const cvss = first((match) => match.cvss);
  if (cvss !== undefined) vulnerability.cvss = cvss as Record<string, { vector: string; score: number }>;
  const published = first((match) => match.published);
  if (typeof published === 'string') vulnerability.publishedDate = published;
  const modified = first((match) => match.modified);
  if (typeof modified === 'string') vulnerability.lastModifiedDate = modified;
  if (pkg.purl !== undefined) vulnerability.purl = pkg.purl;
  return vulnerability;
}
