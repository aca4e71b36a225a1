import { DigestError, InputError, UsageError } from '../../errors.js';
import type { ImageSource, Platform } from '../source.js';
import { digestBytes, parseJson } from '../digest.js';
import { legacyDockerArchive } from './docker-legacy.js';
import { describeTarLayer, digestFromBlobPath, tarImageSource, type TarLayer } from './docker-layers.js';
import { sameImageName } from './image-reference.js';
import { resolveSourceLimits, type SourceLimits } from './limits.js';
import { describe, expectObject, invalid, layerKind, parseImageConfig } from './oci-manifest.js';
import { openTarArchive } from './open-tar.js';
import { checkConfigPlatform } from '../platform.js';
import type { TarIndex } from './tar-index.js';

export interface DockerArchiveOptions {
  /**
   * The image to open when the archive contains several: a `repo:tag` from `RepoTags` (compared
   * after Docker-style normalization, so `nginx` equals `docker.io/library/nginx:latest`) or
   * `@N`, the zero-based position in manifest.json, as in skopeo.
   */
  image?: string;
  /** When set, an image config for another platform raises NOT_FOUND. Archives hold one platform per image. */
  platform?: Platform;
  /** The cache folder, needed for a gzip-compressed archive, which is decompressed into `cacheDir/tmp/`. */
  cacheDir?: string;
  limits?: SourceLimits;
  /**
   * Accept a manifest.json that lists fewer layers than the config's `rootfs.diff_ids`, pairing
   * the listed layers with the last diff IDs. Only trimmed test archives look like this, and a
   * scan of one misses the absent base layers. Default: false, which raises FORMAT_INVALID.
   */
  allowMissingBaseLayers?: boolean;
}

/** One element of a docker-archive manifest.json. */
interface ManifestEntry {
  config: string;
  repoTags: string[];
  layers: string[];
  layerSources: Record<string, { mediaType?: unknown }>;
}

/**
 * Opens a `docker save` or `skopeo copy … docker-archive:` tar, read in place. Supports the
 * manifest.json layout (including Docker 25+ archives whose members are `blobs/sha256/…`) and
 * the legacy layout of `repositories` plus `<id>/json` and `<id>/layer.tar`.
 */
export async function openDockerArchive(path: string, options: DockerArchiveOptions = {}): Promise<ImageSource> {
  const index = await openTarArchive(path, { cacheDir: options.cacheDir, limits: options.limits });
  return dockerArchiveFromIndex(index, { ...options, name: path });
}

/** Opens the image of an already indexed docker-archive tar. Closes the index when it fails. */
export async function dockerArchiveFromIndex(index: TarIndex, options: DockerArchiveOptions & { name: string }): Promise<ImageSource> {
  try {
    if (index.get('manifest.json') === undefined) {
      if (index.get('repositories') === undefined) {
        throw new InputError('NOT_FOUND', `${options.name}: not a docker-archive (no manifest.json or repositories member)`);
      }
      return await legacyDockerArchive(index, options);
    }
    return await manifestDockerArchive(index, options);
  } catch (error) {
    await index.close();
    throw error;
  }
}

async function manifestDockerArchive(index: TarIndex, options: DockerArchiveOptions & { name: string }): Promise<ImageSource> {
  const limits = resolveSourceLimits(options.limits);
  const where = index.label;
  const manifestEntry = index.resolve('manifest.json')!;
  const manifestBytes = await index.read(manifestEntry, { maxBytes: limits.maxManifestBytes, limitName: 'maxManifestBytes' });
  const entries = parseManifestJson(parseJson(manifestBytes, `${where}: manifest.json`), `${where}: manifest.json`);
  const position = selectEntry(entries, options.image, `${where}: manifest.json`);
  const entry = entries[position]!;
  const subject = `${where}: manifest.json[${position}]`;

  const configMember = index.resolve(entry.config);
  if (configMember === undefined) throw new InputError('NOT_FOUND', `${subject}: config member "${entry.config}" is missing from the archive`);
  const configBytes = await index.read(configMember, { maxBytes: limits.maxConfigBytes, limitName: 'maxConfigBytes' });
  const configDigest = digestBytes(configBytes);
  // Both `docker save` (<image ID>.json) and Docker 25+ (blobs/sha256/<hex>) name the config by its digest.
  const namedDigest = digestFromBlobPath(configMember.name)?.digest ?? configNameDigest(configMember.name);
  if (namedDigest !== undefined && namedDigest !== configDigest) {
    throw new DigestError(`${subject}: config ${configMember.name} has digest ${configDigest}, not the one its name gives; the archive was modified`);
  }
  const configSubject = `${where}: config ${configMember.name}`;
  const { config, diffIds } = parseImageConfig(parseJson(configBytes, configSubject), configSubject);
  checkConfigPlatform(config, options.platform, configSubject);

  const layerDiffIds = pairDiffIds(entry.layers.length, diffIds, { subject, allowMissingBaseLayers: options.allowMissingBaseLayers === true });
  const layers: TarLayer[] = [];
  for (const [i, name] of entry.layers.entries()) {
    const diffId = layerDiffIds[i]!;
    const layerSubject = `${subject}: Layers[${i}] "${name}"`;
    const member = index.resolve(name);
    const mediaType = typeof entry.layerSources[diffId]?.mediaType === 'string' ? (entry.layerSources[diffId]!.mediaType as string) : undefined;
    if (member === undefined) {
      if (mediaType !== undefined && layerKind(mediaType)?.distributable === false) {
        throw new InputError('UNSUPPORTED', `${layerSubject}: foreign layer ${diffId} is not in the archive; fetching foreign layers is not supported`);
      }
      throw new InputError('NOT_FOUND', `${layerSubject}: the layer member is missing (expected diff_id ${diffId}); the archive is incomplete`);
    }
    const layerOptions = mediaType === undefined ? { diffId, subject: layerSubject } : { diffId, mediaType, subject: layerSubject };
    layers.push(await describeTarLayer(index, member, layerOptions));
  }

  return tarImageSource({ index, name: options.name, configDigest, config, repoTags: entry.repoTags, layers });
}

