import { InputError } from '../../../errors.js';

/** One section header of an ELF file, with the fields that locating data needs. */
export interface ElfSection {
  name: string;
  type: number;
  /** The virtual address of the section when loaded. */
  address: number;
  /** The file offset of the section's bytes. */
  offset: number;
  size: number;
}

/** One program header (segment) of an ELF file. */
export interface ElfSegment {
  type: number;
  /** The `PF_X`, `PF_W`, `PF_R` permission bits. */
  flags: number;
  offset: number;
  virtualAddress: number;
  fileSize: number;
  memorySize: number;
}

/** The headers of an ELF file: word size, byte order, sections and segments. */
export interface ElfFile {
  bits: 32 | 64;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
}

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
/** The section type of `.bss`-like sections that occupy no bytes in the file. */
export const SHT_NOBITS = 8;

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** True when the buffer starts with the ELF magic `\x7fELF`. */
export function isElf(content: Buffer): boolean {
  return content.length >= 4 && content.subarray(0, 4).equals(ELF_MAGIC);
}

/**
 * Parses the ELF header, the program headers and the section headers, with section names
 * resolved through the section name string table. Throws InputError with code FORMAT_INVALID
 * when a header or table lies outside the file or the identification bytes are unknown.
 */
export function parseElf(content: Buffer): ElfFile {
  if (!isElf(content) || content.length < 52) throw invalid('the file is shorter than an ELF header or lacks the \\x7fELF magic');
  const elfClass = content[4];
  const elfData = content[5];
  if (elfClass !== 1 && elfClass !== 2) throw invalid(`unknown EI_CLASS ${elfClass}, expected 1 (32-bit) or 2 (64-bit)`);
  if (elfData !== 1 && elfData !== 2) throw invalid(`unknown EI_DATA ${elfData}, expected 1 (little endian) or 2 (big endian)`);

  const reader = new ElfReader(content, elfData === 1);
  const is64 = elfClass === 2;
  const segmentTable = is64
    ? { offset: reader.word(0x20, 8), entrySize: reader.word(0x36, 2), count: reader.word(0x38, 2) }
    : { offset: reader.word(0x1c, 4), entrySize: reader.word(0x2a, 2), count: reader.word(0x2c, 2) };
  const sectionTable = is64
    ? { offset: reader.word(0x28, 8), entrySize: reader.word(0x3a, 2), count: reader.word(0x3c, 2), names: reader.word(0x3e, 2) }
    : { offset: reader.word(0x20, 4), entrySize: reader.word(0x2e, 2), count: reader.word(0x30, 2), names: reader.word(0x32, 2) };

  const segments: ElfSegment[] = [];
  for (let i = 0; i < segmentTable.count; i++) {
    const at = segmentTable.offset + i * segmentTable.entrySize;
    segments.push(
      is64
        ? {
            type: reader.word(at, 4),
            flags: reader.word(at + 4, 4),
            offset: reader.word(at + 8, 8),
            virtualAddress: reader.word(at + 16, 8),
            fileSize: reader.word(at + 32, 8),
            memorySize: reader.word(at + 40, 8),
          }
        : {
            type: reader.word(at, 4),
            offset: reader.word(at + 4, 4),
            virtualAddress: reader.word(at + 8, 4),
            fileSize: reader.word(at + 16, 4),
            memorySize: reader.word(at + 20, 4),
            flags: reader.word(at + 24, 4),
          },
    );
  }

  const rawSections: Array<ElfSection & { nameOffset: number }> = [];
  for (let i = 0; i < sectionTable.count; i++) {
    const at = sectionTable.offset + i * sectionTable.entrySize;
    rawSections.push({
      nameOffset: reader.word(at, 4),
      type: reader.word(at + 4, 4),
      address: is64 ? reader.word(at + 16, 8) : reader.word(at + 12, 4),
      offset: is64 ? reader.word(at + 24, 8) : reader.word(at + 16, 4),
      size: is64 ? reader.word(at + 32, 8) : reader.word(at + 20, 4),
      name: '',
    });
  }

  const names = rawSections[sectionTable.names];
  const sections = rawSections.map(({ nameOffset, ...section }) => ({
    ...section,
    name: names === undefined || names.type === SHT_NOBITS ? '' : reader.cString(names.offset + nameOffset, names.offset + names.size),
  }));
  return { bits: is64 ? 64 : 32, littleEndian: elfData === 1, sections, segments };
}

/**
 * Returns the file offset of a virtual address inside a loaded segment's file bytes, or
 * undefined when no segment maps the address to file content.
 */
export function fileOffsetOf(elf: ElfFile, address: number): number | undefined {
  for (const segment of elf.segments) {
    if (segment.type !== PT_LOAD) continue;
    if (address >= segment.virtualAddress && address < segment.virtualAddress + segment.fileSize) {
      return segment.offset + (address - segment.virtualAddress);
    }
  }
  return undefined;
}

/** Bounds-checked reads of unsigned header fields in the file's byte order. */
class ElfReader {
  constructor(
    private readonly content: Buffer,
    private readonly littleEndian: boolean,
  ) {}

  word(offset: number, size: 2 | 4 | 8): number {
    if (offset < 0 || offset + size > this.content.length) {
      throw invalid(`a header field at offset ${offset} lies beyond the end of the ${this.content.length}-byte file`);
    }
    if (size === 2) return this.littleEndian ? this.content.readUInt16LE(offset) : this.content.readUInt16BE(offset);
    if (size === 4) return this.littleEndian ? this.content.readUInt32LE(offset) : this.content.readUInt32BE(offset);
    const value = this.littleEndian ? this.content.readBigUInt64LE(offset) : this.content.readBigUInt64BE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`a 64-bit header field at offset ${offset} exceeds 2^53`);
    return Number(value);
  }

  /** Reads a NUL-terminated string that must end before `limit`. */
  cString(offset: number, limit: number): string {
    const end = Math.min(limit, this.content.length);
    if (offset >= end) return '';
    const nul = this.content.indexOf(0, offset);
    return this.content.toString('latin1', offset, nul < 0 || nul > end ? end : nul);
  }
}

function invalid(message: string): InputError {
  return new InputError('FORMAT_INVALID', `invalid ELF file: ${message}`);
}
