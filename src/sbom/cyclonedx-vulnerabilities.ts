import { Enums, Models } from '@cyclonedx/cyclonedx-library';

import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { compare, type SbomPackage } from './sbom-packages.js';

const SEVERITY: Record<Severity, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
  UNKNOWN: Enums.Vulnerability.Severity.Unknown,
};

const CVSS_METHOD: Record<string, Enums.Vulnerability.RatingMethod> = {
  '2.0': Enums.Vulnerability.RatingMethod.CVSSv2,
  '3.0': Enums.Vulnerability.RatingMethod.CVSSv3,
  '3.1': Enums.Vulnerability.RatingMethod.CVSSv31,
  '4.0': Enums.Vulnerability.RatingMethod.CVSSv4,
};

/**
 * Adds one CycloneDX vulnerability per advisory ID, as Trivy does: `affects` points at every
 * component it was found in, `ratings` carry the severity and the CVSS vectors, `advisories` the reference URLs, `source` is the
 * DB source, and the fixed version goes into `recommendation`.
 */
export function addCycloneDxVulnerabilities(bom: Models.Bom, packages: readonly SbomPackage[], components: ReadonlyMap<string, Models.Component>): void {
  const byId = new Map<string, Array<{ vulnerability: Vulnerability; ref: string }>>();
  for (const entry of packages) {
    for (const vulnerability of entry.vulnerabilities) {
      const list = byId.get(vulnerability.id) ?? [];
      list.push({ vulnerability, ref: entry.ref });
      byId.set(vulnerability.id, list);
    }
  }

  for (const id of [...byId.keys()].sort(compare)) {
    const found = byId.get(id)!;
    const first = found[0]!.vulnerability;
    const vulnerability = new Models.Vulnerability.Vulnerability({ bomRef: id, id, source: new Models.Vulnerability.Source({ name: first.dataSource }) });
    if (first.description ?? first.title) vulnerability.description = first.description ?? first.title;
    if (first.publishedDate && !Number.isNaN(Date.parse(first.publishedDate))) vulnerability.published = new Date(first.publishedDate);
    if (first.lastModifiedDate && !Number.isNaN(Date.parse(first.lastModifiedDate))) vulnerability.updated = new Date(first.lastModifiedDate);

    const severityRating = new Models.Vulnerability.Rating({ severity: SEVERITY[first.severity] });
    if (first.severitySource) severityRating.source = new Models.Vulnerability.Source({ name: first.severitySource });
    vulnerability.ratings.add(severityRating);
    for (const [version, cvss] of Object.entries(first.cvss ?? {})) {
      vulnerability.ratings.add(new Models.Vulnerability.Rating({ method: CVSS_METHOD[version] ?? Enums.Vulnerability.RatingMethod.Other, vector: cvss.vector, score: cvss.score }));
    }
    for (const url of first.references ?? []) {
      if (/^https?:\/\//.test(url)) vulnerability.advisories.add(new Models.Vulnerability.Advisory(url));
    }

    const fixes = new Set<string>();
    for (const { vulnerability: finding, ref } of found) {
      const component = components.get(ref)!;
      const status = Enums.Vulnerability.AffectStatus.Affected;
      vulnerability.affects.add(new Models.Vulnerability.Affect(component.bomRef, { versions: new Models.Vulnerability.AffectedVersionRepository([new Models.Vulnerability.AffectedSingleVersion(finding.installedVersion, { status })]) }));
      if (finding.fixedVersion) fixes.add(`${finding.pkgName} ${finding.fixedVersion}`);
    }
    if (fixes.size > 0) vulnerability.recommendation = `Upgrade to ${[...fixes].sort(compare).join(', ')}`;
    for (const alias of first.aliases) vulnerability.properties.add(new Models.Property('bulwark:Alias', alias));
    bom.vulnerabilities.add(vulnerability);
  }
}
