import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { Misconfiguration, RuleMetadata } from '../model/misconfiguration.js';
import type { Package } from '../model/package.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { misconfigurationRule, sarifLevel, vulnerabilityRule } from './sarif-rules.js';
import type { SarifObject, SarifValue } from './sarif-rules.js';
import { compareDiagnostics, compareMisconfigurations, compareResults, compareText, compareVulnerabilities } from './sort.js';
import { formatObject } from './table-config.js';
import type { Report, ReportResult } from './types.js';

/**
 * The SARIF 2.1.0 format (`--format sarif`) for every scan kind, shaped for GitHub code scanning.
 * A log has one run with one rule per vulnerability or misconfiguration ID, sorted by ID. Results
 * follow the report order and carry a `ruleIndex`. File paths are relative URIs against the
 * `%SRCROOT%` base, regions are 1-based, and `errors[]` become
 * `invocations[0].toolExecutionNotifications`. No time stamps are written, so the same report
 * gives the same bytes.
 *
 * Misconfiguration rules take their text from `report.rules` (RuleMetadata) where the report has
 * it. Suppressed findings are left out, as Trivy does.
 *
 * NOTE: GitHub code scanning rejects a run with more than 25,000 results or rules and shows only
 * the 5,000 most severe results. This writer does not truncate, because dropping findings
 * silently would hide them. Filter with --severity for large image scans.
 */

/** The URI base that every artifact location is relative to. */
export const SARIF_SOURCE_ROOT = '%SRCROOT%';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The Bulwark version for `tool.driver.version`. Default: none written. */
  toolVersion?: string;
  /**
   * The absolute directory that `%SRCROOT%` stands for, written to `originalUriBaseIds` as a
   * `file://` URI. Default: none written, so consumers such as GitHub resolve paths against the
   * repository root.
   */
  sourceRoot?: string;
  /**
   * The analysis category, written as `automationDetails.id` with a trailing `/`. In GitHub code
   * scanning, an upload for the same commit, tool and category replaces the earlier one, so an
   * image scan and a config scan of one commit need different categories. Default: none written.
   */
  category?: string;
}

/** Serializes a report to SARIF 2.1.0, indented by two spaces and ending with a newline. */
export function writeSarif(report: Report, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}

/** Returns the SARIF log of a report as a plain object. */
export function toSarifLog(report: Report, options: SarifOptions = {}): SarifObject {
  const rules = new Map<string, SarifObject>();
  const metadata = new Map<string, RuleMetadata>((report.rules ?? []).map((rule) => [rule.id, rule]));
  const pending: Array<{ ruleId: string; result: SarifObject }> = [];

  for (const result of [...report.results].sort(compareResults)) {
    for (const vulnerability of [...(result.vulnerabilities ?? [])].sort(compareVulnerabilities)) {
      if (!rules.has(vulnerability.id)) {
        rules.set(vulnerability.id, vulnerabilityRule(vulnerability, result.class === 'os-pkgs' ? 'os-pkgs' : 'lang-pkgs'));
      }
      pending.push({ ruleId: vulnerability.id, result: vulnerabilityResult(result, vulnerability) });
    }
    for (const misconfiguration of [...(result.misconfigurations ?? [])].sort(compareMisconfigurations)) {
      if (!rules.has(misconfiguration.id)) {
        rules.set(misconfiguration.id, misconfigurationRule(misconfiguration, result.type, metadata.get(misconfiguration.id)));
      }
      pending.push({ ruleId: misconfiguration.id, result: misconfigurationResult(result, misconfiguration) });
    }
  }

  const ruleIds = [...rules.keys()].sort(compareText);
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const results = pending.map(({ ruleId, result }) => ({ ruleId, ruleIndex: ruleIndex.get(ruleId)!, ...result }));

  const driver: SarifObject = { name: 'Bulwark' };
  if (options.toolVersion !== undefined) driver.version = options.toolVersion;
  driver.rules = ruleIds.map((id) => rules.get(id)!);

  const run: SarifObject = { tool: { driver } };
  if (options.category !== undefined) run.automationDetails = { id: automationId(options.category) };
  if (options.sourceRoot !== undefined) run.originalUriBaseIds = { [SARIF_SOURCE_ROOT]: { uri: sourceRootUri(options.sourceRoot) } };
  run.invocations = [invocation(report)];
  run.results = results;
  run.properties = artifactProperties(report);

  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/**
 * Returns a relative URI reference for a path relative to the scanned root: each segment
 * percent-encoded, so a `:` in a file name cannot read as a URI scheme, with `/` kept. Paths use
 * `/` separators, so a backslash is part of a file name and is encoded too.
 */
export function artifactUri(path: string): string {
  const relative = path.replace(/^(\.?\/)+/, '');
  if (relative === '') return '.';
  return relative
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%3D/g, '='))
    .join('/');
}

