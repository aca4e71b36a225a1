import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError, LimitError } from '../../errors.js';
import { BLOCK_SIZE, isZeroBlock, parseHeaderBlock, parsePaxRecords } from '../tar-header.js';
import { joinLinkTarget, normalizeMemberName } from './tar-names.js';

/** Blobs are read in 1 MiB chunks: fewer, larger reads keep the decompressor busy. */
const READ_CHUNK_SIZE = 1024 * 1024;

export { normalizeMemberName } from './tar-names.js';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One member of a tar archive, located by the byte offset of its data. */
export interface TarEntry {
  /** The member name without a leading `./` or a trailing `/`. */
  name: string;
  type: TarEntryType;
  /** Offset in bytes of the member's first header block (PAX or GNU headers included). */
  headerOffset: number;
  /** Offset in bytes of the member's data. */
  offset: number;
  size: number;
  /** The link target of a symlink or hardlink. */
  linkname?: string;
}

export interface TarIndexOptions {
  /** Maximum number of members. Default: 100,000. */
  maxEntries?: number;
  /** Maximum length in bytes of a member name or link target. Default: 4,096. */
  maxNameLength?: number;
  /** Names the archive in messages when `path` is a temporary copy. Default: the path. */
  label?: string;
  /** Runs after the file is closed, for example to delete a temporary decompressed copy. */
  onClose?: () => Promise<void>;
}

/** Maximum run of PAX or GNU long-name headers before one member. */
const MAX_META_HEADERS = 8;
/** Maximum size of one PAX extended header's data. */
const MAX_PAX_BYTES = 1024 * 1024;
/** Maximum number of symlink or hardlink hops when resolving a member. */
const MAX_LINK_HOPS = 16;

/** Type flags of members without data: hardlink, symlink, character and block device, directory, FIFO. */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * The members of a tar file, read in place: the index stores offsets, and member reads are
 * positional, so nothing is extracted to disk.
 */
export class TarIndex {
  readonly path: string;
  /** Names the archive in messages: the path the user gave, even for a decompressed copy. */
  readonly label: string;
  readonly #handle: FileHandle;
  readonly #entries: Map<string, TarEntry>;
  readonly #onClose: (() => Promise<void>) | undefined;

  constructor(path: string, handle: FileHandle, entries: Map<string, TarEntry>, options: { label?: string; onClose?: () => Promise<void> } = {}) {
    this.path = path;
    this.label = options.label ?? path;
    this.#handle = handle;
    this.#entries = entries;
    this.#onClose = options.onClose;
  }

  /** Returns every member, ordered by offset. */
  entries(): TarEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.offset - b.offset);
  }

  /** Returns the member of that name (a leading `./` is ignored), without following links. */
  get(name: string): TarEntry | undefined {
    const normalized = normalizeMemberName(name);
    return typeof normalized === 'string' ? this.#entries.get(normalized) : undefined;
  }

  /**
   * Returns the regular file that a name leads to, following symlinks (relative to the link's
   * folder) and hardlinks (relative to the archive root) inside the archive. Returns undefined
   * when the name or a link target is absent. Raises an InputError for a link loop, a link out
   * of the archive, or a name that is not a regular file.
   */
  resolve(name: string): TarEntry | undefined {
    let entry = this.get(name);
    for (let hops = 0; entry !== undefined && (entry.type === 'symlink' || entry.type === 'hardlink'); hops++) {
      if (hops >= MAX_LINK_HOPS) {
        throw new InputError('FORMAT_INVALID', `${this.label}: member "${name}" passes more than ${MAX_LINK_HOPS} links (a link loop?)`);
      }
      const target = entry.type === 'symlink' ? joinLinkTarget(entry.name, entry.linkname ?? '') : entry.linkname ?? '';
      const normalized = normalizeMemberName(target);
      if (typeof normalized !== 'string') {
        throw new InputError('FORMAT_INVALID', `${this.label}: member "${entry.name}" links to "${entry.linkname}", which ${normalized.problem}`);
      }
      entry = this.#entries.get(normalized);
    }
    if (entry !== undefined && entry.type !== 'file') {
      throw new InputError('FORMAT_INVALID', `${this.label}: member "${entry.name}" is not a regular file (type ${entry.type})`);
    }
    return entry;
  }

  /** Reads a whole member into memory, after checking its size against `maxBytes`. */
  async read(entry: TarEntry, options: { maxBytes: number; limitName: string }): Promise<Buffer> {
    if (entry.size > options.maxBytes) {
      throw new LimitError(
        `${this.label}: member "${entry.name}" has ${entry.size} bytes, above the ${options.maxBytes}-byte cap; raise ${options.limitName} if the archive is trusted`,
      );
    }
    return this.readRange(entry, entry.size);
  }

  /** Reads up to `length` bytes from the start of a member, for magic-number checks. */
  async readRange(entry: TarEntry, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(Math.min(length, entry.size));
    const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, entry.offset);
    if (bytesRead !== buffer.length) {
      throw new InputError('FORMAT_INVALID', `${this.label}: member "${entry.name}" is truncated (the file shrank after it was indexed)`);
    }
    return buffer;
  }

  /** Opens a stream over the member's bytes, `[offset, offset + size)` of the archive. */
  openStream(entry: TarEntry): Readable {
    if (entry.size === 0) return Readable.from([]);
    return createReadStream(this.path, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: READ_CHUNK_SIZE });
  }

  /** Closes the file and runs the `onClose` hook. */
  async close(): Promise<void> {
    try {
      await this.#handle.close();
    } finally {
      await this.#onClose?.();
    }
  }
}

