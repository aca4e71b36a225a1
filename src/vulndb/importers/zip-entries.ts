import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

import { InputError, LimitError, errorMessage } from '../../errors.js';
import type { ImportLimits } from './context.js';

/** One file of a zip archive with its whole content. */
export interface ZipFileEntry {
  name: string;
  content: Buffer;
}

/**
 * Yields the files of a zip archive whose names pass `wanted`, in archive order. Throws
 * LimitError when the archive has more entries than `maxZipEntries`, or when an entry is larger
 * than `maxFileSize` or expands more than `maxCompressionRatio` times. yauzl checks that each
 * entry's real size matches its header, so a lying header cannot get past the caps.
 */
export async function* readZipEntries(path: string, limits: ImportLimits, wanted: (name: string) => boolean): AsyncGenerator<ZipFileEntry> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new LimitError(`${path} has ${zip.entryCount} entries, over the cap of ${limits.maxZipEntries}; raise maxZipEntries to import it`);
    }
    for (;;) {
      const entry = await nextEntry(zip, path);
      if (entry === undefined) return;
      if (entry.fileName.endsWith('/') || !wanted(entry.fileName)) continue;
      checkEntryCaps(path, entry, limits);
      yield { name: entry.fileName, content: await readEntry(zip, entry, path) };
    }
  } finally {
    zip.close();
  }
}

function checkEntryCaps(path: string, entry: Entry, limits: ImportLimits): void {
  if (entry.uncompressedSize > limits.maxFileSize) {
    throw new LimitError(
      `${path}: entry ${entry.fileName} is ${entry.uncompressedSize} bytes, over the cap of ${limits.maxFileSize}; raise maxFileSize to import it`,
    );
  }
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (ratio > limits.maxCompressionRatio) {
    throw new LimitError(
      `${path}: entry ${entry.fileName} expands ${ratio.toFixed(0)} times, over the cap of ${limits.maxCompressionRatio}; ` +
        'raise maxCompressionRatio if the archive is trusted',
    );
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) => {
      if (error) reject(new InputError('FORMAT_INVALID', `${path} is not a readable zip file: ${error.message}`, { cause: error }));
      else resolve(zip);
    });
  });
}

function nextEntry(zip: ZipFile, path: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new InputError('FORMAT_INVALID', `${path}: cannot read the zip directory: ${error.message}`, { cause: error }));
    };
    const cleanup = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function readEntry(zip: ZipFile, entry: Entry, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(new InputError('FORMAT_INVALID', `${path}: cannot read entry ${entry.fileName}: ${error.message}`, { cause: error }));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', (streamError) =>
        reject(new InputError('FORMAT_INVALID', `${path}: entry ${entry.fileName} is corrupt: ${errorMessage(streamError)}`, { cause: streamError })),
      );
    });
  });
}
