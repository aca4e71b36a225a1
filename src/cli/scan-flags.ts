import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import { DEFAULT_WALK_LIMITS, type WalkLimits } from '../artifact/limits.js';
import { isSeverity, SEVERITIES, type Severity } from '../model/severity.js';

/** The raw flags of a scan command, as commander parses them. */
export interface RawScanFlags {
  format: string;
  output?: string;
  severity?: string;
  ignoreUnfixed?: boolean;
  exitCode?: string;
  ignorefile?: string;
  quiet?: boolean;
  cacheDir?: string;
  offline?: boolean;
  includeDevDeps?: boolean;
  skipDb?: boolean;
  /** False for `--no-layer-cache`, as commander names negated flags. */
  layerCache?: boolean;
  maxFileSize?: string;
  maxLayerEntries?: string;
  maxLayerSize?: string;
  maxDecompressionRatio?: string;
  timeout?: string;
  specVersion?: string;
  scanners?: string;
}

/** The scan flags after validation, ready for the scan and the report. */
export interface ScanFlags {
  format: string;
  output?: string;
  severities: Severity[];
  ignoreUnfixed: boolean;
  exitCode: number;
  /** The ignore file the user named, or undefined to read the default files if present. */
  ignoreFile?: string;
  quiet: boolean;
  cacheDir?: string;
  offline: boolean;
  includeDevDeps: boolean;
  skipDb: boolean;
  noLayerCache: boolean;
  limits: Partial<WalkLimits>;
  /** The maximum time a scan may run, in milliseconds. */
  timeoutMs: number;
  /** The CycloneDX specification version for `--format cyclonedx` and `cyclonedx-xml`. */
  specVersion?: string;
  /** The scanners to run: vulnerable packages (`vuln`), image config checks (`misconfig`). */
  scanners: Array<'vuln' | 'misconfig'>;
}

/** Adds the report flags every command with a report shares, with Trivy's names where Trivy has the flag. */
export function addReportFlags(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'report format: table, json, sarif, or for package scans cyclonedx, cyclonedx-xml, spdx-json, spdx').default('table'))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('-s, --severity <list>', `comma-separated severities to report (${SEVERITIES.join(',')})`)
    .option('--exit-code <code>', 'exit with this code when findings remain after filters (default: 0)')
    .option('--ignorefile <file>', 'ignore file (default: .bulwarkignore, then .trivyignore.yaml and .trivyignore, if present)')
    .option('-q, --quiet', 'print no progress and no warnings on stderr')
    .option('--timeout <duration>', 'longest a scan may run, such as 300s or 5m (default: 5m, as in Trivy)');
}

/** Adds the flags of the package scans (`image`, `rootfs`, `fs`): the report flags, the DB, the cache and the caps. */
export function addScanFlags(command: Command): Command {
  return addReportFlags(command)
    .option('--ignore-unfixed', 'hide vulnerabilities without a published fix')
    .option('--cache-dir <dir>', 'cache directory for the vulnerability DB and the layer cache (default: $BULWARK_CACHE_DIR or ~/.cache/bulwark)')
    .option('--offline', 'make no network request: local images only (scans never update the DB by themselves)')
    .option('--include-dev-deps', 'include development-only dependencies of lock files')
    .option('--skip-db', 'list packages only, without looking up vulnerabilities')
    .option('--no-layer-cache', 'neither read nor write the per-layer analysis cache')
    .option('--spec-version <version>', 'CycloneDX specification version for --format cyclonedx and cyclonedx-xml (default: 1.6)')
    .option('--max-file-size <bytes>', `largest file an analyzer reads (default: ${DEFAULT_WALK_LIMITS.maxFileSize})`)
    .option('--max-layer-entries <count>', `most tar entries in one layer (default: ${DEFAULT_WALK_LIMITS.maxLayerEntries})`)
    .option('--max-layer-size <bytes>', `most bytes one layer may expand to (default: ${DEFAULT_WALK_LIMITS.maxLayerSize})`)
    .option('--max-decompression-ratio <ratio>', `highest uncompressed-to-compressed ratio of a layer (default: ${DEFAULT_WALK_LIMITS.maxDecompressionRatio})`);
}

