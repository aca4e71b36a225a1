import { InputError } from '../../../errors.js';
import { fileOffsetOf, isElf, parseElf, PF_W, PF_X, PT_LOAD, SHT_NOBITS, type ElfFile } from './elf-file.js';
import { parseModInfo, type GoBuildInfo } from './go-modinfo.js';

/**
 * The 14 bytes that start the build information blob that the Go linker writes into binaries
 * (`cmd/link` `buildinfo`, read back by Go's `debug/buildinfo`).
 */
export const GO_BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** The blob starts on a 16-byte boundary and its header is 32 bytes long. */
export const GO_BUILDINFO_ALIGN = 16;
export const GO_BUILDINFO_HEADER_SIZE = 32;
/** Bytes of the data section that Go's `debug/buildinfo` searches for the magic. */
const DATA_SEARCH_SIZE = 64 * 1024;
/** The maximum length of a version or module information string, a cap on hostile length fields. */
export const MAX_BUILDINFO_STRING = 4 * 1024 * 1024;

/** Byte 15 of the header: bit 0 marks big-endian pointers, bit 1 the Go 1.18+ inline strings. */
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE_STRINGS = 2;

/** Returns the layout that a candidate header announces, or undefined when bytes 14-15 are not a header. */
export function headerFormat(header: Buffer): 'inline' | 'pointer' | undefined {
  const pointerSize = header[14];
  const flags = header[15]!;
  if (pointerSize !== 4 && pointerSize !== 8) return undefined;
  if ((flags & ~(FLAG_BIG_ENDIAN | FLAG_INLINE_STRINGS)) !== 0) return undefined;
  return (flags & FLAG_INLINE_STRINGS) !== 0 ? 'inline' : 'pointer';
}

/**
 * Decodes the two uvarint-length-prefixed strings (toolchain version, module information) that
 * follow the 32-byte header in the Go 1.18+ layout. Returns `short` when `blob` ends before the
 * strings do, so a streaming caller can wait for more bytes, and `invalid` for a length that is
 * malformed or above MAX_BUILDINFO_STRING.
 */
export function decodeInlineStrings(blob: Buffer): { goVersion: string; modInfo: Buffer } | 'short' | 'invalid' {
  let at = GO_BUILDINFO_HEADER_SIZE;
  const strings: Buffer[] = [];
  for (let n = 0; n < 2; n++) {
    const length = readUvarint(blob, at);
    if (length === 'short' || length === 'invalid') return length;
    if (length.value > MAX_BUILDINFO_STRING) return 'invalid';
    at = length.next;
    if (at + length.value > blob.length) return 'short';
    strings.push(blob.subarray(at, at + length.value));
    at += length.value;
  }
  return { goVersion: strings[0]!.toString('utf8'), modInfo: strings[1]! };
}

/**
 * Builds the build information from the two raw strings, or returns undefined for a blob that
 * names no toolchain version (Go's `debug/buildinfo` reports "not a Go executable" then).
 * `cmd/go` frames the module information with 16-byte sentinels. Without them the module
 * information is treated as absent, as Go does.
 */
export function buildInfoFromStrings(goVersion: string, modInfo: Buffer): GoBuildInfo | undefined {
  if (goVersion === '') return undefined;
  const framed = modInfo.length >= 33 && modInfo[modInfo.length - 17] === 0x0a;
  const text = framed ? modInfo.subarray(16, modInfo.length - 16).toString('utf8') : '';
  return parseModInfo(goVersion, text);
}

/**
 * Reads the build information of a Go ELF binary held in memory. Returns undefined for a file
 * that is not ELF or carries no Go build information. Throws InputError (FORMAT_INVALID) for an
 * ELF file whose headers or build information blob are corrupt.
 *
 * Like Go's `debug/buildinfo`, it searches the `.go.buildinfo` section, or without one the first
 * writable, non-executable loadable segment, for the magic on a 16-byte boundary. Both the Go
 * 1.18+ inline layout and the older layout of pointers to Go string headers are read, in either
 * byte order and word size.
 */
