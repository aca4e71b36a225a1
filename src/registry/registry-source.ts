import type { Readable } from 'node:stream';
import type { ImageConfig, ImageSource, LayerRef, Platform } from '../artifact/source.js';
import { BulwarkError, InputError, LimitError } from '../errors.js';
import { RegistryClient, type FetchedManifest, type RegistryClientOptions } from './client.js';
import { MediaType, type Descriptor, type ImageManifest } from './manifest.js';
import { DEFAULT_PLATFORM, formatPlatform, normalizePlatform } from '../artifact/platform.js';
import { listPlatforms, selectPlatformManifest } from './platform.js';
import { formatReference, parseReference, type ImageReference } from './reference.js';

export interface RegistryImageOptions extends RegistryClientOptions {
  /** The platform to pick from a multi-platform index. Default: linux/amd64. */
  platform?: Platform;
  /** A client to reuse (its options win over the ones here); the source then leaves it open on close. */
  client?: RegistryClient;
  /** The maximum image config size, in bytes. Default: 8 MiB. */
  maxConfigBytes?: number;
}

// NOTE: 8 MiB is our own estimate of a safe cap for config JSON, not a measured or published
// limit. `maxConfigBytes` raises it.
const DEFAULT_MAX_CONFIG_BYTES = 8 * 1024 * 1024;
// Indexes may point at indexes, so the depth is capped to stop cycles and long chains.
const MAX_INDEX_DEPTH = 4;

const LAYER_MEDIA_TYPES = new Set<string>([
  MediaType.ociLayer,
  MediaType.ociLayerGzip,
  MediaType.ociLayerZstd,
  MediaType.dockerLayerGzip,
  MediaType.dockerLayer,
]);
const NON_DISTRIBUTABLE_MEDIA_TYPES = new Set<string>([
  MediaType.dockerForeignLayerGzip,
  MediaType.ociLayerNondistributable,
  MediaType.ociLayerNondistributableGzip,
  MediaType.ociLayerNondistributableZstd,
]);
const CONFIG_MEDIA_TYPES = new Set<string>([MediaType.ociConfig, MediaType.dockerConfig]);

/**
 * Opens an image in a registry as an ImageSource: resolves the reference to one image manifest
 * (through nested indexes, for the requested platform), fetches and verifies the config, and
 * streams verified layer blobs on demand.
 *
 * @throws {UsageError} for an invalid reference.
 * @throws {BulwarkError} NOT_FOUND when no manifest matches the platform; UNSUPPORTED for schema 1
 *   manifests, non-image artifacts and foreign or non-distributable layers.
 * @throws {NetworkError} for registries that cannot be reached, reject credentials or lack the image.
 */
export async function openRegistryImage(name: string, options: RegistryImageOptions = {}): Promise<ImageSource> {
  const reference = parseReference(name);
  const ownsClient = options.client === undefined;
  const client = options.client ?? new RegistryClient(options);
  try {
    const image = await resolveImage(client, reference, options.platform);
    if (!CONFIG_MEDIA_TYPES.has(image.manifest.config.mediaType)) {
      // OCI artifacts (Helm charts, signatures, SBOMs) use image manifests with their own config type.
      throw new BulwarkError('UNSUPPORTED', `${formatReference(reference)} is not a container image: its config has media type "${image.manifest.config.mediaType}"`);
    }
    const configBlob = await client.getJsonBlob(reference, image.manifest.config, options.maxConfigBytes ?? DEFAULT_MAX_CONFIG_BYTES);
    const config = checkConfig(configBlob.value, image.manifest.config.digest);
    if (options.platform !== undefined) assertConfigPlatform(config, options.platform, reference);
    const layers = describeLayers(image.manifest, config, reference);

    return {
      name,
      type: 'registry',
      manifestDigest: image.digest,
      configDigest: image.manifest.config.digest,
      config,
      repoTags: reference.tag === undefined ? [] : [`${reference.registry}/${reference.repository}:${reference.tag}`],
      layers,
      openLayer: (layer: LayerRef): Promise<Readable> => client.getBlob(reference, { digest: layer.digest, size: layer.size }),
      close: async () => {
        if (ownsClient) client.close();
      },
    };
  } catch (error) {
    if (ownsClient) client.close();
    throw error;
  }
}

