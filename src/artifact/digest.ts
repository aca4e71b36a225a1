import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { DigestError, InputError, UsageError } from '../errors.js';

/** The digest algorithms that OCI image specs register and image tools write. */
export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** A validated `algorithm:hex` digest. */
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
  digest: string;
}

/**
 * Parses a digest string such as `sha256:<64 lowercase hex>`. Returns undefined for any other
 * value, so callers can name the field in their own error.
 */
export function parseDigest(value: unknown): ParsedDigest | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(sha256|sha512):([a-f0-9]+)$/.exec(value);
  if (match === null) return undefined;
  const algorithm = match[1] as DigestAlgorithm;
  const hex = match[2]!;
  return hex.length === HEX_LENGTH[algorithm] ? { algorithm, hex, digest: value } : undefined;
}

/** Checks that a digest is `sha256:<64 hex>` or `sha512:<128 hex>` in lower case. */
export function isValidDigest(digest: string): boolean {
  return parseDigest(digest) !== undefined;
}

/**
 * Creates the hash for a digest's algorithm, so content can be checked against it.
 *
 * @throws {UsageError} when the digest is malformed or uses another algorithm.
 */
export function createDigestHash(digest: string): Hash {
  const parsed = parseDigest(digest);
  if (parsed === undefined) {
    throw new UsageError(`invalid digest "${digest}": expected sha256:<64 hex digits> or sha512:<128 hex digits>`);
  }
  return createHash(parsed.algorithm);
}

/** Computes the digest of bytes in `algorithm:hex` form. */
export function digestBytes(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Computes the digest of bytes with the algorithm of an expected digest, for comparison with it. */
export function digestBytesLike(bytes: Uint8Array, expected: string): string {
  const hash = createDigestHash(expected);
  return `${expected.slice(0, expected.indexOf(':'))}:${hash.update(bytes).digest('hex')}`;
}

/** Consumes a stream and returns its sha256 digest and length. */
export async function digestStream(stream: Readable): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

export interface VerifyOptions {
  /** The digest the bytes must have. */
  digest: ParsedDigest;
  /** The length the bytes must have, when the manifest states it. */
  size?: number;
  /** Names the blob in messages: archive or layout, member path, and which manifest expects it. */
  subject: string;
}

/**
 * Wraps a blob stream so it hashes the bytes as they pass. At the end the stream fails with an
 * InputError when fewer bytes arrived than `size`, or with a DigestError when the digest or the
 * length differs. Errors of the source stream pass through.
 */
export function verifyStream(source: Readable, options: VerifyOptions): Readable {
  const hash = createHash(options.digest.algorithm);
  let length = 0;
  const verifier = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      length += chunk.length;
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = `${options.digest.algorithm}:${hash.digest('hex')}`;
      if (options.size !== undefined && length < options.size) {
        callback(new InputError('FORMAT_INVALID', `${options.subject}: the blob is short: ${length} bytes, expected ${options.size}; the archive or layout is incomplete`));
      } else if (options.size !== undefined && length > options.size) {
        callback(new DigestError(`${options.subject}: the blob has ${length} bytes, expected ${options.size}; its content differs from what the manifest names`));
      } else if (actual !== options.digest.digest) {
        callback(new DigestError(`${options.subject}: digest mismatch: expected ${options.digest.digest}, got ${actual}; the blob was modified or corrupted`));
      } else {
        callback();
      }
    },
  });
  // pipeline() destroys both streams when either fails, so a consumer that stops reading
  // early also closes the file.
  pipeline(source, verifier, () => {});
  return verifier;
}

/**
 * Checks in-memory bytes against a digest and an optional size. Raises a DigestError naming
 * the subject when they differ.
 */
export function verifyBytes(bytes: Uint8Array, options: VerifyOptions): void {
  if (options.size !== undefined && bytes.length !== options.size) {
    throw new DigestError(`${options.subject}: the blob has ${bytes.length} bytes, expected ${options.size}`);
  }
  const actual = digestBytes(bytes, options.digest.algorithm);
  if (actual !== options.digest.digest) {
    throw new DigestError(`${options.subject}: digest mismatch: expected ${options.digest.digest}, got ${actual}; the blob was modified or corrupted`);
  }
}

/**
 * Parses untrusted JSON. A SyntaxError becomes an InputError naming the subject, so callers
 * never see a bare SyntaxError from an archive member.
 */
export function parseJson(bytes: Uint8Array, subject: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new InputError('FORMAT_INVALID', `${subject}: invalid JSON: ${(error as Error).message}`, { cause: error });
  }
}
