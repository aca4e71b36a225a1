import { existsSync } from 'node:fs';

import { openImage, parseImageTarget } from '../artifact/sources/open-image.js';
import type { ImageSource } from '../artifact/source.js';
import { InputError, UsageError } from '../errors.js';
import { EMPTY_SETTINGS } from '../misconfig/settings.js';
import type { ScanReport } from '../model/report.js';
import { buildReport } from './build-report.js';
import { resolveCacheDir } from './cache-dir.js';
import { detectVulnerabilities, SKIPPED_DB } from './detect-vulnerabilities.js';
import { describeImageConfig } from './image-config-facts.js';
import { inventoryImage } from './inventory-image.js';
import type { ImageScanOptions } from './scan-options.js';

/** Targets that name a file rather than a registry image: a path prefix or an archive suffix. */
const LOOKS_LIKE_PATH = /^(\.{0,2}\/|~)|\.(tar|tgz|tar\.gz|tar\.zst)$/;

/** The result of a scan: the report, and whether some input could not be read at all. */
export interface ScanOutcome {
  report: ScanReport;
  /** True when a layer or the whole target could not be read, so results may be missing. */
  incomplete: boolean;
}

/**
 * Opens an image by reference: a local archive or layout when the target names an existing path or
 * carries a transport prefix (`docker-archive:`, `oci:`, `oci-archive:`), else a registry
 * reference (`host[:port]/repo:tag` or `@sha256:…`).
 */
export async function openImageTarget(target: string, options: ImageScanOptions): Promise<ImageSource> {
  const cacheDir = resolveCacheDir(options.cacheDir);
  const parsed = await parseImageTarget(target);
  if (parsed.kind !== undefined || existsSync(parsed.path)) {
    return openImage(target, { cacheDir, ...(options.platform ? { platform: options.platform } : {}) });
  }
  if (LOOKS_LIKE_PATH.test(target)) {
    throw new InputError('NOT_FOUND', `${target}: no such file or directory; give an existing archive or layout, or a registry reference such as registry.example.com/app:1`);
  }
  if (options.offline) {
    throw new UsageError(`${target} is not a local archive or layout, and --offline forbids pulling it from a registry; give a path, or drop --offline`);
  }
  const { openRegistryImage } = await import('../registry/registry-source.js');
  return openRegistryImage(target, {
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.username !== undefined && options.password !== undefined ? { credentials: { username: options.username, password: options.password } } : {}),
  });
}

/**
 * Returns `registry/repository@digest` of an image pulled from a registry, in the form of the
 * RepoDigests that `docker inspect` lists.
 */
async function repoDigestsOf(source: ImageSource): Promise<{ repoDigests?: string[] }> {
  if (source.type !== 'registry' || source.manifestDigest === undefined) return {};
  const { parseReference } = await import('../registry/reference.js');
  const reference = parseReference(source.name);
  // NOTE: for a multi-platform image this is the digest of the manifest that the scan read, which
  // may be the platform's manifest rather than the index digest that Docker records.
  return { repoDigests: [`${reference.registry}/${reference.repository}@${source.manifestDigest}`] };
}

/** Scans an image for vulnerable packages: open, inventory, detect, report. */
export async function scanImage(target: string, options: ImageScanOptions = {}): Promise<ScanOutcome> {
  options.onProgress?.({ kind: 'phase', phase: 'open' });
  const source = await openImageTarget(target, options);
  try {
    options.onProgress?.({ kind: 'phase', phase: 'analyze' });
    const { inventory, view, layers, incomplete } = await inventoryImage(source, options);

    options.onProgress?.({ kind: 'phase', phase: 'detect' });
    const detection = options.skipVulnerabilities ? undefined : await detectVulnerabilities(inventory, resolveCacheDir(options.cacheDir));
    inventory.diagnostics.push(...(detection?.diagnostics ?? []));

    const report = buildReport({
      artifact: {
        name: target,
        type: 'container-image',
        digest: source.manifestDigest ?? source.configDigest,
        imageId: source.configDigest,
        repoTags: [...source.repoTags].sort(),
        layers: source.layers.map((layer) => ({ digest: layer.digest, diffId: layer.diffId, ...(layer.size !== undefined ? { size: layer.size } : {}) })),
        ...(await repoDigestsOf(source)),
        imageConfig: describeImageConfig(source.config),
      },
      inventory,
      ...(detection?.vulnerabilities ? { vulnerabilities: detection.vulnerabilities } : {}),
      db: detection?.db ?? SKIPPED_DB,
    });

    if (options.checkImageConfig !== false) {
      const { checkImage, imageConfigRules, viewEntries } = await import('../misconfig/imageconfig/index.js');
      const checked = checkImage({
        name: target,
        config: source.config,
        entries: viewEntries(view),
        layerDiffIds: source.layers.map((layer) => layer.diffId),
        inventory,
        layers,
        settings: options.settings ?? EMPTY_SETTINGS,
      });
      report.results.push({ target: `${target} (image config)`, class: 'config', type: 'imageconfig', misconfigurations: checked.misconfigurations });
      report.errors.push(...checked.diagnostics);
      report.rules = imageConfigRules();
    }
    return { report, incomplete };
  } finally {
    await source.close();
  }
}
