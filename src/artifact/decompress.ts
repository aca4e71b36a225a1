import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';

import { DigestError, InputError, LimitError } from '../errors.js';
import type { WalkLimits } from './limits.js';

/** The compression of a layer blob, detected from its first bytes rather than its media type. */
export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function detectCompression(head: Buffer): Compression {
  if (GZIP_MAGIC.every((byte, i) => head[i] === byte)) return 'gzip';
  if (ZSTD_MAGIC.every((byte, i) => head[i] === byte)) return 'zstd';
  return 'none';
}

export interface DecompressOptions {
  /** Names the layer in errors, e.g. `layer sha256:ab… of alpine.tar`. */
  label: string;
  /** The expected sha256 of the uncompressed tar (`sha256:…`), checked at the end of the stream. */
  diffId?: string;
  limits: Pick<WalkLimits, 'maxLayerSize' | 'maxDecompressionRatio' | 'ratioGraceBytes'>;
}

/**
 * A transform from a layer blob to its uncompressed tar. It detects gzip and zstd by magic bytes,
 * counts bytes in and out to stop decompression bombs, and verifies the diffID over the
 * uncompressed bytes when one is given.
 */
export class LayerDecoder extends Transform {
  readonly #options: DecompressOptions;
  readonly #hash: Hash | undefined;
  #compression: Compression | undefined;
  #head: Buffer[] = [];
  #gunzip: Gunzip | undefined;
  #zstd: ZstdDecompress | undefined;
  #failure: Error | undefined;
  #compressedBytes = 0;
  #uncompressedBytes = 0;

  constructor(options: DecompressOptions) {
    super();
    this.#options = options;
    this.#hash = options.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
  }

  get compression(): Compression | undefined {
    return this.#compression;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#compressedBytes += chunk.length;
    if (this.#compression === undefined) {
      this.#head.push(chunk);
      const head = Buffer.concat(this.#head);
      if (head.length < ZSTD_MAGIC.length) {
        callback();
        return;
      }
      this.#head = [];
      this.#start(detectCompression(head));
      this.#decode(head, callback);
      return;
    }
    this.#decode(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#compression === undefined) {
      const head = Buffer.concat(this.#head);
      this.#start(detectCompression(head));
      this.#decode(head, (error) => (error ? callback(error) : this.#finish(callback)));
      return;
    }
    this.#finish(callback);
  }

  #start(compression: Compression): void {
    this.#compression = compression;
    if (compression === 'gzip') {
      // 1 MiB output chunks instead of the 16 KiB default cut the hand-offs between the main thread and
      // the zlib worker thread by 64 times, which otherwise cost more than the inflating itself.
      this.#gunzip = createGunzip({ chunkSize: 1024 * 1024 });
      this.#gunzip.on('data', (chunk: Buffer) => this.#emit(chunk));
      this.#gunzip.on('error', (error: Error) => {
        this.#failure ??= new InputError('FORMAT_INVALID', `${this.#options.label}: gzip stream is corrupt (${error.message})`, { cause: error });
      });
    } else if (compression === 'zstd') {
      this.#zstd = new ZstdDecompress((chunk) => this.#emit(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    }
  }

  #decode(chunk: Buffer, callback: TransformCallback): void {
    if (this.#gunzip) {
      this.#gunzip.write(chunk, () => callback(this.#failure));
      return;
    }
    if (this.#zstd) {
      try {
        this.#zstd.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (error) {
        this.#failure ??= new InputError('FORMAT_INVALID', `${this.#options.label}: zstd stream is corrupt (${(error as Error).message})`, { cause: error });
      }
      callback(this.#failure);
      return;
    }
    this.#emit(chunk);
    callback(this.#failure);
  }

  #finish(callback: TransformCallback): void {
    const done = () => {
      if (this.#failure) {
        callback(this.#failure);
        return;
      }
      if (this.#hash && this.#options.diffId) {
        const actual = `sha256:${this.#hash.digest('hex')}`;
        if (actual !== this.#options.diffId) {
          callback(
            new DigestError(
              `${this.#options.label}: the uncompressed content has digest ${actual}, but the image config lists diffID ${this.#options.diffId}; the image is corrupt or was changed`,
            ),
          );
          return;
        }
      }
      callback();
    };

    if (this.#gunzip) {
      const gunzip = this.#gunzip;
      gunzip.once('end', done);
      gunzip.once('error', done);
      gunzip.end();
      gunzip.resume();
      return;
    }
    if (this.#zstd) {
      try {
        this.#zstd.push(new Uint8Array(0), true);
      } catch (error) {
        this.#failure ??= new InputError('FORMAT_INVALID', `${this.#options.label}: zstd stream is truncated (${(error as Error).message})`, { cause: error });
      }
    }
    done();
  }

  /** Passes uncompressed bytes on, after the caps and the digest have seen them. */
  #emit(chunk: Buffer): void {
    if (this.#failure) return;
    const { label, limits } = this.#options;
    this.#uncompressedBytes += chunk.length;
    if (this.#uncompressedBytes > limits.maxLayerSize) {
      this.#failure = new LimitError(`${label} expands past ${limits.maxLayerSize} bytes; raise --max-layer-size if the image is trusted`);
      return;
    }
    const ratio = this.#uncompressedBytes / Math.max(1, this.#compressedBytes);
    if (this.#compression !== 'none' && this.#uncompressedBytes > limits.ratioGraceBytes && ratio > limits.maxDecompressionRatio) {
      this.#failure = new LimitError(
        `${label} expands more than ${limits.maxDecompressionRatio} times (${this.#compressedBytes} compressed bytes to ${this.#uncompressedBytes}), ` +
          'which looks like a decompression bomb; raise --max-decompression-ratio if the image is trusted',
      );
      return;
    }
    this.#hash?.update(chunk);
    this.push(chunk);
  }
}
