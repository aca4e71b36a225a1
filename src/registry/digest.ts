import { createHash, type Hash } from 'node:crypto';
import { UsageError } from '../errors.js';

// The OCI image spec registers sha256 and sha512; both use lower-case hex encodings.
const DIGEST_HEX_LENGTH = { sha256: 64, sha512: 128 } as const;
type DigestAlgorithm = keyof typeof DIGEST_HEX_LENGTH;

/** Checks that a digest is `sha256:<64 hex>` or `sha512:<128 hex>` in lower case. */
export function isValidDigest(digest: string): boolean {
  const colon = digest.indexOf(':');
  if (colon === -1) return false;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return false;
  return hex.length === DIGEST_HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(hex);
}

/**
 * Creates the hash for a digest's algorithm, so content can be checked against it.
 *
 * @throws {UsageError} when the digest is malformed or uses another algorithm.
 */
export function createDigestHash(digest: string): Hash {
  if (!isValidDigest(digest)) {
    throw new UsageError(`invalid digest "${digest}": expected sha256:<64 hex digits> or sha512:<128 hex digits>`);
  }
  return createHash(digest.slice(0, digest.indexOf(':')) as DigestAlgorithm);
}

/** Computes the digest of content with the given algorithm (default sha256). */
export function computeDigest(content: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}

/** Computes the digest of content with the algorithm of an expected digest, for comparison with it. */
export function computeDigestLike(content: Uint8Array, expected: string): string {
  const hash = createDigestHash(expected);
  return `${expected.slice(0, expected.indexOf(':'))}:${hash.update(content).digest('hex')}`;
}
