import { open, stat } from 'node:fs/promises';

import { errorMessage, InputError, LimitError } from '../errors.js';
import { buildReport } from '../scan/build-report.js';
import { resolveCacheDir } from '../scan/cache-dir.js';
import { detectVulnerabilities, SKIPPED_DB } from '../scan/detect-vulnerabilities.js';
import type { ScanOutcome } from '../scan/scan-image.js';
import type { ScanOptions } from '../scan/scan-options.js';
import { DEFAULT_SBOM_LIMITS, readSbom, type SbomReadLimits } from './read-sbom.js';

export interface SbomScanOptions extends ScanOptions {
  /** Caps on the SBOM file. Default: `DEFAULT_SBOM_LIMITS`. */
  sbomLimits?: Partial<SbomReadLimits>;
  /** A stream to read the SBOM from, such as standard input; `path` then only names it in messages. */
  input?: AsyncIterable<Buffer>;
}

/**
 * Scans the packages an SBOM lists against the vulnerability DB, like `trivy sbom`: the report's
 * artifact is the SBOM file, typed as the container image or directory that the SBOM describes.
 */
export async function scanSbom(path: string, options: SbomScanOptions = {}): Promise<ScanOutcome> {
  const limits = { ...DEFAULT_SBOM_LIMITS, ...options.sbomLimits };
  const content = options.input === undefined ? await readSbomFile(path, limits.maxBytes) : await readCapped(path, options.input, limits.maxBytes);

  options.onProgress?.({ kind: 'phase', phase: 'analyze' });
  const sbom = readSbom(content, { source: path, limits });
  const inventory = { packageSets: sbom.packageSets, diagnostics: sbom.diagnostics, ...(sbom.os ? { os: sbom.os } : {}) };

  options.onProgress?.({ kind: 'phase', phase: 'detect' });
  const detection = options.skipVulnerabilities ? undefined : await detectVulnerabilities(inventory, resolveCacheDir(options.cacheDir));
  inventory.diagnostics.push(...(detection?.diagnostics ?? []));

  const report = buildReport({
    artifact: { name: path, type: sbom.isContainer ? 'container-image' : 'filesystem' },
    inventory,
    ...(detection?.vulnerabilities ? { vulnerabilities: detection.vulnerabilities } : {}),
    db: detection?.db ?? SKIPPED_DB,
  });
  return { report, incomplete: false };
}

/**
 * Reads an SBOM file, but no more than `maxBytes`. The size from stat does not bound the read,
 * because devices and pipes (`bulwark sbom <(syft …)`) report size 0 and a file may grow after stat.
 */
async function readSbomFile(path: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(path).catch((error: unknown) => {
    throw new InputError(isMissing(error) ? 'NOT_FOUND' : 'IO', `cannot read the SBOM ${path}: ${errorMessage(error)}`, { cause: error });
  });
  if (info.size > maxBytes) throw new LimitError(`${path} is ${info.size} bytes, more than the ${maxBytes}-byte SBOM limit; raise it with --max-sbom-size`);

  const file = await open(path, 'r').catch((error: unknown) => {
    throw new InputError('IO', `cannot read the SBOM ${path}: ${errorMessage(error)}`, { cause: error });
  });
  try {
    return await readCapped(path, file.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>, maxBytes);
  } finally {
    await file.close();
  }
}

/** Reads a stream to its end, but no more than `maxBytes`; `name` names the input in errors. */
async function readCapped(name: string, input: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of input) {
      total += chunk.length;
      if (total > maxBytes) throw new LimitError(`${name} is more than the ${maxBytes}-byte SBOM limit; raise it with --max-sbom-size`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof LimitError) throw error;
    throw new InputError('IO', `cannot read the SBOM ${name}: ${errorMessage(error)}`, { cause: error });
  }
  return Buffer.concat(chunks, total);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