/**
 * Indexes a tar file by reading its headers and skipping member data, so the cost grows with
 * the member count, not the archive size. Raises an InputError (FORMAT_INVALID) naming the
 * offset for a corrupt or truncated header, an absolute or `..` member name, or a duplicate
 * non-directory member, and a LimitError when a cap is hit.
 */
export async function indexTar(path: string, options: TarIndexOptions = {}): Promise<TarIndex> {
  const maxEntries = options.maxEntries ?? 100_000;
  const maxNameLength = options.maxNameLength ?? 4096;
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const label = options.label ?? path;
    const entries = await readEntries({ label, handle, fileSize, maxEntries, maxNameLength });
    return new TarIndex(path, handle, entries, { label, onClose: options.onClose });
  } catch (error) {
    await handle.close();
    throw error;
  }
}

interface ReadContext {
  label: string;
  handle: FileHandle;
  fileSize: number;
  maxEntries: number;
  maxNameLength: number;
}

async function readEntries(context: ReadContext): Promise<Map<string, TarEntry>> {
  const { label, handle, fileSize, maxEntries, maxNameLength } = context;
  const entries = new Map<string, TarEntry>();
  const block = Buffer.alloc(BLOCK_SIZE);
  const invalid = (offset: number, problem: string): InputError =>
    new InputError('FORMAT_INVALID', `${label}: invalid tar archive at offset ${offset}: ${problem}`);

  let position = 0;
  let pending: { name?: string; linkname?: string; size?: number; headerOffset: number; count: number } | undefined;
  let memberCount = 0;

  for (;;) {
    const { bytesRead } = await handle.read(block, 0, BLOCK_SIZE, position);
    if (bytesRead === 0 && pending === undefined) break;
    if (bytesRead < BLOCK_SIZE) {
      const hint = position === 0 ? describeCompression(block) : '';
      throw invalid(position, `the archive is truncated inside a header (${bytesRead} of ${BLOCK_SIZE} bytes)${hint || '; the file may be incomplete'}`);
    }
    if (isZeroBlock(block)) {
      if (pending !== undefined) throw invalid(position, 'the archive ends after an extended header, before its member');
      // As in Go's archive/tar reader, one zero block followed by a non-zero block is an error,
      // so no members can hide behind an end-of-archive marker.
      const next = await handle.read(block, 0, BLOCK_SIZE, position + BLOCK_SIZE);
      if (next.bytesRead === BLOCK_SIZE && !isZeroBlock(block)) throw invalid(position + BLOCK_SIZE, 'a header follows an end-of-archive block');
      break;
    }

    const parsed = parseHeaderBlock(block);
    if ('problem' in parsed) {
      throw invalid(position, `${parsed.problem}${position === 0 ? describeCompression(block) : ''}`);
    }
    const header = parsed.header;
    const dataOffset = position + BLOCK_SIZE;
    const isMeta = header.typeflag === 'x' || header.typeflag === 'g' || header.typeflag === 'L' || header.typeflag === 'K';
    // Go's archive/tar (isHeaderOnlyType in common.go), which Docker uses, reads no data for
    // links, devices, directories and FIFOs whatever their size field holds. This index does
    // the same, so that a forged size cannot make the two see different members.
    const headerOnly = HEADER_ONLY_TYPES.has(header.typeflag);
    let size = isMeta ? header.size : pending?.size ?? header.size;
    if (headerOnly) size = 0;
    const dataEnd = dataOffset + size;
    if (dataEnd > fileSize) {
      throw invalid(position, `member "${header.name}" declares ${size} bytes but the archive ends after ${fileSize - dataOffset}; the file is truncated`);
    }
    const nextPosition = dataOffset + Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE;

    if (isMeta) {
      const meta = pending ?? { headerOffset: position, count: 0 };
      meta.count++;
      if (meta.count > MAX_META_HEADERS) throw invalid(position, `more than ${MAX_META_HEADERS} extended headers in a row`);
      const cap = header.typeflag === 'x' || header.typeflag === 'g' ? MAX_PAX_BYTES : maxNameLength + 1;
      if (size > cap) throw invalid(position, `an extended header of ${size} bytes is above the ${cap}-byte cap`);
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, dataOffset);
      if (header.typeflag === 'x') {
        const records = parsePaxRecords(data);
        if ('problem' in records) throw invalid(position, `invalid PAX header: ${records.problem}`);
        applyPaxRecords(meta, records, (problem) => invalid(position, problem));
      } else if (header.typeflag === 'L') {
        meta.name = nulTerminated(data);
      } else if (header.typeflag === 'K') {
        meta.linkname = nulTerminated(data);
      }
      // Global PAX headers ('g') set defaults for all later members. A global path or size
      // makes no sense for an image archive, so these headers are read and not applied.
      pending = meta;
      position = nextPosition;
      continue;
    }

    const rawName = pending?.name ?? header.name;
    const linkname = pending?.linkname ?? header.linkname;
    const headerOffset = pending?.headerOffset ?? position;
    pending = undefined;

    if (Buffer.byteLength(rawName) > maxNameLength || Buffer.byteLength(linkname) > maxNameLength) {
      throw new LimitError(`${label}: tar member name at offset ${headerOffset} is longer than ${maxNameLength} bytes; raise maxTarNameLength if the archive is trusted`);
    }
    memberCount++;
    if (memberCount > maxEntries) {
      throw new LimitError(`${label}: the archive has more than ${maxEntries} members; raise maxTarEntries if the archive is trusted`);
    }

    const type = entryType(header.typeflag);
    const name = normalizeMemberName(rawName);
    if (typeof name !== 'string') throw invalid(headerOffset, `member name "${rawName}" ${name.problem}`);
    if (name !== '') {
      const existing = entries.get(name);
      if (existing !== undefined && !(existing.type === 'directory' && type === 'directory')) {
        throw invalid(headerOffset, `member "${name}" appears twice (first at offset ${existing.headerOffset}); tools disagree on which copy wins, so the archive is rejected`);
      }
      const entry: TarEntry = { name, type, headerOffset, offset: dataOffset, size: type === 'file' ? size : 0 };
      if (type === 'symlink' || type === 'hardlink') entry.linkname = linkname;
      entries.set(name, entry);
    }
    position = nextPosition;
  }
  return entries;
}

type PendingMeta = { name?: string; linkname?: string; size?: number };

function applyPaxRecords(meta: PendingMeta, records: Map<string, string>, invalid: (problem: string) => InputError): void {
  const path = records.get('path');
  if (path !== undefined) meta.name = path;
  const linkpath = records.get('linkpath');
  if (linkpath !== undefined) meta.linkname = linkpath;
  const size = records.get('size');
  if (size !== undefined) {
    const value = /^[0-9]{1,16}$/.test(size) ? Number(size) : NaN;
    if (!Number.isSafeInteger(value)) throw invalid(`invalid PAX size "${size}"`);
    meta.size = value;
  }
}

function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case '0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

function nulTerminated(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.subarray(0, nul < 0 ? data.length : nul).toString('utf8');
}

function describeCompression(block: Buffer): string {
  if (block.subarray(0, 2).equals(GZIP_MAGIC)) return ' (the file is gzip-compressed, not a plain tar)';
  if (block.subarray(0, 4).equals(ZSTD_MAGIC)) return ' (the file is zstd-compressed, not a plain tar)';
  return '';
}
