import type { ErrorCode } from '../../../errors.js';

/** The storage formats of the rpm database. */
export type RpmdbFormat = 'sqlite' | 'bdb' | 'ndb';

/** One header blob read from the database, with the key the database stores it under. */
export interface RpmdbBlob {
  /** The header number: the SQLite `hnum`, the BerkeleyDB key or the NDB package index. */
  id: number;
  blob: Uint8Array;
}

/** A problem that made a reader skip part of the database. */
export interface RpmdbProblem {
  code: ErrorCode;
  message: string;
}

/** The output of a database reader: every blob it read, and the problems that made it skip data. */
export interface RpmdbReadResult {
  blobs: RpmdbBlob[];
  problems: RpmdbProblem[];
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const NDB_MAGIC = Buffer.from('RpmP', 'latin1');
/** The BerkeleyDB hash magic number, stored at byte 12 of the metadata page in either byte order. */
export const BDB_HASH_MAGIC = 0x061561;

/** Detects the format from the first bytes, so a file in an unexpected place is still read right. */
export function detectRpmdbFormat(content: Buffer): RpmdbFormat | undefined {
  if (content.length >= SQLITE_MAGIC.length && content.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return 'sqlite';
  if (content.length >= NDB_MAGIC.length && content.subarray(0, NDB_MAGIC.length).equals(NDB_MAGIC)) return 'ndb';
  if (content.length >= 16 && (content.readUInt32LE(12) === BDB_HASH_MAGIC || content.readUInt32BE(12) === BDB_HASH_MAGIC)) return 'bdb';
  return undefined;
}
