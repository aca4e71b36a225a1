import { InputError } from '../../errors.js';
import type { ImageSource } from '../source.js';
import { tarLayoutFiles } from './layout-files.js';
import { openLayoutImage, type OciLayoutOptions } from './oci-layout.js';
import { openTarArchive } from './open-tar.js';
import type { TarIndex } from './tar-index.js';

export interface OciArchiveOptions extends OciLayoutOptions {
  /** The cache folder, needed for a gzip-compressed archive, which is decompressed into `cacheDir/tmp/`. */
  cacheDir?: string;
}

/**
 * Opens a tar of an OCI image layout, like skopeo's `oci-archive:path[:reference]`. A plain tar
 * is read in place through its index; a gzip-compressed one is first decompressed into the
 * cache folder. `close()` releases the file and deletes that copy.
 */
export async function openOciArchive(path: string, options: OciArchiveOptions = {}): Promise<ImageSource> {
  const index = await openTarArchive(path, { cacheDir: options.cacheDir, limits: options.limits });
  return ociArchiveFromIndex(index, { ...options, name: path });
}

/** Opens the image of an already indexed OCI-layout tar. Closes the index when it fails. */
export async function ociArchiveFromIndex(index: TarIndex, options: OciLayoutOptions & { name: string }): Promise<ImageSource> {
  if (index.get('oci-layout') === undefined) {
    await index.close();
    throw new InputError('NOT_FOUND', `${options.name}: not an OCI archive (no oci-layout member)`);
  }
  return openLayoutImage(tarLayoutFiles(index), { ...options, type: 'oci-archive' });
}
