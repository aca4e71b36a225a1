import type { RpmdbBlob, RpmdbProblem, RpmdbReadResult } from './format.js';

/**
 * Reads rpm's NDB database (`Packages.db`, used by SUSE), in the layout below, which was checked
 * against SLE 15 databases. All numbers are little-endian. The file starts with
 * slot pages of 4096 bytes: a 32-byte file header, then 16-byte slots {magic `Slot`, package
 * index, block offset, block count}. Blocks are 16 bytes. Each package's blocks hold a 16-byte
 * blob header {magic `BlbS`, package index, generation, blob length}, the header blob, padding,
 * and a 12-byte tail {Adler-32 of everything before the tail, blob length, magic `BlbE`}.
 */

const SLOT_PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLOCK_SIZE = 16;
const BLOB_HEAD_SIZE = 16;
const BLOB_TAIL_SIZE = 12;
/** The first two slot-sized places contain the file header. */
const FIRST_SLOT = 2;

const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const BLOB_TAIL_MAGIC = 0x45626c42; // "BlbE"

/** The largest slot page count accepted: 2048 pages have room for 524,288 slots. */
export const MAX_NDB_SLOT_PAGES = 2048;

interface Slot {
  packageIndex: number;
  blockOffset: number;
  blockCount: number;
}

export function readNdb(content: Buffer): RpmdbReadResult {
  const blobs: RpmdbBlob[] = [];
  const problems: RpmdbProblem[] = [];
  if (content.length < 32) return { blobs, problems: [{ code: 'FORMAT_INVALID', message: `NDB file is ${content.length} bytes, shorter than its 32-byte header` }] };

  const version = content.readUInt32LE(4);
  if (version !== 0) return { blobs, problems: [{ code: 'UNSUPPORTED', message: `NDB version ${version} is not supported (only version 0 exists)` }] };
  const slotPages = content.readUInt32LE(12);
  if (slotPages === 0) return { blobs, problems: [{ code: 'FORMAT_INVALID', message: 'NDB header counts 0 slot pages' }] };
  if (slotPages > MAX_NDB_SLOT_PAGES) {
    return { blobs, problems: [{ code: 'LIMIT_EXCEEDED', message: `NDB header counts ${slotPages} slot pages, more than the limit of ${MAX_NDB_SLOT_PAGES}` }] };
  }

  const slotAreaEnd = slotPages * SLOT_PAGE_SIZE;
  if (slotAreaEnd > content.length) {
    problems.push({ code: 'FORMAT_INVALID', message: `NDB file is truncated: ${slotPages} slot pages need ${slotAreaEnd} bytes, the file has ${content.length}` });
  }

  const slots = readSlots(content, Math.min(slotAreaEnd, content.length), problems);
  // Sorted by position, the blocks of valid slots never overlap. Refusing overlaps bounds the
  // bytes parsed by the file size.
  slots.sort((a, b) => a.blockOffset - b.blockOffset);
  let previousEnd = slotAreaEnd;
  for (const slot of slots) {
    const start = slot.blockOffset * BLOCK_SIZE;
    const end = start + slot.blockCount * BLOCK_SIZE;
    const where = `NDB package ${slot.packageIndex} (blocks ${slot.blockOffset}+${slot.blockCount})`;
    if (start < previousEnd || end > content.length || end - start < BLOB_HEAD_SIZE + BLOB_TAIL_SIZE) {
      problems.push({ code: 'FORMAT_INVALID', message: `${where}: blocks overlap another package or lie outside the file` });
      continue;
    }
    previousEnd = end;

    const result = readBlob(content.subarray(start, end), slot.packageIndex);
    if ('problem' in result) problems.push({ code: 'FORMAT_INVALID', message: `${where}: ${result.problem}` });
    else blobs.push({ id: slot.packageIndex, blob: result.blob });
  }

  blobs.sort((a, b) => a.id - b.id);
  return { blobs, problems };
}

function readSlots(content: Buffer, slotAreaEnd: number, problems: RpmdbProblem[]): Slot[] {
  const slots: Slot[] = [];
  for (let at = FIRST_SLOT * SLOT_SIZE; at + SLOT_SIZE <= slotAreaEnd; at += SLOT_SIZE) {
    if (content.readUInt32LE(at) !== SLOT_MAGIC) {
      problems.push({ code: 'FORMAT_INVALID', message: `NDB slot at byte ${at} has a bad magic number` });
      continue;
    }
    const packageIndex = content.readUInt32LE(at + 4);
    if (packageIndex === 0) continue; // A free slot.
    slots.push({ packageIndex, blockOffset: content.readUInt32LE(at + 8), blockCount: content.readUInt32LE(at + 12) });
  }
  return slots;
}

/** Checks one package's blocks and returns the header blob inside them. */
function readBlob(blocks: Buffer, packageIndex: number): { blob: Buffer } | { problem: string } {
  if (blocks.readUInt32LE(0) !== BLOB_MAGIC) return { problem: 'the blob header has a bad magic number' };
  if (blocks.readUInt32LE(4) !== packageIndex) return { problem: `the blob belongs to package ${blocks.readUInt32LE(4)}` };

  const blobLength = blocks.readUInt32LE(12);
  if (BLOB_HEAD_SIZE + blobLength + BLOB_TAIL_SIZE > blocks.length) return { problem: `the blob length ${blobLength} does not fit in its ${blocks.length}-byte blocks` };

  const tailAt = blocks.length - BLOB_TAIL_SIZE;
  if (blocks.readUInt32LE(tailAt + 8) !== BLOB_TAIL_MAGIC || blocks.readUInt32LE(tailAt + 4) !== blobLength) return { problem: 'the blob tail is missing or does not match the blob header' };
  const expected = blocks.readUInt32LE(tailAt);
  const actual = adler32(blocks.subarray(0, tailAt));
  if (expected !== actual) return { problem: `the blob checksum is 0x${actual.toString(16)}, the tail records 0x${expected.toString(16)}` };

  return { blob: blocks.subarray(BLOB_HEAD_SIZE, BLOB_HEAD_SIZE + blobLength) };
}

/** Computes the Adler-32 checksum of RFC 1950. */
export function adler32(bytes: Uint8Array): number {
  const MOD = 65521;
  // zlib's NMAX: over a run of 5552 bytes both sums stay below 2^32, so the modulo can wait.
  const CHUNK = 5552;
  let a = 1;
  let b = 0;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    for (let index = start; index < end; index++) {
      a += bytes[index]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}