function parseManifestJson(value: unknown, subject: string): ManifestEntry[] {
  if (!Array.isArray(value)) throw new InputError('FORMAT_INVALID', `${subject}: expected a JSON array, got ${describe(value)}`);
  if (value.length === 0) throw new InputError('NOT_FOUND', `${subject}: the archive contains no images (manifest.json is an empty array)`);
  return value.map((item, i) => {
    const entrySubject = `${subject}[${i}]`;
    const entry = expectObject(item, entrySubject);
    if (typeof entry.Config !== 'string') throw invalid(entrySubject, 'Config', 'a string', entry.Config);
    if (!Array.isArray(entry.Layers) || entry.Layers.some((layer) => typeof layer !== 'string')) {
      throw invalid(entrySubject, 'Layers', 'an array of strings', entry.Layers);
    }
    const repoTags = entry.RepoTags ?? [];
    if (!Array.isArray(repoTags) || repoTags.some((tag) => typeof tag !== 'string')) {
      throw invalid(entrySubject, 'RepoTags', 'an array of strings or null', entry.RepoTags);
    }
    const layerSources = typeof entry.LayerSources === 'object' && entry.LayerSources !== null ? (entry.LayerSources as ManifestEntry['layerSources']) : {};
    return { config: entry.Config, repoTags: repoTags as string[], layers: entry.Layers as string[], layerSources };
  });
}

/** Picks the manifest.json element that the selector names, or the only one. */
function selectEntry(entries: ManifestEntry[], selector: string | undefined, subject: string): number {
  const choices = (): string =>
    entries.map((entry, i) => (entry.repoTags.length > 0 ? entry.repoTags.join(', ') : `@${i} (untagged)`)).join('; ');
  if (selector === undefined) {
    if (entries.length === 1) return 0;
    throw new UsageError(`${subject}: the archive contains ${entries.length} images; choose one as docker-archive:PATH:REPO:TAG or docker-archive:PATH:@N (N from 0): ${choices()}`);
  }
  const positional = /^@(\d+)$/.exec(selector);
  if (positional !== null) {
    const position = Number(positional[1]);
    if (position >= entries.length) throw new InputError('NOT_FOUND', `${subject}: no image @${position}; the archive contains ${entries.length}: ${choices()}`);
    return position;
  }
  const position = entries.findIndex((entry) => entry.repoTags.some((tag) => sameImageName(tag, selector)));
  if (position < 0) throw new InputError('NOT_FOUND', `${subject}: no image tagged "${selector}"; available: ${choices()}`);
  return position;
}

/**
 * Returns the diff ID of each listed layer. Layer i of manifest.json pairs with diff_ids[i], so
 * the counts must match, except for the trimmed archives that `allowMissingBaseLayers` admits.
 */
function pairDiffIds(layerCount: number, diffIds: string[], options: { subject: string; allowMissingBaseLayers: boolean }): string[] {
  if (layerCount === diffIds.length) return diffIds;
  if (layerCount < diffIds.length && options.allowMissingBaseLayers) return diffIds.slice(diffIds.length - layerCount);
  throw new InputError(
    'FORMAT_INVALID',
    `${options.subject}: lists ${layerCount} layers but the config's rootfs.diff_ids lists ${diffIds.length}; the archive is incomplete or was edited`,
  );
}

function configNameDigest(name: string): string | undefined {
  const match = /^([a-f0-9]{64})\.json$/.exec(name);
  return match === null ? undefined : `sha256:${match[1]}`;
}
