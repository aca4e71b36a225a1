import { InputError, LimitError } from '../../../errors.js';

/** The facts of one installed package, read from its rpm header. */
export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  /** Absent when the package has no epoch, which rpm compares as 0. */
  epoch?: number;
  arch?: string;
  /** The source package file name (`bash-5.1.8-6.el9.src.rpm`). */
  sourceRpm?: string;
  /** The module stream the package came from (`nodejs:18:8080020230920:ad008a3a`). */
  modularityLabel?: string;
  license?: string;
  vendor?: string;
  summary?: string;
  /** The installed size in bytes: LONGSIZE where present, else SIZE. */
  size?: number;
  /** The algorithm of the file digests (`md5`, `sha256`), for SBOM file hashes. */
  fileDigestAlgorithm?: string;
  /** The SHA-256 of the immutable header, in hex, when the package was built with one. */
  sha256Header?: string;
}

/** Header tags, from rpm's `rpmtag.h`. */
const TAG = {
  SHA256HEADER: 273,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  LONGSIZE: 5009,
  FILEDIGESTALGO: 5011,
  MODULARITYLABEL: 5096,
} as const;

/** Data types of header entries. */
const TYPE = { INT16: 3, INT32: 4, INT64: 5, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;
const MAX_TYPE = 9;
const INTEGER_WIDTHS: Record<number, number> = { [TYPE.INT16]: 2, [TYPE.INT32]: 4, [TYPE.INT64]: 8 };

/** OpenPGP hash algorithm ids (RFC 4880, section 9.4) that FILEDIGESTALGO uses. */
const DIGEST_ALGORITHMS: Record<number, string> = { 1: 'md5', 2: 'sha1', 8: 'sha256', 9: 'sha384', 10: 'sha512', 11: 'sha224' };

/** The largest index entry count accepted. Real headers have a few hundred entries at most. */
export const MAX_HEADER_ENTRIES = 0xffff;
/** The largest data section accepted, in bytes. */
export const MAX_HEADER_DATA = 256 * 1024 * 1024;

const ENTRY_SIZE = 16;
const PREAMBLE_SIZE = 8;

interface Entry {
  type: number;
  offset: number;
  count: number;
}

/**
 * Parses a header blob as rpm stores it in its database: a big-endian entry count and data size,
 * the 16-byte index entries (tag, type, offset, count), then the data. Every count and offset is
 * checked against the blob before use. Throws an InputError (FORMAT_INVALID) for a malformed
 * blob and a LimitError when a count passes the caps above.
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < PREAMBLE_SIZE) throw new InputError('FORMAT_INVALID', `rpm header is ${bytes.length} bytes, shorter than its 8-byte preamble`);

  const entryCount = bytes.readUInt32BE(0);
  const dataSize = bytes.readUInt32BE(4);
  if (entryCount === 0) throw new InputError('FORMAT_INVALID', 'rpm header has no index entries');
  if (entryCount > MAX_HEADER_ENTRIES) throw new LimitError(`rpm header has ${entryCount} index entries, more than the limit of ${MAX_HEADER_ENTRIES}`);
  if (dataSize > MAX_HEADER_DATA) throw new LimitError(`rpm header data is ${dataSize} bytes, more than the limit of ${MAX_HEADER_DATA}`);

  const dataStart = PREAMBLE_SIZE + entryCount * ENTRY_SIZE;
  if (dataStart + dataSize > bytes.length) {
    throw new InputError('FORMAT_INVALID', `rpm header declares ${entryCount} entries and ${dataSize} data bytes, but the blob has only ${bytes.length} bytes`);
  }

  // Later entries win, so an entry added after the immutable region replaces the original.
  const entries = new Map<number, Entry>();
  for (let index = 0; index < entryCount; index++) {
    const at = PREAMBLE_SIZE + index * ENTRY_SIZE;
    entries.set(bytes.readInt32BE(at), { type: bytes.readUInt32BE(at + 4), offset: bytes.readInt32BE(at + 8), count: bytes.readUInt32BE(at + 12) });
  }

  const reader = new EntryReader(bytes.subarray(dataStart, dataStart + dataSize), entries);
  const name = reader.string(TAG.NAME);
  const version = reader.string(TAG.VERSION);
  const release = reader.string(TAG.RELEASE);
  if (name === undefined || version === undefined || release === undefined) {
    throw new InputError('FORMAT_INVALID', 'rpm header lacks NAME, VERSION or RELEASE');
  }

  const header: RpmHeader = { name, version, release };
  const optional = {
    epoch: reader.integer(TAG.EPOCH),
    arch: reader.string(TAG.ARCH),
    sourceRpm: reader.string(TAG.SOURCERPM),
    modularityLabel: reader.string(TAG.MODULARITYLABEL),
    license: reader.string(TAG.LICENSE),
    vendor: reader.string(TAG.VENDOR),
    summary: reader.string(TAG.SUMMARY),
    size: reader.integer(TAG.LONGSIZE) ?? reader.integer(TAG.SIZE),
    sha256Header: reader.string(TAG.SHA256HEADER),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== '') Object.assign(header, { [key]: value });
  }

  // Packages without FILEDIGESTALGO have MD5 file digests, rpm's original default.
  const algorithm = reader.integer(TAG.FILEDIGESTALGO) ?? 1;
  header.fileDigestAlgorithm = DIGEST_ALGORITHMS[algorithm] ?? `unknown-${algorithm}`;
  return header;
}

/** Reads typed values out of the data section, checking each entry's bounds first. */
class EntryReader {
  readonly #data: Buffer;
  readonly #entries: Map<number, Entry>;

  constructor(data: Buffer, entries: Map<number, Entry>) {
    this.#data = data;
    this.#entries = entries;
  }

  /** Returns the first string of a STRING, STRING_ARRAY or I18NSTRING entry. */
  string(tag: number): string | undefined {
    const entry = this.#entry(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE.STRING && entry.type !== TYPE.STRING_ARRAY && entry.type !== TYPE.I18NSTRING) {
      throw new InputError('FORMAT_INVALID', `rpm header tag ${tag} has type ${entry.type}, expected a string type`);
    }
    const end = this.#data.indexOf(0, entry.offset);
    if (end === -1) throw new InputError('FORMAT_INVALID', `rpm header tag ${tag}: string at offset ${entry.offset} has no terminating NUL`);
    return this.#data.toString('utf8', entry.offset, end);
  }

  /** Returns the first value of an INT16, INT32 or INT64 entry. */
  integer(tag: number): number | undefined {
    const entry = this.#entry(tag);
    if (entry === undefined) return undefined;
    const width = INTEGER_WIDTHS[entry.type];
    if (width === undefined) throw new InputError('FORMAT_INVALID', `rpm header tag ${tag} has type ${entry.type}, expected an integer type`);
    if (entry.offset + width > this.#data.length) {
      throw new InputError('FORMAT_INVALID', `rpm header tag ${tag}: value at offset ${entry.offset} runs past the ${this.#data.length}-byte data section`);
    }
    if (width === 2) return this.#data.readUInt16BE(entry.offset);
    if (width === 4) return this.#data.readUInt32BE(entry.offset);
    return Number(this.#data.readBigUInt64BE(entry.offset));
  }

  #entry(tag: number): Entry | undefined {
    const entry = this.#entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type > MAX_TYPE || entry.count === 0 || entry.offset < 0 || entry.offset >= this.#data.length) {
      throw new InputError('FORMAT_INVALID', `rpm header tag ${tag} has an invalid entry (type ${entry.type}, offset ${entry.offset}, count ${entry.count}) for a ${this.#data.length}-byte data section`);
    }
    return entry;
  }
}
