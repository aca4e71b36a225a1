import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

import { VulnDbError, errorMessage } from '../errors.js';

/**
 * The schema version of the vulnerability DB. Bump it whenever a table or the meaning of a
 * column changes: `openVulnDb` rejects a file of any other version instead of misreading it.
 */
export const SCHEMA_VERSION = 1;

/** The file name of the DB inside the cache directory. */
export const DB_FILE_NAME = 'vulndb.sqlite';

// `affected.ranges` contains a JSON array of ranges, each an array of OSV-style events
// (`{introduced}`, `{fixed}`, `{last_affected}`, `{limit}`). `affected.versions` contains a JSON
// array of exact affected versions or NULL. `affected.status` is `affected` for a row that can
// match and `not-affected` for a row that records that no version is affected (secdb `"0"`,
// Wolfi false positives), which never matches.
/**
 * The lookup index of the matcher. Builds drop it and create it again once all rows are in,
 * which is several times faster than updating it on every insert.
 */
const PACKAGE_INDEX_SQL = 'CREATE INDEX affected_by_package ON affected (ecosystem, name);';

const SCHEMA_SQL = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  location TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL
);
CREATE TABLE advisories (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  advisory_id TEXT NOT NULL,
  aliases TEXT NOT NULL,
  related TEXT NOT NULL,
  title TEXT,
  description TEXT,
  severity TEXT,
  severity_source TEXT,
  cvss TEXT,
  refs TEXT NOT NULL,
  published TEXT,
  modified TEXT,
  withdrawn TEXT,
  informational TEXT,
  UNIQUE (source_id, advisory_id)
);
CREATE TABLE affected (
  advisory INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  ranges TEXT NOT NULL,
  versions TEXT,
  status TEXT NOT NULL,
  severity TEXT
);
CREATE INDEX affected_by_advisory ON affected (advisory);
${PACKAGE_INDEX_SQL}
`;

/** Options of `openVulnDb`. */
export interface OpenVulnDbOptions {
  /** Open for writing. Default: false, so that a scan can never change the DB. */
  writable?: boolean;
}

/** An open vulnerability DB. Close it when done, because better-sqlite3 keeps a file descriptor open. */
export interface VulnDb {
  readonly path: string;
  readonly db: Database.Database;
  close(): void;
}

/**
 * Opens an existing DB and checks its schema version. Throws VulnDbError when the file is
 * missing, is not SQLite, or has another schema version, with the command that fixes it.
 */
export function openVulnDb(path: string, options: OpenVulnDbOptions = {}): VulnDb {
  if (!existsSync(path)) {
    throw new VulnDbError(`vulnerability DB not found at ${path}; run \`bulwark db update\` or \`bulwark db import\``);
  }

  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.writable !== true, fileMustExist: true });
  } catch (error) {
    throw new VulnDbError(`cannot open vulnerability DB ${path}: ${errorMessage(error)}`, { cause: error });
  }

  try {
    const version = readSchemaVersion(db);
    if (version !== SCHEMA_VERSION) {
      throw new VulnDbError(
        `vulnerability DB ${path} has schema version ${version ?? 'none'}, expected ${SCHEMA_VERSION}; ` +
          'run `bulwark db update` or `bulwark db import` to rebuild it',
      );
    }
  } catch (error) {
    db.close();
    if (error instanceof VulnDbError) throw error;
    throw new VulnDbError(`vulnerability DB ${path} is corrupt or not a Bulwark DB: ${errorMessage(error)}; run \`bulwark db update\``, {
      cause: error,
    });
  }

  return { path, db, close: () => db.close() };
}

/** Creates an empty DB file with the current schema, or opens one for writing. */
export function createVulnDb(path: string): VulnDb {
  const db = new Database(path);
  configureForWriting(db);
  db.exec(SCHEMA_SQL);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  return { path, db, close: () => db.close() };
}

/** Sets the pragmas of a DB that is being written. */
export function configureForWriting(db: Database.Database): void {
  // One file without -wal/-shm companions, so that a rename publishes the whole DB.
  db.pragma('journal_mode = DELETE');
  db.pragma('foreign_keys = ON');
  // The file is a temporary copy until it is renamed over the DB, so a crash only loses the copy.
  db.pragma('synchronous = OFF');
  // 64 MiB of page cache keeps the indexes of a full import in memory while rows go in.
  db.pragma('cache_size = -65536');
}

/** Drops the matcher's lookup index before a bulk insert; `createPackageIndex` restores it. */
export function dropPackageIndex(db: Database.Database): void {
  db.exec('DROP INDEX IF EXISTS affected_by_package');
}

export function createPackageIndex(db: Database.Database): void {
  db.exec(PACKAGE_INDEX_SQL.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
}

/** Returns a value of the meta table, or undefined. */
export function readMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Inserts or replaces a value of the meta table. */
export function writeMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

function readSchemaVersion(db: Database.Database): number | undefined {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (table === undefined) return undefined;
  const value = readMeta(db, 'schema_version');
  return value === undefined ? undefined : Number(value);
}
