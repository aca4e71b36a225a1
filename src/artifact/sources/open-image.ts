import { stat } from 'node:fs/promises';
import { InputError, UsageError } from '../../errors.js';
import type { ImageSource, Platform } from '../source.js';
import { dockerArchiveFromIndex } from './docker-archive.js';
import type { SourceLimits } from './limits.js';
import { ociArchiveFromIndex } from './oci-archive.js';
import { openOciLayout } from './oci-layout.js';
import { openTarArchive } from './open-tar.js';

export type LocalImageKind = 'docker-archive' | 'oci-layout' | 'oci-archive';

export interface OpenImageOptions {
  /** The platform to select from a multi-platform OCI index. Default: linux/amd64. */
  platform?: Platform;
  /**
   * The image to open when the archive or layout holds several: `repo:tag` (or `@N` for a
   * docker-archive), or the OCI reference name. A reference in the target string does the same.
   */
  image?: string;
  /** The cache folder. Gzip-compressed archives are decompressed into its `tmp/` subfolder. */
  cacheDir: string;
  limits?: SourceLimits;
  /** See DockerArchiveOptions.allowMissingBaseLayers. Default: false. */
  allowMissingBaseLayers?: boolean;
}

/** A parsed target: what kind the prefix names, the path, and the image reference after it. */
export interface ImageTarget {
  kind?: LocalImageKind;
  path: string;
  reference?: string;
}

const PREFIXES: Record<string, LocalImageKind> = {
  'docker-archive:': 'docker-archive',
  'oci:': 'oci-layout',
  'oci-archive:': 'oci-archive',
};

/**
 * Parses `[docker-archive:|oci:|oci-archive:]path[:reference]`. After a prefix the path ends at
 * the first `:`, as in skopeo. Without a prefix the whole string is the path when it exists,
 * and otherwise the text after the last `:` is the reference.
 */
export async function parseImageTarget(text: string): Promise<ImageTarget> {
  for (const [prefix, kind] of Object.entries(PREFIXES)) {
    if (!text.startsWith(prefix)) continue;
    const rest = text.slice(prefix.length);
    const colon = rest.indexOf(':');
    if (colon < 0) return { kind, path: rest };
    return { kind, path: rest.slice(0, colon), reference: rest.slice(colon + 1) };
  }
  if (await exists(text)) return { path: text };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && (await exists(text.slice(0, colon)))) return { path: text.slice(0, colon), reference: text.slice(colon + 1) };
  return { path: text };
}

/**
 * Opens a local image: an OCI layout directory, an oci-archive tar, or a docker-archive tar,
 * plain or gzip-compressed. Without a prefix the kind is detected from the content: a
 * directory with `oci-layout`, a tar with an `oci-layout` member (Docker 25+ archives have one
 * too), or a tar with `manifest.json` or `repositories`.
 */
export async function openImage(target: string, options: OpenImageOptions): Promise<ImageSource> {
  const parsed = await parseImageTarget(target);
  if (parsed.reference !== undefined && options.image !== undefined && parsed.reference !== options.image) {
    throw new UsageError(`${target} names image "${parsed.reference}" but the image option names "${options.image}"; give only one`);
  }
  const reference = parsed.reference ?? options.image;
  const info = await stat(parsed.path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot open image ${parsed.path}: ${error.message}`, { cause: error });
  });
  const common = { name: target, limits: options.limits };
  const ociOptions = reference === undefined ? common : { ...common, reference };
  const withPlatform = options.platform === undefined ? ociOptions : { ...ociOptions, platform: options.platform };

  if (info.isDirectory()) {
    if (parsed.kind !== undefined && parsed.kind !== 'oci-layout') {
      throw new UsageError(`${parsed.path} is a directory, but the ${parsed.kind}: prefix names a tar file`);
    }
    return openOciLayout(parsed.path, withPlatform);
  }
  if (parsed.kind === 'oci-layout') {
    throw new UsageError(`${parsed.path} is a file; use the oci-archive: prefix for a tar of an OCI layout`);
  }

  const index = await openTarArchive(parsed.path, { cacheDir: options.cacheDir, limits: options.limits });
  const isOciArchive = index.get('oci-layout') !== undefined;
  const isDockerArchive = index.get('manifest.json') !== undefined || index.get('repositories') !== undefined;
  let kind = parsed.kind;
  if (kind === undefined && isOciArchive) kind = 'oci-archive';
  if (kind === undefined && isDockerArchive) kind = 'docker-archive';
  if (kind === undefined) {
    await index.close();
    throw new InputError(
      'FORMAT_INVALID',
      `${parsed.path} is a tar but not an image archive: it has no oci-layout, manifest.json or repositories member; create one with "docker save" or "skopeo copy"`,
    );
  }
  if (kind === 'oci-archive') return ociArchiveFromIndex(index, withPlatform);

  const dockerOptions = {
    ...common,
    ...(reference === undefined ? {} : { image: reference }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    allowMissingBaseLayers: options.allowMissingBaseLayers === true,
  };
  return dockerArchiveFromIndex(index, dockerOptions);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
