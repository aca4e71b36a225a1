import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { VulnDbError, errorMessage } from '../errors.js';
import { configureForWriting, createPackageIndex, createVulnDb, dropPackageIndex, openVulnDb, writeMeta } from './store.js';
import type { VulnDb } from './store.js';

/** Options of `buildDbAtomically`. */
export interface AtomicBuildOptions {
  /** Start from a copy of the current DB (`merge`) or from an empty one (`replace`). */
  mode: 'merge' | 'replace';
  /** The build time to record. Default: now. */
  now?: Date;
}

/**
 * Builds a new DB in a temporary file next to `dbPath`, then renames it over `dbPath`. The rename
 * is atomic on one file system, so readers see the old DB or the new one, never a partial one.
 * When `build` throws, the temporary file is deleted and the old DB stays as it was.
 * In `merge` mode a current DB of another schema version is not copied: the build starts empty.
 */
export async function buildDbAtomically<T>(dbPath: string, options: AtomicBuildOptions, build: (db: Database.Database) => Promise<T>): Promise<T> {
  mkdirSync(dirname(dbPath), { recursive: true });
  removeAbandonedBuilds(dbPath);
  const temporaryPath = join(dirname(dbPath), `.${basename(dbPath)}.${process.pid}.${randomUUID()}.tmp`);

  let target: VulnDb;
  try {
    target = options.mode === 'merge' && canMerge(dbPath) ? openCopy(dbPath, temporaryPath) : createVulnDb(temporaryPath);
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw new VulnDbError(`cannot create a temporary DB in ${dirname(dbPath)}: ${errorMessage(error)}`, { cause: error });
  }

  try {
    target.db.exec('BEGIN');
    dropPackageIndex(target.db);
    const result = await build(target.db);
    createPackageIndex(target.db);
    writeMeta(target.db, 'built_at', (options.now ?? new Date()).toISOString());
    target.db.exec('COMMIT');
    target.close();
    renameSync(temporaryPath, dbPath);
    return result;
  } catch (error) {
    if (target.db.open) target.close();
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}

/**
 * Deletes the temporary files of builds whose process is gone (killed with SIGKILL or Ctrl-C before
 * its cleanup ran). The process id in the file name tells a live build from an abandoned one.
 */
function removeAbandonedBuilds(dbPath: string): void {
  const prefix = `.${basename(dbPath)}.`;
  for (const name of readdirSync(dirname(dbPath))) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f-]+\.tmp(-journal)?$/.exec(name.slice(prefix.length)) : null;
    if (match === null || isAlive(Number(match[1]))) continue;
    rmSync(join(dirname(dbPath), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canMerge(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  try {
    openVulnDb(dbPath).close();
    return true;
  } catch (error) {
    // An unreadable DB or one of another schema version is replaced, not merged.
    if (error instanceof VulnDbError) return false;
    throw error;
  }
}

function openCopy(dbPath: string, temporaryPath: string): VulnDb {
  copyFileSync(dbPath, temporaryPath);
  const copy = openVulnDb(temporaryPath, { writable: true });
  configureForWriting(copy.db);
  return copy;
}
