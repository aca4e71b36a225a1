import { join } from 'node:path';
import { existsSync } from 'node:fs';

import type { Diagnostic } from '../model/diagnostic.js';
import type { ScanReport } from '../model/report.js';
import type { Inventory } from './assemble-inventory.js';
import { packageSetKey, type VulnerabilitiesBySet } from './build-report.js';

export interface Detection {
  vulnerabilities?: VulnerabilitiesBySet;
  db: NonNullable<ScanReport['db']>;
  diagnostics: Diagnostic[];
}

/** The file name of the vulnerability DB in the cache directory; `vulndb/store.ts` uses the same. */
const DB_FILE_NAME = 'vulndb.sqlite';

/** The DB note of a scan that skipped detection on purpose, so reports list packages instead. */
export const SKIPPED_DB: NonNullable<ScanReport['db']> = {
  status: 'missing',
  message: 'vulnerability detection was skipped, so only packages are listed',
};

/** Returns the path of the vulnerability DB inside a cache directory. */
export function vulnDbPath(cacheDir: string): string {
  return join(cacheDir, DB_FILE_NAME);
}

/**
 * Matches an inventory against the vulnerability DB in the cache directory. Without a DB the scan
 * still returns its packages, and the report says how to get one.
 */
export async function detectVulnerabilities(inventory: Inventory, cacheDir: string, now = new Date()): Promise<Detection> {
  const path = vulnDbPath(cacheDir);
  if (!existsSync(path)) {
    return {
      db: {
        status: 'missing',
        message: `no vulnerability DB at ${path}, so packages are listed without vulnerabilities; run \`bulwark db update\` to download one, or \`bulwark db import <files>\` on an air-gapped machine`,
      },
      diagnostics: [],
    };
  }

  // The DB code and SQLite load only when there is a DB to read.
  const [{ dbStatus }, { openVulnDb }, { matchPackages }] = await Promise.all([
    import('../vulndb/status.js'),
    import('../vulndb/store.js'),
    import('../vulndb/matcher.js'),
  ]);
  const status = dbStatus(path, { now });
  const vulnDb = openVulnDb(path);
  try {
    const matches = matchPackages(vulnDb, { ...(inventory.os ? { os: inventory.os } : {}), packageSets: inventory.packageSets });
    const vulnerabilities: VulnerabilitiesBySet = new Map();
    for (const result of matches.results) vulnerabilities.set(packageSetKey(result), result.vulnerabilities);

    const db: Detection['db'] = { status: status.isStale ? 'stale' : 'ok' };
    if (status.builtAt) db.builtAt = status.builtAt;
    if (status.isStale) {
      const days = status.ageMs === undefined ? 'an unknown number of' : Math.floor(status.ageMs / 86_400_000);
      db.message = `the vulnerability DB is ${days} days old, so recent advisories are missing; run \`bulwark db update\``;
    }
    return { vulnerabilities, db, diagnostics: matches.diagnostics };
  } finally {
    vulnDb.close();
  }
}
