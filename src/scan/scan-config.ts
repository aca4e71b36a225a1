import type { ConfigFile, ConfigFileResult, ConfigScanner } from '../misconfig/config-scanner.js';
import { EMPTY_SETTINGS, type BulwarkSettings } from '../misconfig/settings.js';
import type { ScanReport, ScanResult } from '../model/report.js';
import { compareText } from './assemble-inventory.js';
import { discoverConfigFiles } from './config-discovery.js';
import type { ScanOutcome } from './scan-image.js';

export interface ConfigScanOptions {
  scanners: readonly ConfigScanner[];
  /** `.bulwark.yaml` settings. Default: none. */
  settings?: BulwarkSettings;
  /** Directory names or relative paths not to enter (`--skip-dirs`). */
  skipDirs?: readonly string[];
  /** Relative file paths not to read (`--skip-files`). */
  skipFiles?: readonly string[];
  /** The largest config file read, in bytes. Default: 4 MiB. */
  maxFileSize?: number;
  /** The maximum number of files one run reads. Default: 100,000. */
  maxFiles?: number;
  /** The content of standard input, for the path `-`. */
  stdin?: Buffer;
}

const DEFAULT_MAX_CONFIG_FILE_SIZE = 4 * 1024 * 1024;
const DEFAULT_MAX_CONFIG_FILES = 100_000;

/** Kubernetes objects start with these keys; anything else read from stdin is taken for a Dockerfile. */
const MANIFEST_SNIFF = /^\s*(apiVersion|kind)\s*:|"(apiVersion|kind)"\s*:/m;

/**
 * Checks config files (Dockerfiles, Kubernetes manifests) under the given paths with every scanner
 * that claims them. Every file a scanner checked has one result, listed even without findings;
 * files that could not be read or parsed are in `errors`.
 */
export async function scanConfig(paths: readonly string[], options: ConfigScanOptions): Promise<ScanOutcome> {
  const settings = options.settings ?? EMPTY_SETTINGS;
  const discovery = await discoverConfigFiles(
    paths.filter((path) => path !== '-'),
    {
      scanners: options.scanners,
      skipDirs: options.skipDirs ?? [],
      skipFiles: options.skipFiles ?? [],
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_CONFIG_FILE_SIZE,
      maxFiles: options.maxFiles ?? DEFAULT_MAX_CONFIG_FILES,
    },
  );
  if (paths.includes('-') && options.stdin !== undefined) {
    const text = options.stdin.subarray(0, 64 * 1024).toString('utf8');
    const scannerId = MANIFEST_SNIFF.test(text) ? 'kubernetes' : 'dockerfile';
    discovery.files.push({ path: '-', content: options.stdin, scanners: options.scanners.filter((scanner) => scanner.id === scannerId) });
  }

  const results: ConfigFileResult[] = [];
  for (const scanner of options.scanners) {
    const files: ConfigFile[] = discovery.files.filter((file) => file.scanners.includes(scanner)).map(({ path, content }) => ({ path, content }));
    if (files.length > 0) results.push(...(await scanner.scan(files, { settings })));
  }

  const report: ScanReport = {
    schemaVersion: 1,
    artifact: { name: paths.join(' '), type: 'config' },
    rules: options.scanners.flatMap((scanner) => scanner.rules()).sort((a, b) => compareText(a.id, b.id)),
    results: results.map(toResult).sort((a, b) => compareText(a.target, b.target) || compareText(a.type, b.type)),
    errors: [...settings.diagnostics, ...discovery.diagnostics, ...results.flatMap((result) => result.diagnostics)].sort(
      (a, b) => compareText(a.target, b.target) || compareText(a.message, b.message),
    ),
  };
  // A named path that does not exist, or a file that could not be read or parsed in full, means the
  // run did not check everything that was asked: a CI gate must not pass on it.
  const checked = new Set([...paths, ...discovery.files.map((file) => file.path), ...discovery.diagnostics.map((diagnostic) => diagnostic.target)]);
  const incomplete = report.errors.some((diagnostic) => UNCHECKED_CODES.has(diagnostic.code) && checked.has(diagnostic.target));
  return { report, incomplete };
}

/** Diagnostic codes that mean part of a config file was not checked. */
const UNCHECKED_CODES = new Set(['FORMAT_INVALID', 'IO', 'NOT_FOUND', 'LIMIT_EXCEEDED']);

function toResult(result: ConfigFileResult): ScanResult {
  const misconfigurations = [...result.misconfigurations].sort(
    (a, b) => (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) || compareText(a.id, b.id) || compareText(a.message, b.message),
  );
  return { target: result.path, class: 'config', type: result.type, misconfigurations };
}
