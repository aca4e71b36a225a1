import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BulwarkError, InputError, LimitError, UsageError } from '../../errors.js';
import { DECOMPRESSED_SIZE_FLOOR, resolveSourceLimits, type SourceLimits } from './limits.js';
import { indexTar, type TarIndex } from './tar-index.js';

export interface OpenTarOptions {
  /**
   * The cache folder. A gzip-compressed archive is decompressed once to a temporary file in
   * its `tmp/` subfolder, which `TarIndex.close()` removes. Required only for such archives.
   */
  cacheDir?: string;
  limits?: SourceLimits;
}

/** The compression that the first bytes of a file show. */
export type Compression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

/** Detects compression by magic number, never by file name. */
export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  if (head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a && head[5] === 0x00) return 'xz';
  return 'none';
}

/**
 * Opens an archive file as a tar index. A plain tar is read in place. A gzip-compressed tar
 * cannot be read by offset, so it is decompressed once into `cacheDir/tmp/`, under the
 * decompression-ratio cap. Other compressions raise an UNSUPPORTED InputError.
 */
export async function openTarArchive(path: string, options: OpenTarOptions = {}): Promise<TarIndex> {
  const limits = resolveSourceLimits(options.limits);
  const tarOptions = { maxEntries: limits.maxTarEntries, maxNameLength: limits.maxTarNameLength };
  const compression = detectCompression(await readHead(path));
  if (compression === 'none') return indexTar(path, tarOptions);
  if (compression !== 'gzip') {
    throw new InputError('UNSUPPORTED', `${path} is ${compression}-compressed; decompress it first (for example with "${compression === 'zstd' ? 'zstd -d' : compression === 'xz' ? 'xz -d' : 'bunzip2'}")`);
  }
  if (options.cacheDir === undefined) {
    throw new UsageError(`${path} is gzip-compressed and must be decompressed to a temporary file; set cacheDir`);
  }

  const tmpDir = join(options.cacheDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmpPath = join(tmpDir, `archive-${randomBytes(8).toString('hex')}.tar`);
  const removeCopy = (): Promise<void> => rm(tmpPath, { force: true });
  try {
    const compressedSize = (await stat(path)).size;
    const maxBytes = limits.maxDecompressedBytes ?? Math.max(DECOMPRESSED_SIZE_FLOOR, compressedSize * limits.maxDecompressionRatio);
    const limitName = limits.maxDecompressedBytes === undefined ? 'maxDecompressionRatio' : 'maxDecompressedBytes';
    await gunzipToFile(path, tmpPath, { maxBytes, limitName });
    return await indexTar(tmpPath, { ...tarOptions, label: `${path} (decompressed)`, onClose: removeCopy });
  } catch (error) {
    await removeCopy();
    throw error;
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot open ${path}: ${error.message}`, { cause: error });
  });
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function gunzipToFile(source: string, target: string, cap: { maxBytes: number; limitName: string }): Promise<void> {
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      written += chunk.length;
      if (written > cap.maxBytes) {
        callback(new LimitError(`${source} decompresses to more than ${cap.maxBytes} bytes; raise ${cap.limitName} if the archive is trusted`));
      } else {
        callback(null, chunk);
      }
    },
  });
  try {
    await pipeline(createReadStream(source), createGunzip(), counter, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof BulwarkError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) {
      throw new InputError('FORMAT_INVALID', `${source}: invalid gzip data: ${(error as Error).message}`, { cause: error });
    }
    throw new InputError('IO', `cannot decompress ${source} to ${target}: ${(error as Error).message}`, { cause: error });
  }
}