/** Follows indexes down to the image manifest for a platform. */
async function resolveImage(client: RegistryClient, reference: ImageReference, platform: Platform | undefined): Promise<{ digest: string; manifest: ImageManifest }> {
  const wanted = platform ?? DEFAULT_PLATFORM;
  let current: FetchedManifest = await client.getManifest(reference);
  for (let depth = 0; current.manifest.kind === 'index'; depth += 1) {
    if (depth >= MAX_INDEX_DEPTH) {
      throw new LimitError(`image ${formatReference(reference)} nests indexes more than ${MAX_INDEX_DEPTH} levels deep`);
    }
    const index = current.manifest;
    let entry = selectPlatformManifest(index.manifests, wanted);
    // An index without platforms on its entries (a nested index, or a single-image index) is
    // followed through its only entry.
    if (entry === undefined && index.manifests.length === 1 && index.manifests[0]?.platform === undefined) entry = index.manifests[0];
    if (entry === undefined) {
      const offered = listPlatforms(index.manifests);
      throw new BulwarkError('NOT_FOUND', `image ${formatReference(reference)} has no manifest for platform ${formatPlatform(wanted)}; it offers ${offered.join(', ') || 'no platforms'}; pick one with --platform`);
    }
    current = await client.getManifest({ ...reference, digest: entry.digest });
  }
  return { digest: current.digest, manifest: current.manifest };
}

function checkConfig(value: unknown, digest: string): ImageConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('FORMAT_INVALID', `image config ${digest} is not a JSON object`);
  }
  const config = value as ImageConfig;
  const rootfs = config.rootfs;
  if (rootfs === undefined || !Array.isArray(rootfs.diff_ids) || rootfs.diff_ids.some((id) => typeof id !== 'string')) {
    throw new InputError('FORMAT_INVALID', `image config ${digest} has no "rootfs.diff_ids" array of strings`);
  }
  return config;
}

function assertConfigPlatform(config: ImageConfig, wanted: Platform, reference: ImageReference): void {
  if (config.os === undefined || config.architecture === undefined) return;
  const actual = normalizePlatform({ os: config.os, architecture: config.architecture, ...(config.variant !== undefined && { variant: config.variant }) });
  const target = normalizePlatform(wanted);
  if (actual.os !== target.os || actual.architecture !== target.architecture) {
    throw new BulwarkError('NOT_FOUND', `image ${formatReference(reference)} is for platform ${formatPlatform(actual)}, not the requested ${formatPlatform(target)}`);
  }
}

function describeLayers(manifest: ImageManifest, config: ImageConfig, reference: ImageReference): LayerRef[] {
  const name = formatReference(reference);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw new InputError('FORMAT_INVALID', `image ${name} has ${manifest.layers.length} layers in its manifest but ${diffIds.length} diff_ids in its config`);
  }
  return manifest.layers.map((layer: Descriptor, i: number) => {
    if (NON_DISTRIBUTABLE_MEDIA_TYPES.has(layer.mediaType)) {
      throw new BulwarkError('UNSUPPORTED', `image ${name} layer ${i} (${layer.digest}) is a foreign or non-distributable layer ("${layer.mediaType}"), which registries do not serve; Bulwark scans Linux images with distributable layers`);
    }
    if (!LAYER_MEDIA_TYPES.has(layer.mediaType)) {
      throw new BulwarkError('UNSUPPORTED', `image ${name} layer ${i} (${layer.digest}) has unsupported media type "${layer.mediaType}"`);
    }
    return { digest: layer.digest, diffId: diffIds[i] as string, mediaType: layer.mediaType, size: layer.size };
  });
}
