import { createHash } from 'node:crypto';

import { UsageError } from '../errors.js';

/**
 * Returns the creation time of an SBOM: `SOURCE_DATE_EPOCH` (seconds since the Unix epoch, per
 * the reproducible-builds.org specification) when the environment sets it, else `now`. Throws a
 * UsageError for a value that is not a non-negative integer.
 */
export function sbomTimestamp(env: NodeJS.ProcessEnv = process.env, now = new Date()): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return now;
  if (/^\d{13,}$/.test(raw)) {
    throw new UsageError(`invalid SOURCE_DATE_EPOCH "${raw}": the time is past the year 33658; give seconds since 1970-01-01T00:00:00Z, not milliseconds`);
  }
  if (!/^\d{1,12}$/.test(raw)) {
    throw new UsageError(`invalid SOURCE_DATE_EPOCH "${raw}": expected a whole number of seconds since 1970-01-01T00:00:00Z`);
  }
  return new Date(Number(raw) * 1000);
}

/** Formats a time stamp the way CycloneDX and SPDX write it: ISO 8601 in UTC without milliseconds. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Derives a UUID from content: the first 16 bytes of its SHA-256 with the version nibble set to 5
 * and the RFC 4122 variant bits, like a name-based UUID v5 (which uses SHA-1). The same content
 * always gives the same UUID, so two runs on one image give the same serial number.
 */
export function contentUuid(content: string): string {
  const bytes = createHash('sha256').update(content).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Returns a short, stable hex digest of a string, for identifiers that must be unique and valid in every format. */
export function shortDigest(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}
