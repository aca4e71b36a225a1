import { buildReport } from './build-report.js';
import { resolveCacheDir } from './cache-dir.js';
import { detectVulnerabilities, SKIPPED_DB } from './detect-vulnerabilities.js';
import { inventoryDirectory, type DirectoryScanOptions } from './inventory-directory.js';
import type { ScanOutcome } from './scan-image.js';

/**
 * Scans a directory: `rootfs` for an unpacked root filesystem (OS and installed packages), or
 * `filesystem` for a project checkout (lock files and installed package metadata).
 */
export async function scanDirectory(root: string, kind: 'rootfs' | 'filesystem', options: DirectoryScanOptions = {}): Promise<ScanOutcome> {
  options.onProgress?.({ kind: 'phase', phase: 'analyze' });
  const { inventory } = await inventoryDirectory(root, kind, options);

  options.onProgress?.({ kind: 'phase', phase: 'detect' });
  const detection = options.skipVulnerabilities ? undefined : await detectVulnerabilities(inventory, resolveCacheDir(options.cacheDir));
  inventory.diagnostics.push(...(detection?.diagnostics ?? []));

  const report = buildReport({
    artifact: { name: root, type: kind },
    inventory,
    ...(detection?.vulnerabilities ? { vulnerabilities: detection.vulnerabilities } : {}),
    db: detection?.db ?? SKIPPED_DB,
  });
  return { report, incomplete: false };
}