/** Validates raw scan flags. Throws a UsageError naming the flag and the value. */
export function normalizeScanFlags(raw: RawScanFlags): ScanFlags {
  const severities = raw.severity === undefined ? [...SEVERITIES] : parseSeverities(raw.severity);
  const limits: Partial<WalkLimits> = {};
  if (raw.maxFileSize !== undefined) limits.maxFileSize = parsePositive('--max-file-size', raw.maxFileSize);
  if (raw.maxLayerEntries !== undefined) limits.maxLayerEntries = parsePositive('--max-layer-entries', raw.maxLayerEntries);
  if (raw.maxLayerSize !== undefined) limits.maxLayerSize = parsePositive('--max-layer-size', raw.maxLayerSize);
  if (raw.maxDecompressionRatio !== undefined) limits.maxDecompressionRatio = parsePositive('--max-decompression-ratio', raw.maxDecompressionRatio);

  const flags: ScanFlags = {
    format: raw.format,
    severities,
    ignoreUnfixed: raw.ignoreUnfixed === true,
    exitCode: raw.exitCode === undefined ? 0 : parseExitCode(raw.exitCode),
    quiet: raw.quiet === true,
    offline: raw.offline === true,
    includeDevDeps: raw.includeDevDeps === true,
    skipDb: raw.skipDb === true,
    noLayerCache: raw.layerCache === false,
    limits,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(raw.timeout),
    scanners: raw.scanners === undefined ? ['vuln', 'misconfig'] : parseScanners(raw.scanners),
  };
  if (raw.specVersion !== undefined) flags.specVersion = raw.specVersion;
  if (raw.output !== undefined) flags.output = raw.output;
  if (raw.ignorefile !== undefined) flags.ignoreFile = raw.ignorefile;
  if (raw.cacheDir !== undefined) flags.cacheDir = raw.cacheDir;
  return flags;
}

const SCANNERS = ['vuln', 'misconfig'] as const;

/** Parses `--scanners vuln,misconfig`, Trivy's flag for what a scan looks for. */
function parseScanners(text: string): Array<'vuln' | 'misconfig'> {
  const values = text.split(',').map((value) => value.trim()).filter((value) => value !== '');
  const invalid = values.filter((value) => !(SCANNERS as readonly string[]).includes(value));
  if (values.length === 0 || invalid.length > 0) throw new UsageError(`invalid --scanners value "${text}": use a comma-separated list of ${SCANNERS.join(', ')}`);
  return values as Array<'vuln' | 'misconfig'>;
}

/** The default --timeout: five minutes, as Trivy's. */
const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `300`, `300s`, `5m`, `1h30m` or `1500ms` into milliseconds. */
function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)?/g)];
  const total = parts.reduce((sum, [, value, unit]) => sum + Number(value) * DURATION_UNITS[unit ?? 's']!, 0);
  if (parts.map((part) => part[0]).join('') !== text || !(total > 0)) {
    throw new UsageError(`invalid --timeout value "${text}": use a duration such as 300s, 5m or 1h30m`);
  }
  return total;
}

function parseSeverities(text: string): Severity[] {
  const values = text.split(',').map((value) => value.trim().toUpperCase()).filter((value) => value !== '');
  const invalid = values.filter((value) => !isSeverity(value));
  if (invalid.length > 0 || values.length === 0) {
    throw new UsageError(`invalid --severity value "${text}": use a comma-separated list of ${SEVERITIES.join(', ')}`);
  }
  return values as Severity[];
}

function parseExitCode(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 255) throw new UsageError(`invalid --exit-code value "${text}": use an integer from 0 to 255`);
  if (value === 2) throw new UsageError('--exit-code 2 is reserved for usage errors and failed scans; choose another code, such as 1');
  return value;
}

function parsePositive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`invalid ${flag} value "${text}": use a positive number`);
  return value;
}
