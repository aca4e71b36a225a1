/**
 * Parsing of single tar header blocks and PAX extended-header records (POSIX.1-2001 pax,
 * ustar and the GNU extensions that image tools write). Pure functions over bytes: the
 * caller reads blocks and turns the returned `problem` strings into errors that name the
 * archive and offset.
 */

export const BLOCK_SIZE = 512;

/** The fields of one raw header block, before PAX or GNU long-name overrides apply. */
export interface RawTarHeader {
  name: string;
  size: number;
  /** The type flag character; `'0'` for a NUL flag, which old tars write for regular files. */
  typeflag: string;
  linkname: string;
  /** Permission and special bits; 0 when the field is not a valid number. */
  mode: number;
}

export type HeaderParseResult = { header: RawTarHeader } | { problem: string };

/** Returns true when every byte of the block is zero, which marks the end of an archive. */
export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) {
    if (byte !== 0) return false;
  }
  return true;
}

/**
 * Parses one 512-byte header block. The checksum is checked as an unsigned sum, with the
 * signed sum that some historic tars wrote accepted too.
 */
export function parseHeaderBlock(block: Buffer): HeaderParseResult {
  const storedChecksum = parseNumericField(block, 148, 8);
  if (storedChecksum === undefined) return { problem: 'the checksum field is not an octal number' };
  let unsignedSum = 0;
  let signedSum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsignedSum += byte;
    signedSum += byte > 127 ? byte - 256 : byte;
  }
  if (storedChecksum !== unsignedSum && storedChecksum !== signedSum) {
    return { problem: `the header checksum is ${storedChecksum} but the block sums to ${unsignedSum}` };
  }

  const size = parseNumericField(block, 124, 12);
  if (size === undefined) return { problem: 'the size field is neither octal nor a non-negative base-256 number' };

  let name = readString(block, 0, 100);
  // POSIX ustar ("ustar\0") splits long names into prefix + "/" + name. GNU tar ("ustar  \0")
  // stores other fields in that area, so the prefix applies only to the POSIX magic.
  const magic = block.subarray(257, 263).toString('latin1');
  if (magic === 'ustar\0') {
    const prefix = readString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }

  const flagByte = block[156]!;
  const typeflag = flagByte === 0 ? '0' : String.fromCharCode(flagByte);
  const mode = parseNumericField(block, 100, 8) ?? 0;
  return { header: { name, size, typeflag, linkname: readString(block, 157, 100), mode: mode & 0o7777 } };
}

/**
 * Parses a numeric header field: octal digits padded with spaces or NULs, or the GNU base-256
 * form (high bit of the first byte set) that tars use for sizes of 8 GiB and more. Returns
 * undefined for invalid text, a negative base-256 value, or a value above 2^53 - 1.
 */
export function parseNumericField(block: Buffer, start: number, length: number): number | undefined {
  const first = block[start]!;
  if ((first & 0x80) !== 0) {
    if (first === 0xff) return undefined;
    let value = BigInt(first & 0x7f);
    for (let i = start + 1; i < start + length; i++) value = (value << 8n) | BigInt(block[i]!);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const text = block
    .subarray(start, start + length)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  const value = parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Parses the records of a PAX extended header (`"<length> <key>=<value>\n"`, where length counts
 * the whole record). Returns the records as a map, or a problem naming the bad record.
 */
export function parsePaxRecords(data: Buffer): Map<string, string> | { problem: string } {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    // Writers may pad the header data with NULs after the last record.
    if (data[position] === 0) break;
    const space = data.indexOf(0x20, position);
    if (space < 0 || space - position > 20) return { problem: `record at byte ${position} has no length` };
    const lengthText = data.subarray(position, space).toString('latin1');
    const length = /^[0-9]+$/.test(lengthText) ? parseInt(lengthText, 10) : NaN;
    const end = position + length;
    if (!Number.isSafeInteger(length) || length <= space - position + 1 || end > data.length || data[end - 1] !== 0x0a) {
      return { problem: `record at byte ${position} has an invalid length "${lengthText}"` };
    }
    const record = data.subarray(space + 1, end - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals <= 0) return { problem: `record at byte ${position} has no "key=value"` };
    records.set(record.slice(0, equals), record.slice(equals + 1));
    position = end;
  }
  return records;
}

/** Decodes a NUL-terminated field as UTF-8. */
function readString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('utf8');
}
