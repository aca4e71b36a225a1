/** Test helper: builds rpm header blobs in the on-disk layout that rpm writes to its database. */

export const RPM_TYPE = { INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8 } as const;

export interface HeaderEntry {
  tag: number;
  type: number;
  value: string | number | string[];
}

/** Builds a header blob: entry count, data size, the index entries and the data, all big-endian. */
export function buildRpmHeader(entries: HeaderEntry[]): Buffer {
  const index = Buffer.alloc(entries.length * 16);
  const chunks: Buffer[] = [];
  let dataSize = 0;

  entries.forEach((entry, position) => {
    let alignment = 1;
    if (entry.type === RPM_TYPE.INT32) alignment = 4;
    if (entry.type === RPM_TYPE.INT64) alignment = 8;
    const padding = (alignment - (dataSize % alignment)) % alignment;
    if (padding > 0) chunks.push(Buffer.alloc(padding));
    dataSize += padding;

    let bytes: Buffer;
    let count = 1;
    if (entry.type === RPM_TYPE.INT32) {
      bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(entry.value as number);
    } else if (entry.type === RPM_TYPE.INT64) {
      bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(BigInt(entry.value as number));
    } else if (Array.isArray(entry.value)) {
      bytes = Buffer.concat(entry.value.map((text) => Buffer.from(`${text}\0`)));
      count = entry.value.length;
    } else {
      bytes = Buffer.from(`${String(entry.value)}\0`);
    }

    index.writeInt32BE(entry.tag, position * 16);
    index.writeUInt32BE(entry.type, position * 16 + 4);
    index.writeInt32BE(dataSize, position * 16 + 8);
    index.writeUInt32BE(count, position * 16 + 12);
    chunks.push(bytes);
    dataSize += bytes.length;
  });

  const preamble = Buffer.alloc(8);
  preamble.writeUInt32BE(entries.length, 0);
  preamble.writeUInt32BE(dataSize, 4);
  return Buffer.concat([preamble, index, ...chunks]);
}

/** Builds the header of a package with the usual tags; `extra` entries follow them. */
export function buildPackageHeader(fields: { name: string; version: string; release: string; epoch?: number; arch?: string; sourceRpm?: string }, extra: HeaderEntry[] = []): Buffer {
  const entries: HeaderEntry[] = [
    { tag: 1000, type: RPM_TYPE.STRING, value: fields.name },
    { tag: 1001, type: RPM_TYPE.STRING, value: fields.version },
    { tag: 1002, type: RPM_TYPE.STRING, value: fields.release },
  ];
  if (fields.epoch !== undefined) entries.push({ tag: 1003, type: RPM_TYPE.INT32, value: fields.epoch });
  if (fields.arch !== undefined) entries.push({ tag: 1022, type: RPM_TYPE.STRING, value: fields.arch });
  if (fields.sourceRpm !== undefined) entries.push({ tag: 1044, type: RPM_TYPE.STRING, value: fields.sourceRpm });
  return buildRpmHeader([...entries, ...extra]);
}

/** A small deterministic pseudo-random generator (mulberry32), so corruption tests repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
