import Database from 'better-sqlite3';
import { errorMessage } from '../../../errors.js';
import type { RpmdbBlob, RpmdbReadResult } from './format.js';

/**
 * The `Packages` table as rpm 4.16 and later create it. A table of any other shape is rejected,
 * because a hostile file could make `Packages` a view over a recursive query or add generated columns,
 * and reading either could run without end.
 */
const PACKAGES_TABLE = /^CREATE TABLE\s+['"]?Packages['"]?\s*\(\s*hnum INTEGER PRIMARY KEY AUTOINCREMENT\s*,\s*blob BLOB NOT NULL\s*\)$/i;

/** Byte 18 and 19 of the SQLite header: the write and read format versions, 2 for WAL mode. */
const FORMAT_VERSION_OFFSETS = [18, 19] as const;

/**
 * Reads the header blobs from an rpm SQLite database (`rpmdb.sqlite`) held in memory, without a
 * temporary file.
 */
export function readRpmSqlite(content: Buffer): RpmdbReadResult {
  // rpm keeps its database in WAL mode, and SQLite fails to open a WAL-mode image from memory.
  // Marking a copy as a rollback-journal database lets it open. The caller's buffer is unchanged.
  // NOTE: transactions still in a `-wal` file next to the database are not seen, because
  // analyzers get one file. After a clean rpm run the WAL is checkpointed and empty.
  const image = Buffer.from(content);
  for (const offset of FORMAT_VERSION_OFFSETS) if (image[offset] === 2) image[offset] = 1;

  const blobs: RpmdbBlob[] = [];
  const problems: RpmdbReadResult['problems'] = [];
  let database: Database.Database | undefined;
  try {
    database = new Database(image, { readonly: true });
    const schema = database.prepare("SELECT type, sql FROM sqlite_master WHERE name = 'Packages'").get() as { type: string; sql: string | null } | undefined;
    if (schema === undefined) return { blobs: [], problems: [{ code: 'FORMAT_INVALID', message: 'SQLite database has no Packages table, so it is not an rpm database' }] };
    if (schema.type !== 'table' || !PACKAGES_TABLE.test((schema.sql ?? '').trim())) {
      return { blobs: [], problems: [{ code: 'UNSUPPORTED', message: `SQLite Packages ${schema.type} does not have rpm's schema (hnum, blob) and was not read` }] };
    }

    const rows = database.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate() as IterableIterator<{ hnum: number; blob: unknown }>;
    for (const row of rows) {
      if (Buffer.isBuffer(row.blob)) blobs.push({ id: row.hnum, blob: row.blob });
      else problems.push({ code: 'FORMAT_INVALID', message: `SQLite Packages row ${row.hnum}: blob is a ${typeof row.blob}, not a BLOB` });
    }
    return { blobs, problems };
  } catch (error) {
    // Rows read before the error are kept.
    problems.push({ code: 'FORMAT_INVALID', message: `cannot read the SQLite rpm database: ${errorMessage(error)}` });
    return { blobs, problems };
  } finally {
    database?.close();
  }
}
