import type { Diagnostic } from '../model/diagnostic.js';
import type { Misconfiguration } from '../model/misconfiguration.js';
import type { OsInfo } from '../model/os.js';
import type { Package } from '../model/package.js';
import type { Artifact } from '../model/report.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { compareDiagnostics, compareMisconfigurations, comparePackages, compareResults, compareText, compareVulnerabilities, sortedStrings } from './sort.js';
import type { FilterSummary, Report, ReportResult, SuppressedMisconfiguration, SuppressedVulnerability } from './types.js';

/**
 * The JSON report format, documented by schemas/report.schema.json. The same report always gives
 * the same bytes. Fields appear in a fixed order and absent fields are omitted. Lists are sorted
 * by stable keys, except the few whose order carries meaning, such as `artifact.layers`. The text
 * is indented by two spaces and ends with a newline. The report's `rules` are left out, because
 * they describe the checker rather than the scanned artifact.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Serializes a report to the JSON report format. */
export function writeJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

/** Returns the JSON report as a plain object, for callers that embed it in other output. */
export function toJsonReport(report: Report): JsonObject {
  const results = sortWithTieBreak(report.results, compareResults, jsonResult);
  const output: JsonObject = { schemaVersion: report.schemaVersion, artifact: jsonArtifact(report.artifact) };
  if (report.db !== undefined) {
    output.db = compact({ status: report.db.status, builtAt: report.db.builtAt, message: report.db.message });
  }
  output.results = results;
  output.errors = sortWithTieBreak(report.errors, compareDiagnostics, jsonDiagnostic);
  if (report.filter !== undefined) output.filter = jsonFilter(report.filter);
  return output;
}

/**
 * Sorts items by `compare`, then by their serialized JSON, so that items equal under `compare`
 * still come out in one order whatever the input order. Returns the serialized items.
 */
function sortWithTieBreak<T>(items: readonly T[], compare: (a: T, b: T) => number, serialize: (item: T) => JsonObject): JsonObject[] {
  const decorated = items.map((item) => {
    const json = serialize(item);
    return { item, json, text: JSON.stringify(json) };
  });
  decorated.sort((a, b) => compare(a.item, b.item) || compareText(a.text, b.text));
  return decorated.map((entry) => entry.json);
}

/** Drops the fields whose value is undefined, keeping the order of the others. */
function compact(fields: Record<string, Json | undefined>): JsonObject {
  const output: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) output[key] = value;
  }
  return output;
}

function jsonArtifact(artifact: Artifact): JsonObject {
  return compact({
    name: artifact.name,
    type: artifact.type,
    digest: artifact.digest,
    imageId: artifact.imageId,
    repoTags: artifact.repoTags === undefined ? undefined : sortedStrings(artifact.repoTags),
    os: artifact.os === undefined ? undefined : jsonOs(artifact.os),
    layers: artifact.layers?.map((layer) => compact({ digest: layer.digest, diffId: layer.diffId, size: layer.size })),
  });
}

function jsonOs(os: OsInfo): JsonObject {
  return compact({ family: os.family, version: os.version, codename: os.codename, prettyName: os.prettyName, path: os.path });
}

function jsonResult(result: ReportResult): JsonObject {
  return compact({
    target: result.target,
    class: result.class,
    type: result.type,
    packages: result.packages === undefined ? undefined : sortWithTieBreak(result.packages, comparePackages, jsonPackage),
    vulnerabilities: result.vulnerabilities === undefined ? undefined : sortWithTieBreak(result.vulnerabilities, compareVulnerabilities, jsonVulnerability),
    misconfigurations: jsonMisconfigurations(result),
    suppressed: result.suppressed === undefined ? undefined : sortWithTieBreak(result.suppressed, compareSuppressed, jsonSuppressed),
    suppressedMisconfigurations:
      result.suppressedMisconfigurations === undefined
        ? undefined
        : sortWithTieBreak(result.suppressedMisconfigurations, compareSuppressedMisconfigurations, jsonSuppressedMisconfiguration),
  });
}

/** Returns the sorted misconfigurations, and an empty list for a config result that has none. */
function jsonMisconfigurations(result: ReportResult): JsonObject[] | undefined {
  if (result.misconfigurations === undefined) return result.class === 'config' ? [] : undefined;
  return sortWithTieBreak(result.misconfigurations, compareMisconfigurations, jsonMisconfiguration);
}