export function readGoBuildInfo(content: Buffer): GoBuildInfo | undefined {
  if (!isElf(content)) return undefined;
  const elf = parseElf(content);
  const blobOffset = findBlob(content, elf);
  if (blobOffset === undefined) return undefined;

  const blob = content.subarray(blobOffset);
  const format = headerFormat(blob);
  if (format === 'inline') {
    const strings = decodeInlineStrings(blob);
    if (strings === 'short' || strings === 'invalid') throw invalid(`the inline strings after offset ${blobOffset} are ${strings === 'short' ? 'truncated' : 'malformed'}`);
    return buildInfoFromStrings(strings.goVersion, strings.modInfo);
  }
  if (format === 'pointer') {
    const reader = new PointerReader(content, elf, blob[14] as 4 | 8, (blob[15]! & FLAG_BIG_ENDIAN) === 0);
    const goVersion = reader.goString(reader.pointerAt(blobOffset + 16));
    const modInfo = reader.goString(reader.pointerAt(blobOffset + 16 + reader.pointerSize));
    return buildInfoFromStrings(goVersion.toString('utf8'), modInfo);
  }
  throw invalid(`unknown pointer size ${blob[14]} or flags ${blob[15]} in the header at offset ${blobOffset}`);
}

/** Returns the file offset of the first aligned magic in the data area, or undefined. */
function findBlob(content: Buffer, elf: ElfFile): number | undefined {
  const section = elf.sections.find((candidate) => candidate.name === '.go.buildinfo' && candidate.type !== SHT_NOBITS);
  const segment = elf.segments.find((candidate) => candidate.type === PT_LOAD && (candidate.flags & (PF_X | PF_W)) === PF_W);
  const area = section ? { start: section.offset, size: section.size } : segment ? { start: segment.offset, size: segment.fileSize } : undefined;
  if (area === undefined) return undefined;

  const end = Math.min(content.length, area.start + Math.min(area.size, DATA_SEARCH_SIZE));
  let from = area.start;
  while (from + GO_BUILDINFO_HEADER_SIZE <= end) {
    const found = content.indexOf(GO_BUILDINFO_MAGIC, from);
    if (found < 0 || found + GO_BUILDINFO_HEADER_SIZE > end) return undefined;
    if ((found - area.start) % GO_BUILDINFO_ALIGN === 0) return found;
    from = area.start + Math.ceil((found - area.start) / GO_BUILDINFO_ALIGN) * GO_BUILDINFO_ALIGN;
  }
  return undefined;
}

/** Reads pointers and Go string headers (`{data pointer, length}`) at virtual addresses. */
class PointerReader {
  constructor(
    private readonly content: Buffer,
    private readonly elf: ElfFile,
    readonly pointerSize: 4 | 8,
    private readonly littleEndian: boolean,
  ) {}

  /** Reads a pointer stored at a file offset. */
  pointerAt(offset: number): number {
    if (offset + this.pointerSize > this.content.length) throw invalid(`a pointer at offset ${offset} lies beyond the end of the file`);
    if (this.pointerSize === 4) return this.littleEndian ? this.content.readUInt32LE(offset) : this.content.readUInt32BE(offset);
    const value = this.littleEndian ? this.content.readBigUInt64LE(offset) : this.content.readBigUInt64BE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`the pointer at offset ${offset} exceeds 2^53`);
    return Number(value);
  }

  /** Reads the bytes of the Go string whose header is at virtual address `address`. */
  goString(address: number): Buffer {
    const header = this.fileOffset(address, this.pointerSize * 2);
    const data = this.pointerAt(header);
    const length = this.pointerAt(header + this.pointerSize);
    if (length > MAX_BUILDINFO_STRING) throw invalid(`a build information string claims ${length} bytes, above the ${MAX_BUILDINFO_STRING}-byte cap`);
    if (length === 0) return Buffer.alloc(0);
    const start = this.fileOffset(data, length);
    return this.content.subarray(start, start + length);
  }

  private fileOffset(address: number, length: number): number {
    const offset = fileOffsetOf(this.elf, address);
    if (offset === undefined || offset + length > this.content.length) {
      throw invalid(`virtual address 0x${address.toString(16)} is not backed by file data in any loadable segment`);
    }
    return offset;
  }
}

function readUvarint(buffer: Buffer, offset: number): { value: number; next: number } | 'short' | 'invalid' {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    const byte = buffer[offset + i];
    if (byte === undefined) return 'short';
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return Number.isSafeInteger(value) ? { value, next: offset + i + 1 } : 'invalid';
    multiplier *= 128;
  }
  return 'invalid';
}

function invalid(message: string): InputError {
  return new InputError('FORMAT_INVALID', `invalid Go build information: ${message}`);
}
