import { BDB_HASH_MAGIC, type RpmdbBlob, type RpmdbProblem, type RpmdbReadResult } from './format.js';

/**
 * Reads the values of a BerkeleyDB hash database, the format of rpm's `Packages` file before
 * rpm 4.16. The layout follows BerkeleyDB's `db_page.h`: page 0 is the hash metadata page, hash
 * pages hold key/value item pairs, and values too large for a page sit in chains of overflow
 * pages. The database is in the byte order of the machine that wrote it, so both orders are read.
 */

const PAGE_HEADER_SIZE = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const HOFFPAGE_SIZE = 12;

/** The largest value accepted, in bytes. An estimate: the largest rpm headers (kernels, TeX Live) are a few MiB. */
export const MAX_BDB_VALUE_SIZE = 64 * 1024 * 1024;
/** The smallest value that can be an rpm header: an 8-byte preamble and one 16-byte entry. */
const MIN_HEADER_SIZE = 24;

interface PageReader {
  u16(offset: number): number;
  u32(offset: number): number;
}

export function readBerkeleyDbHash(content: Buffer): RpmdbReadResult {
  const blobs: RpmdbBlob[] = [];
  const problems: RpmdbProblem[] = [];
  if (content.length < 512) return { blobs, problems: [{ code: 'FORMAT_INVALID', message: `BerkeleyDB file is ${content.length} bytes, shorter than a metadata page` }] };

  const littleEndian = content.readUInt32LE(12) === BDB_HASH_MAGIC;
  const read = (buffer: Buffer): PageReader => ({
    u16: (offset) => (littleEndian ? buffer.readUInt16LE(offset) : buffer.readUInt16BE(offset)),
    u32: (offset) => (littleEndian ? buffer.readUInt32LE(offset) : buffer.readUInt32BE(offset)),
  });

  const meta = read(content);
  const pageSize = meta.u32(20);
  if (content[25] !== P_HASHMETA) return { blobs, problems: [{ code: 'UNSUPPORTED', message: `BerkeleyDB page 0 has type ${content[25]}, expected a hash metadata page (${P_HASHMETA})` }] };
  if (content[24] !== 0) return { blobs, problems: [{ code: 'UNSUPPORTED', message: 'BerkeleyDB file is encrypted' }] };
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { blobs, problems: [{ code: 'FORMAT_INVALID', message: `BerkeleyDB page size ${pageSize} is not a power of two between 512 and 65536` }] };
  }

  const lastPage = meta.u32(32);
  const pagesInFile = Math.floor(content.length / pageSize);
  if (lastPage + 1 > pagesInFile) {
    problems.push({ code: 'FORMAT_INVALID', message: `BerkeleyDB file is truncated: the metadata page counts ${lastPage + 1} pages of ${pageSize} bytes, the file holds ${pagesInFile}` });
  }
  const pageCount = Math.min(lastPage + 1, pagesInFile);
  const pageAt = (pageNumber: number): Buffer => content.subarray(pageNumber * pageSize, (pageNumber + 1) * pageSize);
  // An overflow page belongs to one value only, so a page met twice means a corrupt or hostile
  // chain. Rejecting it also bounds the total bytes read by the file size.
  const usedOverflowPages = new Set<number>();

  for (let pageNumber = 1; pageNumber < pageCount; pageNumber++) {
    const page = pageAt(pageNumber);
    if (page[25] !== P_HASH && page[25] !== P_HASH_UNSORTED) continue;

    const pageRead = read(page);
    const itemCount = pageRead.u16(20);
    if (itemCount % 2 !== 0 || PAGE_HEADER_SIZE + itemCount * 2 > pageSize) {
      problems.push({ code: 'FORMAT_INVALID', message: `BerkeleyDB hash page ${pageNumber} has an invalid item count ${itemCount}` });
      continue;
    }

    const offsets = Array.from({ length: itemCount }, (_, index) => pageRead.u16(PAGE_HEADER_SIZE + index * 2));
    for (let index = 0; index < itemCount; index += 2) {
      const where = `BerkeleyDB hash page ${pageNumber}, item ${index + 1}`;
      const keyOffset = offsets[index]!;
      const valueOffset = offsets[index + 1]!;
      if (keyOffset >= pageSize || valueOffset >= pageSize) {
        problems.push({ code: 'FORMAT_INVALID', message: `${where}: offset past the end of the page` });
        continue;
      }
      const key = readKey(page, pageRead, { keyOffset, itemEnd: index === 0 ? pageSize : offsets[index - 1]! });

      const valueType = page[valueOffset];
      if (valueType === H_KEYDATA) {
        // The value sits right below its key, so it ends where the key starts.
        if (keyOffset <= valueOffset + 1) {
          problems.push({ code: 'FORMAT_INVALID', message: `${where}: inline value has an invalid length` });
          continue;
        }
        // Short inline values are not headers. rpm stores a 4-byte counter under key 0 (101 in a RHEL 8.0 database).
        if (keyOffset - valueOffset - 1 >= MIN_HEADER_SIZE) blobs.push({ id: key, blob: page.subarray(valueOffset + 1, keyOffset) });
      } else if (valueType === H_OFFPAGE) {
        const value = readOverflowValue({ valueOffset, page, pageRead, pageCount, pageAt, read, usedOverflowPages, where });
        if ('problem' in value) problems.push(value.problem);
        else blobs.push({ id: key, blob: value.blob });
      } else if (valueType === H_DUPLICATE || valueType === H_OFFDUP) {
        problems.push({ code: 'UNSUPPORTED', message: `${where}: duplicate-key items do not occur in rpm databases and were skipped` });
      } else {
        problems.push({ code: 'FORMAT_INVALID', message: `${where}: unknown item type ${valueType}` });
      }
    }
  }
  return { blobs, problems };
}