function jsonMisconfiguration(misconfiguration: Misconfiguration): JsonObject {
  const { location, object } = misconfiguration;
  return compact({
    id: misconfiguration.id,
    aliases: sortedStrings(misconfiguration.aliases),
    severity: misconfiguration.severity,
    title: misconfiguration.title,
    message: misconfiguration.message,
    location:
      location === undefined
        ? undefined
        : compact({
            path: location.path,
            startLine: location.startLine,
            endLine: location.endLine,
            startColumn: location.startColumn,
            endColumn: location.endColumn,
          }),
    object:
      object === undefined
        ? undefined
        : compact({ kind: object.kind, namespace: object.namespace, name: object.name, container: object.container, fieldPath: object.fieldPath }),
    resolution: misconfiguration.resolution,
    references: misconfiguration.references === undefined ? undefined : sortedStrings(misconfiguration.references),
  });
}

function jsonPackage(pkg: Package): JsonObject {
  return compact({
    name: pkg.name,
    version: pkg.version,
    srcName: pkg.srcName,
    srcVersion: pkg.srcVersion,
    arch: pkg.arch,
    modularityLabel: pkg.modularityLabel,
    purl: pkg.purl,
    path: pkg.path,
    layerDiffId: pkg.layerDiffId,
    licenses: pkg.licenses === undefined ? undefined : sortedStrings(pkg.licenses),
    dev: pkg.dev,
    direct: pkg.direct,
    dependsOn: pkg.dependsOn === undefined ? undefined : sortedStrings(pkg.dependsOn),
  });
}

function jsonVulnerability(vulnerability: Vulnerability): JsonObject {
  const cvss = vulnerability.cvss;
  return compact({
    id: vulnerability.id,
    aliases: sortedStrings(vulnerability.aliases),
    pkgName: vulnerability.pkgName,
    installedVersion: vulnerability.installedVersion,
    fixedVersion: vulnerability.fixedVersion,
    status: vulnerability.status,
    severity: vulnerability.severity,
    severitySource: vulnerability.severitySource,
    title: vulnerability.title,
    description: vulnerability.description,
    cvss:
      cvss === undefined
        ? undefined
        : Object.fromEntries(sortedStrings(Object.keys(cvss)).map((version) => [version, { vector: cvss[version]!.vector, score: cvss[version]!.score }])),
    references: vulnerability.references === undefined ? undefined : sortedStrings(vulnerability.references),
    dataSource: vulnerability.dataSource,
    purl: vulnerability.purl,
    pkgPath: vulnerability.pkgPath,
    publishedDate: vulnerability.publishedDate,
    lastModifiedDate: vulnerability.lastModifiedDate,
  });
}

function compareSuppressed(a: SuppressedVulnerability, b: SuppressedVulnerability): number {
  return compareVulnerabilities(a.vulnerability, b.vulnerability) || compareText(a.ruleId, b.ruleId);
}

function jsonSuppressed(entry: SuppressedVulnerability): JsonObject {
  return compact({
    reason: entry.reason,
    ruleId: entry.ruleId,
    statement: entry.statement,
    source: entry.source === undefined ? undefined : { file: entry.source.file, line: entry.source.line },
    vulnerability: jsonVulnerability(entry.vulnerability),
  });
}

function compareSuppressedMisconfigurations(a: SuppressedMisconfiguration, b: SuppressedMisconfiguration): number {
  return compareMisconfigurations(a.misconfiguration, b.misconfiguration) || compareText(a.ruleId, b.ruleId);
}

function jsonSuppressedMisconfiguration(entry: SuppressedMisconfiguration): JsonObject {
  return compact({
    reason: entry.reason,
    ruleId: entry.ruleId,
    statement: entry.statement,
    source: entry.source === undefined ? undefined : { file: entry.source.file, line: entry.source.line },
    misconfiguration: jsonMisconfiguration(entry.misconfiguration),
  });
}

function jsonDiagnostic(diagnostic: Diagnostic): JsonObject {
  return { target: diagnostic.target, message: diagnostic.message, code: diagnostic.code };
}

function jsonFilter(filter: FilterSummary): JsonObject {
  const { counts } = filter;
  return {
    severities: [...filter.severities],
    ignoreUnfixed: filter.ignoreUnfixed,
    includeDevDeps: filter.includeDevDeps,
    ignoreFiles: [...filter.ignoreFiles],
    counts: {
      severity: counts.severity,
      unfixed: counts.unfixed,
      ignored: counts.ignored,
      devDependency: counts.devDependency,
      devPackages: counts.devPackages,
    },
    expiredRules: filter.expiredRules.map((rule) =>
      compact({
        ruleId: rule.ruleId,
        expiresOn: rule.expiresOn,
        source: rule.source === undefined ? undefined : { file: rule.source.file, line: rule.source.line },
      }),
    ),
  };
}
