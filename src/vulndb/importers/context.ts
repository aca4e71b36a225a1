import { closeSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { LimitError } from '../../errors.js';
import type { ErrorCode } from '../../errors.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { AdvisoryRecord, AdvisoryWriter } from '../advisory-writer.js';

/** Caps on untrusted import input. */
export interface ImportLimits {
  /** Maximum size in bytes of one file or one zip entry. Default: 256 MiB. */
  maxFileSize: number;
  /** Maximum number of entries in one zip file. Default: 500 000. */
  maxZipEntries: number;
  /** Maximum ratio of uncompressed to compressed size of one zip entry. Default: 100. */
  maxCompressionRatio: number;
  /** Maximum number of diagnostics kept per source; the rest are only counted. Default: 500. */
  maxDiagnostics: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFileSize: 256 * 1024 * 1024,
  maxZipEntries: 500_000,
  maxCompressionRatio: 100,
  maxDiagnostics: 500,
};

/** The state of importing one source: the writer, the counts and the diagnostics. */
export class ImportContext {
  readonly writer: AdvisoryWriter;
  readonly limits: ImportLimits;
  readonly diagnostics: Diagnostic[] = [];
  /** Diagnostics beyond `limits.maxDiagnostics`, counted but not kept. */
  droppedDiagnostics = 0;
  /** Records stored. */
  records = 0;
  /** Records that could not be stored, each with a diagnostic. */
  skipped = 0;
  /** Facts kept out of the DB on purpose, by reason (`git-range`, `not-affected`), not errors. */
  readonly ignored: Record<string, number> = {};

  constructor(writer: AdvisoryWriter, limits: ImportLimits) {
    this.writer = writer;
    this.limits = limits;
  }

  /** Stores an advisory and counts it. */
  store(advisory: AdvisoryRecord): void {
    this.writer.write(advisory);
    this.records += 1;
  }

  /** Counts a skipped record and adds a diagnostic for it. */
  skip(target: string, message: string, code: ErrorCode = 'FORMAT_INVALID'): void {
    this.skipped += 1;
    this.report(target, message, code);
  }

  /** Adds a diagnostic that did not stop the record, unless the cap is reached. */
  report(target: string, message: string, code: ErrorCode = 'FORMAT_INVALID'): void {
    if (this.diagnostics.length >= this.limits.maxDiagnostics) {
      this.droppedDiagnostics += 1;
      return;
    }
    this.diagnostics.push({ target, message, code });
  }

  /** Counts facts that the importer leaves out on purpose. */
  ignore(reason: string, count = 1): void {
    this.ignored[reason] = (this.ignored[reason] ?? 0) + count;
  }
}

/**
 * Reads a whole file, rejecting one larger than the cap before reading it. Reads are synchronous
 * because an import reads thousands of small files one after the other, and a promise round trip
 * through the libuv thread pool per file doubled the import time of the OSV corpora.
 */
export function readFileCapped(path: string, limits: ImportLimits): Buffer {
  // One open, fstat and read: corpora have tens of thousands of small files, so syscalls count.
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limits.maxFileSize) {
      throw new LimitError(`${path} is ${size} bytes, over the import cap of ${limits.maxFileSize} bytes; raise maxFileSize to import it`);
    }
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const count = readSync(fd, buffer, read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Lists the regular files under a directory, recursively, sorted by path so that imports are
 * deterministic. Symbolic links are not followed, so a link cycle cannot make the walk loop.
 */
export function listFiles(directory: string): string[] {
  const files: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) files.push(path);
    }
  }
  return files.sort();
}
