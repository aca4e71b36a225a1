import type { PackageHash } from '../../model/package.js';
import { compareStrings } from './package-collector.js';

/** SRI algorithm names and their digest length in bytes. */
const ALGORITHMS: Record<string, { algorithm: PackageHash['algorithm']; bytes: number }> = {
  sha1: { algorithm: 'SHA-1', bytes: 20 },
  sha256: { algorithm: 'SHA-256', bytes: 32 },
  sha512: { algorithm: 'SHA-512', bytes: 64 },
};

/**
 * Turns a Subresource Integrity string (`sha512-<base64>`, several separated by spaces, as npm
 * lock files store the digest of the package tarball) into hex digests. Entries with another
 * algorithm or a digest of the wrong length are skipped. Returns the hashes sorted by algorithm.
 */
export function hashesFromIntegrity(integrity: unknown): PackageHash[] {
  if (typeof integrity !== 'string') return [];
  const hashes = new Map<string, PackageHash>();
  for (const token of integrity.trim().split(/\s+/).slice(0, 8)) {
    const match = /^(sha1|sha256|sha512)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(token);
    if (match === null) continue;
    const { algorithm, bytes } = ALGORITHMS[match[1]!]!;
    const digest = Buffer.from(match[2]!, 'base64');
    if (digest.length !== bytes) continue;
    hashes.set(algorithm, { algorithm, value: digest.toString('hex') });
  }
  return [...hashes.values()].sort((a, b) => compareStrings(a.algorithm, b.algorithm));
}