/** Returns the header instance number stored as a 4-byte key, or 0 when the key has another shape. */
function readKey(page: Buffer, pageRead: PageReader, item: { keyOffset: number; itemEnd: number }): number {
  const length = item.itemEnd - item.keyOffset;
  if (page[item.keyOffset] !== H_KEYDATA || length !== 5) return 0;
  return pageRead.u32(item.keyOffset + 1);
}

interface OverflowRequest {
  valueOffset: number;
  page: Buffer;
  pageRead: PageReader;
  pageCount: number;
  pageAt: (pageNumber: number) => Buffer;
  read: (buffer: Buffer) => PageReader;
  usedOverflowPages: Set<number>;
  where: string;
}

/** Follows an overflow chain and joins its pages into one value of the length the item declares. */
function readOverflowValue(request: OverflowRequest): { blob: Buffer } | { problem: RpmdbProblem } {
  const { valueOffset, page, pageRead, pageCount, pageAt, read, usedOverflowPages, where } = request;
  if (valueOffset + HOFFPAGE_SIZE > page.length) return { problem: { code: 'FORMAT_INVALID', message: `${where}: overflow reference runs past the end of the page` } };

  const totalLength = pageRead.u32(valueOffset + 8);
  if (totalLength > MAX_BDB_VALUE_SIZE) {
    return { problem: { code: 'LIMIT_EXCEEDED', message: `${where}: value of ${totalLength} bytes is larger than the limit of ${MAX_BDB_VALUE_SIZE}` } };
  }

  const chunks: Buffer[] = [];
  let collected = 0;
  let pageNumber = pageRead.u32(valueOffset + 4);
  while (pageNumber !== 0 && collected < totalLength) {
    if (pageNumber >= pageCount) return { problem: { code: 'FORMAT_INVALID', message: `${where}: overflow page ${pageNumber} is past the end of the file` } };
    if (usedOverflowPages.has(pageNumber)) return { problem: { code: 'FORMAT_INVALID', message: `${where}: overflow page ${pageNumber} is already part of a value (a loop or a shared chain)` } };
    usedOverflowPages.add(pageNumber);

    const overflow = pageAt(pageNumber);
    if (overflow[25] !== P_OVERFLOW) return { problem: { code: 'FORMAT_INVALID', message: `${where}: page ${pageNumber} has type ${overflow[25]}, expected an overflow page` } };
    const overflowRead = read(overflow);
    // On overflow pages the "high free offset" field contains the number of data bytes on the page.
    const length = Math.min(overflowRead.u16(22), overflow.length - PAGE_HEADER_SIZE, totalLength - collected);
    chunks.push(overflow.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + length));
    collected += length;
    pageNumber = overflowRead.u32(16);
  }

  if (collected !== totalLength) {
    return { problem: { code: 'FORMAT_INVALID', message: `${where}: overflow chain contains ${collected} bytes, but the item declares ${totalLength}` } };
  }
  return { blob: Buffer.concat(chunks, totalLength) };
}
