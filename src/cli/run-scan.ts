import { writeFile } from 'node:fs/promises';

import { BulwarkError, errorMessage, InputError, UsageError } from '../errors.js';
import { createFormatRegistry, type ReportFormat, type WriteOptions } from '../report/format.js';
import { BULWARK_VERSION } from './version.js';
import { filterReport } from '../report/filter.js';
import { exitCodeFor, USAGE_OR_SCAN_FAILURE_EXIT_CODE } from '../report/exit-code.js';
import { DEFAULT_IGNORE_FILES, mergeIgnoreRules, readIgnoreFile, type IgnoreRules } from '../report/index.js';
import { shouldUseColor } from '../report/color.js';
import type { Report } from '../report/types.js';
import type { ScanOutcome } from '../scan/scan-image.js';
import type { ScanOptions } from '../scan/scan-options.js';
import { createProgress } from './progress.js';
import type { ScanFlags } from './scan-flags.js';

/** Turns validated scan flags into the library's scan options. */
export function scanOptionsFrom(flags: ScanFlags): ScanOptions {
  const options: ScanOptions = {
    includeDevDeps: flags.includeDevDeps,
    skipVulnerabilities: flags.skipDb,
    noLayerCache: flags.noLayerCache,
    limits: flags.limits,
  };
  if (flags.cacheDir !== undefined) options.cacheDir = flags.cacheDir;
  const progress = createProgress({ quiet: flags.quiet });
  if (progress) options.onProgress = progress;
  return options;
}

/**
 * Runs a scan and reports it. The report is filtered by severity, fix status and ignore files, then
 * written in the chosen format to stdout or `--output`, with warnings on stderr. Returns the exit
 * code: the `--exit-code` value when findings remain, 2 when some input could not be read, else 0.
 */
export async function runScan(flags: ScanFlags, scan: () => Promise<ScanOutcome>, writeOptions: WriteOptions = {}): Promise<number> {
  const format = await reportFormat(flags);
  const ignore = await loadIgnoreRules(flags.ignoreFile);

  const { report, incomplete } = await withTimeout(scan(), flags.timeoutMs);
  const filtered = filterReport(report as Report, {
    severities: flags.severities,
    ignoreUnfixed: flags.ignoreUnfixed,
    ignore,
    includeDevDeps: flags.includeDevDeps,
  });

  const toFile = flags.output !== undefined;
  const text = format.write(filtered, {
    toolVersion: BULWARK_VERSION,
    ...writeOptions,
    color: !toFile && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env }),
  });
  if (toFile) {
    await writeFile(flags.output!, text).catch((error: unknown) => {
      throw new InputError('IO', `cannot write the report to ${flags.output}: ${errorMessage(error)}`, { cause: error });
    });
  } else {
    process.stdout.write(text);
  }

  if (!flags.quiet) printWarnings(filtered, flags.skipDb, format.id === 'table' && !toFile);
  if (incomplete) return USAGE_OR_SCAN_FAILURE_EXIT_CODE;
  // A gate that saw no advisories proves nothing: a missing DB fails it instead of passing it.
  if (flags.exitCode !== 0 && filtered.db?.status === 'missing' && !flags.skipDb) {
    process.stderr.write('ERROR --exit-code was given but no vulnerability DB was used, so the image was not checked; run `bulwark db update` or `bulwark db import`, or pass --skip-db\n');
    return USAGE_OR_SCAN_FAILURE_EXIT_CODE;
  }
  return exitCodeFor(filtered, { exitCode: flags.exitCode });
}

/** SBOM formats, loaded only when asked for so that other runs do not pay for the CycloneDX library. */
const SBOM_FORMAT_IDS = ['cyclonedx', 'cyclonedx-xml', 'spdx-json', 'spdx'];

/** Returns the `--format` writer: a built-in report format or an SBOM format. */
async function reportFormat(flags: ScanFlags): Promise<ReportFormat> {
  const formats = createFormatRegistry();
  if (flags.specVersion !== undefined && !flags.format.startsWith('cyclonedx')) {
    throw new UsageError(`--spec-version applies only to --format cyclonedx and cyclonedx-xml; --format ${flags.format} has one version, so leave the flag out`);
  }
  if (!SBOM_FORMAT_IDS.includes(flags.format)) {
    if (!formats.has(flags.format)) throw new UsageError(`unknown --format "${flags.format}": expected one of ${[...formats.ids(), ...SBOM_FORMAT_IDS].sort().join(', ')}`);
    return formats.get(flags.format);
  }
  const sbom = await import('../sbom/formats.js');
  const options = flags.specVersion === undefined ? {} : { specVersion: flags.specVersion };
  for (const format of [sbom.createCycloneDxFormat(options), sbom.createCycloneDxXmlFormat(options), sbom.spdxJsonFormat, sbom.spdxTagValueFormat]) formats.register(format);
  return formats.get(flags.format);
}

/** Rejects with a TIMEOUT error when the scan runs past `--timeout`. */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BulwarkError('TIMEOUT', `the scan timed out after ${timeoutMs / 1000} s; raise --timeout for large images or slow registries`)), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function loadIgnoreRules(explicit: string | undefined): Promise<IgnoreRules> {
  if (explicit !== undefined) return readIgnoreFile(explicit);
  const rules: IgnoreRules[] = [];
  for (const name of DEFAULT_IGNORE_FILES) rules.push(await readIgnoreFile(name, { missingOk: true }));
  return mergeIgnoreRules(...rules);
}

/**
 * Prints what the user should know on stderr. The DB note is skipped when the table on the terminal
 * already shows it, or when the user turned detection off.
 */
function printWarnings(report: Report, skipDb: boolean, tableOnStdout: boolean): void {
  if (report.db?.message && !skipDb && !tableOnStdout) process.stderr.write(`WARN ${report.db.message}\n`);
  const count = report.errors.length;
  if (count > 0) process.stderr.write(`WARN the report lists ${count} ${count === 1 ? 'problem' : 'problems'} under errors: files or layers that were skipped or only partly read\n`);
}
