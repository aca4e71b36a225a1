import { openVulnDb, readMeta } from './store.js';

/** A DB older than this is stale: Trivy and Grype also warn after a few days without an update. */
export const STALE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** One source as recorded at import time. */
export interface SourceStatus {
  name: string;
  kind: string;
  /** The URL or path the data came from. */
  location: string;
  records: number;
  skipped: number;
  importedAt: string;
}

export interface DbStatus {
  path: string;
  schemaVersion: number;
  /** When the DB file was last built, RFC 3339. */
  builtAt: string | undefined;
  /** Milliseconds between `builtAt` and `now`. */
  ageMs: number | undefined;
  /** True when the DB is older than `STALE_AFTER_MS` or has no build time. */
  isStale: boolean;
  sources: SourceStatus[];
  advisoryCount: number;
}

/** Options of `dbStatus`. */
export interface DbStatusOptions {
  /** The time to measure the age against. Default: now. */
  now?: Date;
}

/** Reads the sources, counts and build time of a DB. Throws VulnDbError like `openVulnDb`. */
export function dbStatus(path: string, options: DbStatusOptions = {}): DbStatus {
  const vulnDb = openVulnDb(path);
  try {
    const builtAt = readMeta(vulnDb.db, 'built_at');
    const built = builtAt === undefined ? Number.NaN : Date.parse(builtAt);
    const ageMs = Number.isNaN(built) ? undefined : (options.now ?? new Date()).getTime() - built;
    const sources = vulnDb.db
      .prepare('SELECT name, kind, location, records, skipped, imported_at AS importedAt FROM sources ORDER BY name')
      .all() as SourceStatus[];
    const advisoryCount = vulnDb.db.prepare('SELECT COUNT(*) FROM advisories').pluck().get() as number;
    return {
      path,
      schemaVersion: Number(readMeta(vulnDb.db, 'schema_version')),
      builtAt,
      ageMs,
      isStale: ageMs === undefined || ageMs > STALE_AFTER_MS,
      sources,
      advisoryCount,
    };
  } finally {
    vulnDb.close();
  }
}
