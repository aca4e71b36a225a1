import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError, LimitError } from '../../errors.js';
import type { TarIndex } from './tar-index.js';

/** Blobs are read in 1 MiB chunks: fewer, larger reads keep the decompressor busy. */
const READ_CHUNK_SIZE = 1024 * 1024;

/**
 * Read access to the files of an OCI image layout, whether it is a directory or a tar read in
 * place. Paths are relative to the layout root and built only from fixed names and validated
 * digests, so they cannot leave the layout.
 */
export interface LayoutFiles {
  /** The directory or archive, for messages. */
  readonly location: string;
  /** Returns the size in bytes of a regular file, or undefined when it is absent. */
  size(path: string): Promise<number | undefined>;
  /** Reads a whole file. Raises a LimitError when it is larger than `maxBytes`. */
  read(path: string, options: { maxBytes: number; limitName: string }): Promise<Buffer>;
  /** Opens a stream over a file. Raises an InputError (NOT_FOUND) for a missing member of a tar. */
  open(path: string): Readable;
  /** Releases the archive file and any temporary copy. */
  close(): Promise<void>;
}

/** Layout files in a directory on disk. */
export function directoryLayoutFiles(root: string): LayoutFiles {
  return {
    location: root,
    async size(path) {
      try {
        const info = await stat(join(root, path));
        return info.isFile() ? info.size : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new InputError('IO', `${root}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
      }
    },
    async read(path, options) {
      const handle = await open(join(root, path), 'r').catch((error: NodeJS.ErrnoException) => {
        const code = error.code === 'ENOENT' ? 'NOT_FOUND' : 'IO';
        throw new InputError(code, `${root}: cannot read ${path}: ${error.message}`, { cause: error });
      });
      try {
        const { size } = await handle.stat();
        if (size > options.maxBytes) {
          throw new LimitError(`${root}: ${path} has ${size} bytes, above the ${options.maxBytes}-byte cap; raise ${options.limitName} if the layout is trusted`);
        }
        const buffer = Buffer.alloc(size);
        const { bytesRead } = await handle.read(buffer, 0, size, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    open(path) {
      return createReadStream(join(root, path), { highWaterMark: READ_CHUNK_SIZE });
    },
    async close() {},
  };
}

/** Layout files inside a tar archive, read in place through its index. */
export function tarLayoutFiles(index: TarIndex): LayoutFiles {
  return {
    location: index.label,
    async size(path) {
      return index.resolve(path)?.size;
    },
    async read(path, options) {
      const entry = index.resolve(path);
      if (entry === undefined) throw new InputError('NOT_FOUND', `${index.label}: member ${path} not found`);
      return index.read(entry, options);
    },
    open(path) {
      const entry = index.resolve(path);
      if (entry === undefined) throw new InputError('NOT_FOUND', `${index.label}: member ${path} not found`);
      return index.openStream(entry);
    },
    close: () => index.close(),
  };
}
