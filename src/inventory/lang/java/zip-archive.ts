import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { errorMessage } from '../../../errors.js';
import type { Diagnostic } from '../../../model/diagnostic.js';
import { fileDiagnostic } from '../package-set.js';

/** Caps on reading one ZIP archive and the archives nested in it. */
export interface ZipLimits {
  /** The maximum number of entries in one archive. Larger archives are skipped. */
  maxEntries: number;
  /** The maximum uncompressed size of one metadata entry (`pom.properties`, `MANIFEST.MF`), in bytes. */
  maxMetadataSize: number;
  /** The maximum uncompressed size of one nested archive, in bytes. */
  maxNestedArchiveSize: number;
  /**
   * The maximum ratio of uncompressed to compressed size for an entry above 1 MiB. Deflate
   * reaches about 1032:1 at most, so a higher cap stops nothing and zip bombs sit near it.
   */
  maxCompressionRatio: number;
}

/** The bytes that may still be decompressed for one scanned file, shared by all nesting levels. */
export interface ExtractionBudget {
  remainingBytes: number;
}

/** One entry chosen for reading, with its size facts from the central directory. */
export interface SelectedEntry {
  name: string;
  uncompressedSize: number;
  /** Decompresses the entry, or returns a diagnostic when a cap or a decode step fails. */
  read(maxSize: number): Promise<Buffer | Diagnostic>;
}

/** Entries below this size are read whatever their ratio: a small bomb cannot do harm. */
const RATIO_CHECK_FLOOR = 1024 * 1024;

/**
 * Opens a ZIP archive held in memory and returns the entries that `select` accepts, without
 * decompressing any of them. A corrupt archive or one above `maxEntries` yields a diagnostic and
 * no entries. `displayPath` names the archive in diagnostics (`app.jar/BOOT-INF/lib/x.jar`).
 */
export async function selectZipEntries(options: {
  content: Buffer;
  displayPath: string;
  select: (name: string) => boolean;
  limits: ZipLimits;
  budget: ExtractionBudget;
}): Promise<{ entries: SelectedEntry[]; diagnostics: Diagnostic[] }> {
  const { content, displayPath, limits, budget } = options;
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(content, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    return { entries: [], diagnostics: [fileDiagnostic(displayPath, 'FORMAT_INVALID', `not a readable ZIP archive: ${errorMessage(error)}`)] };
  }
  if (zip.entryCount > limits.maxEntries) {
    const message = `the archive has ${zip.entryCount} entries, above the cap of ${limits.maxEntries}; raise maxEntries to read it`;
    return { entries: [], diagnostics: [fileDiagnostic(displayPath, 'LIMIT_EXCEEDED', message)] };
  }

  const entries: SelectedEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || !options.select(entry.fileName)) continue;
      entries.push({
        name: entry.fileName,
        uncompressedSize: entry.uncompressedSize,
        read: (maxSize) => readEntry({ zip, entry, displayPath, maxSize, limits, budget }),
      });
    }
  } catch (error) {
    // The entries listed before a corrupt central directory record are still read.
    diagnostics.push(fileDiagnostic(displayPath, 'FORMAT_INVALID', `corrupt ZIP central directory: ${errorMessage(error)}`));
  }
  return { entries, diagnostics };
}

async function readEntry(options: {
  zip: yauzl.ZipFile;
  entry: yauzl.Entry;
  displayPath: string;
  maxSize: number;
  limits: ZipLimits;
  budget: ExtractionBudget;
}): Promise<Buffer | Diagnostic> {
  const { entry, limits, budget } = options;
  const target = `${options.displayPath}/${entry.fileName}`;
  const size = entry.uncompressedSize;

  if (size > options.maxSize) {
    return fileDiagnostic(target, 'LIMIT_EXCEEDED', `entry of ${size} bytes is above the ${options.maxSize}-byte cap; it is not read`);
  }
  if (size > RATIO_CHECK_FLOOR && size > entry.compressedSize * limits.maxCompressionRatio) {
    const ratio = entry.compressedSize === 0 ? 'an unbounded' : `a ${Math.round(size / entry.compressedSize)}:1`;
    return fileDiagnostic(target, 'LIMIT_EXCEEDED', `entry has ${ratio} compression ratio, above the ${limits.maxCompressionRatio}:1 cap; it is not read`);
  }
  if (size > budget.remainingBytes) {
    return fileDiagnostic(target, 'LIMIT_EXCEEDED', `reading ${size} more bytes would exceed the decompression budget for this file; it is not read`);
  }
  if (entry.isEncrypted()) return fileDiagnostic(target, 'UNSUPPORTED', 'entry is encrypted; it is not read');

  budget.remainingBytes -= size;
  try {
    // validateEntrySizes makes the stream fail when the data decompresses to more or fewer bytes
    // than the central directory declares, so the size checks above hold for the real data.
    const stream = await options.zip.openReadStreamPromise(entry);
    return await collect(stream);
  } catch (error) {
    return fileDiagnostic(target, 'FORMAT_INVALID', `could not decompress the entry: ${errorMessage(error)}`);
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