function automationId(category: string): string {
  const trimmed = category.trim();
  if (trimmed === '') throw new UsageError('invalid SARIF category "": expected a name such as "bulwark-config"');
  // A trailing slash marks the whole ID as the category, with no run ID after it.
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function sourceRootUri(sourceRoot: string): string {
  if (!isAbsolute(sourceRoot)) {
    throw new UsageError(`invalid SARIF source root "${sourceRoot}": expected an absolute directory path`);
  }
  const uri = pathToFileURL(sourceRoot).href;
  // SARIF requires the URI of a base ID to end with a slash.
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function physicalLocation(path: string, region: SarifObject): SarifObject {
  return { physicalLocation: { artifactLocation: { uri: artifactUri(path), uriBaseId: SARIF_SOURCE_ROOT }, region } };
}

/**
 * Returns the file a vulnerable package was read from: the vulnerability's pkgPath, else the
 * path of the matching package, else the result target.
 */
function packageFile(result: ReportResult, vulnerability: Vulnerability): string {
  if (vulnerability.pkgPath !== undefined) return vulnerability.pkgPath;
  const matches = (pkg: Package): boolean => pkg.name === vulnerability.pkgName && pkg.version === vulnerability.installedVersion;
  return result.packages?.find(matches)?.path ?? result.target;
}

function vulnerabilityResult(result: ReportResult, vulnerability: Vulnerability): SarifObject {
  const path = packageFile(result, vulnerability);
  const title = vulnerability.title === undefined ? '' : `: ${vulnerability.title}`;
  const fix = vulnerability.fixedVersion === undefined ? 'No fixed version is published.' : `Fixed version: ${vulnerability.fixedVersion}.`;
  const text = `Package ${vulnerability.pkgName} ${vulnerability.installedVersion} in ${path} is affected by ${vulnerability.id} (${vulnerability.severity})${title}. ${fix}`;

  const properties: SarifObject = { pkgName: vulnerability.pkgName, installedVersion: vulnerability.installedVersion, target: result.target };
  if (vulnerability.fixedVersion !== undefined) properties.fixedVersion = vulnerability.fixedVersion;
  if (vulnerability.purl !== undefined) properties.purl = vulnerability.purl;

  // A package finding has no line of its own, so it points at the first line of its file, as Trivy's does.
  return {
    level: sarifLevel(vulnerability.severity),
    message: { text },
    locations: [physicalLocation(path, { startLine: 1 })],
    properties,
  };
}

function misconfigurationResult(result: ReportResult, misconfiguration: Misconfiguration): SarifObject {
  const { location, object } = misconfiguration;
  // SARIF lines and columns start at 1; a checker that reports 0 still gets a valid region.
  const startLine = Math.max(1, location?.startLine ?? 1);
  const region: SarifObject = { startLine, endLine: Math.max(startLine, location?.endLine ?? startLine) };
  if (location?.startColumn !== undefined) region.startColumn = Math.max(1, location.startColumn);
  if (location?.endColumn !== undefined) region.endColumn = Math.max(1, location.endColumn);

  const sarifLocation = physicalLocation(location?.path ?? result.target, region);
  const text = object === undefined ? misconfiguration.message : `${misconfiguration.message} (${formatObject(object)})`;
  const sarifResult: SarifObject = { level: sarifLevel(misconfiguration.severity), message: { text }, locations: [sarifLocation] };
  if (object === undefined) return sarifResult;

  const qualifiedName = [object.kind, object.namespace, object.name].filter((part): part is string => part !== undefined).join('/');
  sarifLocation.logicalLocations = [{ name: object.name, fullyQualifiedName: qualifiedName, kind: 'object' }];
  const properties: SarifObject = { kind: object.kind, name: object.name };
  if (object.namespace !== undefined) properties.namespace = object.namespace;
  if (object.container !== undefined) properties.container = object.container;
  if (object.fieldPath !== undefined) properties.fieldPath = object.fieldPath;
  sarifResult.properties = properties;
  return sarifResult;
}

/** Returns the invocation, with each entry of `errors[]` as a tool execution notification. */
function invocation(report: Report): SarifObject {
  const notifications: SarifValue[] = [...report.errors].sort(compareDiagnostics).map((diagnostic) => ({
    level: 'error',
    message: { text: `${diagnostic.target}: ${diagnostic.message}` },
    descriptor: { id: diagnostic.code },
  }));
  // The scan finished: errors[] lists inputs it skipped, while a failed scan throws and writes no report.
  return { executionSuccessful: true, toolExecutionNotifications: notifications };
}

function artifactProperties(report: Report): SarifObject {
  const { artifact } = report;
  const properties: SarifObject = { artifactName: artifact.name, artifactType: artifact.type };
  if (artifact.digest !== undefined) properties.digest = artifact.digest;
  if (artifact.imageId !== undefined) properties.imageId = artifact.imageId;
  if (artifact.repoTags !== undefined) properties.repoTags = [...artifact.repoTags].sort(compareText);
  return properties;
}
