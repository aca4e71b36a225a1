/**
 * The error classes of Bulwark. Every error carries a `code` from the closed `ErrorCode` union, so
 * callers and tests can branch on the failure kind without matching message text. Messages name
 * the input (file, layer digest, field path, URL) and say what to do next.
 */

/** Every failure kind that Bulwark reports. Add a code here when a new kind appears. */
export type ErrorCode =
  // Misuse of the CLI or the library API.
  | 'USAGE'
  // A version string that its scheme cannot parse.
  | 'VERSION_INVALID'
  // Bytes that do not have the expected format: tar, gzip, zstd, JSON, a package database.
  | 'FORMAT_INVALID'
  // A media type, scheme or format that Bulwark does not handle.
  | 'UNSUPPORTED'
  // A configured cap on untrusted input was hit (size, entry count, ratio, depth).
  | 'LIMIT_EXCEEDED'
  // Content whose digest differs from the one that names it.
  | 'DIGEST_MISMATCH'
  // A file, blob, manifest, tag or platform that is not there.
  | 'NOT_FOUND'
  // A registry or DB server that could not be reached or kept failing.
  | 'NETWORK'
  // Credentials that are missing or rejected.
  | 'AUTH'
  // The vulnerability DB is missing, corrupt or of another schema version.
  | 'DB'
  // An I/O failure on a local file or directory.
  | 'IO'
  // A run that went past its --timeout.
  | 'TIMEOUT'
  // A state that should never occur: a bug in Bulwark.
  | 'INTERNAL';

export interface BulwarkErrorOptions {
  /** The lower-level error that caused this one. */
  cause?: unknown;
}

/** The base class of every error that Bulwark throws on purpose. */
export class BulwarkError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: BulwarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Misuse: a bad flag, a bad argument to a library function. The CLI exits with 2. */
export class UsageError extends BulwarkError {
  constructor(message: string, options: BulwarkErrorOptions = {}) {
    super('USAGE', message, options);
  }
}

/** Untrusted input that could not be read: a corrupt archive, a malformed database or lock file. */
export class InputError extends BulwarkError {}

/** A cap on untrusted input was hit. The message names the cap and the flag that raises it. */
export class LimitError extends BulwarkError {
  constructor(message: string, options: BulwarkErrorOptions = {}) {
    super('LIMIT_EXCEEDED', message, options);
  }
}

/** A failed trust decision: content that does not match its digest. */
export class DigestError extends BulwarkError {
  constructor(message: string, options: BulwarkErrorOptions = {}) {
    super('DIGEST_MISMATCH', message, options);
  }
}

/** A failure to talk to a registry or a download server. */
export class NetworkError extends BulwarkError {
  /** The HTTP status of the last response, when there was one. */
  readonly status: number | undefined;

  constructor(code: 'NETWORK' | 'AUTH' | 'NOT_FOUND', message: string, options: BulwarkErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** A vulnerability DB that is missing, unreadable or could not be written. */
export class VulnDbError extends BulwarkError {
  constructor(message: string, options: BulwarkErrorOptions = {}) {
    super('DB', message, options);
  }
}

/** Returns the message of any thrown value, for diagnostics that must not lose the original error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
