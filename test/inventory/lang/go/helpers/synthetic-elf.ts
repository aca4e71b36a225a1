/**
 * Builds a minimal ELF executable whose only loadable segment is writable data containing a
 * pre-Go 1.18 build information blob. Its header contains pointers to two Go string headers
 * (`{data pointer, length}`), which point at the version and module information bytes. Go 1.13
 * to 1.17 linkers wrote this layout. No current toolchain writes it, so tests build it here.
 */
export function buildPointerLayoutElf(options: { bits: 32 | 64; littleEndian: boolean; goVersion: string; modInfo: string }): Buffer {
  const { bits, littleEndian } = options;
  const pointerSize = bits / 8;
  const headerSize = bits === 64 ? 64 : 52;
  const programHeaderSize = bits === 64 ? 56 : 32;
  const baseAddress = 0x400000;
  const blobOffset = 0x100;
  const stringHeadersOffset = 0x140;
  const dataOffset = 0x180;

  const version = Buffer.from(options.goVersion);
  const modInfo = Buffer.from(options.modInfo);
  const file = Buffer.alloc(dataOffset + version.length + modInfo.length);
  const writeWord = (value: number, offset: number, size: number): void => {
    if (size === 2) littleEndian ? file.writeUInt16LE(value, offset) : file.writeUInt16BE(value, offset);
    else if (size === 4) littleEndian ? file.writeUInt32LE(value, offset) : file.writeUInt32BE(value, offset);
    else littleEndian ? file.writeBigUInt64LE(BigInt(value), offset) : file.writeBigUInt64BE(BigInt(value), offset);
  };

  Buffer.from([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, littleEndian ? 1 : 2, 1]).copy(file);
  writeWord(2, 16, 2); // e_type: ET_EXEC
  if (bits === 64) {
    writeWord(headerSize, 0x20, 8); // e_phoff
    writeWord(programHeaderSize, 0x36, 2);
    writeWord(1, 0x38, 2); // e_phnum
  } else {
    writeWord(headerSize, 0x1c, 4);
    writeWord(programHeaderSize, 0x2a, 2);
    writeWord(1, 0x2c, 2);
  }

  // One PT_LOAD segment, readable and writable, mapping the whole file at baseAddress.
  const segment = headerSize;
  if (bits === 64) {
    writeWord(1, segment, 4);
    writeWord(6, segment + 4, 4);
    writeWord(0, segment + 8, 8);
    writeWord(baseAddress, segment + 16, 8);
    writeWord(file.length, segment + 32, 8);
    writeWord(file.length, segment + 40, 8);
  } else {
    writeWord(1, segment, 4);
    writeWord(0, segment + 4, 4);
    writeWord(baseAddress, segment + 8, 4);
    writeWord(file.length, segment + 16, 4);
    writeWord(file.length, segment + 20, 4);
    writeWord(6, segment + 24, 4);
  }

  Buffer.from('\xff Go buildinf:', 'latin1').copy(file, blobOffset);
  file[blobOffset + 14] = pointerSize;
  file[blobOffset + 15] = littleEndian ? 0 : 1;
  writeWord(baseAddress + stringHeadersOffset, blobOffset + 16, pointerSize);
  writeWord(baseAddress + stringHeadersOffset + 2 * pointerSize, blobOffset + 16 + pointerSize, pointerSize);

  writeWord(baseAddress + dataOffset, stringHeadersOffset, pointerSize);
  writeWord(version.length, stringHeadersOffset + pointerSize, pointerSize);
  writeWord(baseAddress + dataOffset + version.length, stringHeadersOffset + 2 * pointerSize, pointerSize);
  writeWord(modInfo.length, stringHeadersOffset + 3 * pointerSize, pointerSize);
  version.copy(file, dataOffset);
  modInfo.copy(file, dataOffset + version.length);
  return file;
}

/** Frames module information with the 16-byte sentinels that `cmd/go` puts around it. */
export function frameModInfo(text: string): string {
  return `${'0'.repeat(16)}${text}${'1'.repeat(16)}`;
}

/** Builds a Go 1.18+ inline blob: the 32-byte header, then two uvarint-prefixed strings. */
export function buildInlineBlob(goVersion: string, modInfo: string): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header);
  header[14] = 8;
  header[15] = 2;
  return Buffer.concat([header, uvarintString(goVersion), uvarintString(modInfo)]);
}

function uvarintString(text: string): Buffer {
  const bytes = Buffer.from(text);
  const length: number[] = [];
  let value = bytes.length;
  while (value >= 0x80) {
    length.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  length.push(value);
  return Buffer.concat([Buffer.from(length), bytes]);
}
