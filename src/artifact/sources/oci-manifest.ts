/**
 * Media types and shape checks for OCI image indexes, manifests and configs, and their Docker
 * schema 2 equivalents. The checks turn untrusted JSON into typed values or an InputError
 * naming the field.
 */
import { InputError } from '../../errors.js';
import type { ImageConfig, Platform } from '../source.js';
import { parseDigest, type ParsedDigest } from '../digest.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerManifestSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export type LayerCompression = 'none' | 'gzip' | 'zstd';

const DISTRIBUTABLE_LAYERS: Record<string, LayerCompression> = {
  [MEDIA_TYPES.ociLayer]: 'none',
  [MEDIA_TYPES.ociLayerGzip]: 'gzip',
  [MEDIA_TYPES.ociLayerZstd]: 'zstd',
  [MEDIA_TYPES.dockerLayer]: 'none',
  [MEDIA_TYPES.dockerLayerGzip]: 'gzip',
};

/** Layers whose blobs registries and exporters may leave out (Windows base layers). */
const NON_DISTRIBUTABLE_LAYERS: Record<string, LayerCompression> = {
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
};

/** Returns how a layer media type stores its tar, or undefined for types that are not image layers. */
export function layerKind(mediaType: string): { compression: LayerCompression; distributable: boolean } | undefined {
  const distributable = DISTRIBUTABLE_LAYERS[mediaType];
  if (distributable !== undefined) return { compression: distributable, distributable: true };
  const foreign = NON_DISTRIBUTABLE_LAYERS[mediaType];
  if (foreign !== undefined) return { compression: foreign, distributable: false };
  return undefined;
}

/** Returns the OCI media type of a layer with the given compression, for archives that record none. */
export function ociLayerMediaType(compression: LayerCompression): string {
  if (compression === 'gzip') return MEDIA_TYPES.ociLayerGzip;
  if (compression === 'zstd') return MEDIA_TYPES.ociLayerZstd;
  return MEDIA_TYPES.ociLayer;
}

/** An OCI content descriptor after validation. */
export interface Descriptor {
  mediaType: string;
  digest: ParsedDigest;
  size: number;
  platform?: Platform;
  annotations: Record<string, string>;
  urls: string[];
}

export interface ParsedIndex {
  manifests: Descriptor[];
}

export interface ParsedManifest {
  config: Descriptor;
  layers: Descriptor[];
}

/** Checks the shape of an image index (or Docker manifest list). */
export function parseIndex(value: unknown, subject: string): ParsedIndex {
  const index = expectObject(value, subject);
  expectSchemaVersion(index, subject);
  if (!Array.isArray(index.manifests)) throw invalid(subject, 'manifests', 'an array', index.manifests);
  return { manifests: index.manifests.map((item, i) => parseDescriptor(item, `${subject}: manifests[${i}]`)) };
}

/** Checks the shape of an image manifest (OCI or Docker schema 2). */
export function parseManifest(value: unknown, subject: string): ParsedManifest {
  const manifest = expectObject(value, subject);
  expectSchemaVersion(manifest, subject);
  if (!Array.isArray(manifest.layers)) throw invalid(subject, 'layers', 'an array', manifest.layers);
  return {
    config: parseDescriptor(manifest.config, `${subject}: config`),
    layers: manifest.layers.map((item, i) => parseDescriptor(item, `${subject}: layers[${i}]`)),
  };
}

/** Classifies a manifest document by its `mediaType` field or, when absent, by its keys. */
export function documentKind(value: unknown): 'index' | 'manifest' | 'schema1' | 'unknown' {
  if (typeof value !== 'object' || value === null) return 'unknown';
  const document = value as Record<string, unknown>;
  const mediaType = document.mediaType;
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList) return 'index';
  if (mediaType === MEDIA_TYPES.ociManifest || mediaType === MEDIA_TYPES.dockerManifest) return 'manifest';
  if (document.schemaVersion === 1) return 'schema1';
  if (mediaType !== undefined) return 'unknown';
  if (Array.isArray(document.manifests)) return 'index';
  if (Array.isArray(document.layers)) return 'manifest';
  return 'unknown';
}

/**
 * Checks an image config and returns it with its `rootfs.diff_ids` validated. Raises an
 * InputError for a config that is not an object or has no valid `rootfs.diff_ids`.
 */
export function parseImageConfig(value: unknown, subject: string): { config: ImageConfig; diffIds: string[] } {
  const config = expectObject(value, subject);
  const rootfs = config.rootfs;
  if (typeof rootfs !== 'object' || rootfs === null) throw invalid(subject, 'rootfs', 'an object', rootfs);
  const diffIds = (rootfs as Record<string, unknown>).diff_ids;
  if (!Array.isArray(diffIds)) throw invalid(subject, 'rootfs.diff_ids', 'an array', diffIds);
  diffIds.forEach((diffId, i) => {
    if (parseDigest(diffId) === undefined) throw invalid(subject, `rootfs.diff_ids[${i}]`, 'a digest', diffId);
  });
  return { config: config as ImageConfig, diffIds: diffIds as string[] };
}

/** Checks the shape of one descriptor: media type, digest, size, and optional platform. */
export function parseDescriptor(value: unknown, subject: string): Descriptor {
  const descriptor = expectObject(value, subject);
  if (typeof descriptor.mediaType !== 'string') throw invalid(subject, 'mediaType', 'a string', descriptor.mediaType);
  const digest = parseDigest(descriptor.digest);
  if (digest === undefined) throw invalid(subject, 'digest', 'a sha256 or sha512 digest', descriptor.digest);
  if (!Number.isSafeInteger(descriptor.size) || (descriptor.size as number) < 0) {
    throw invalid(subject, 'size', 'a non-negative integer', descriptor.size);
  }
  const result: Descriptor = {
    mediaType: descriptor.mediaType,
    digest,
    size: descriptor.size as number,
    annotations: stringRecord(descriptor.annotations),
    urls: Array.isArray(descriptor.urls) ? descriptor.urls.filter((url): url is string => typeof url === 'string') : [],
  };
  const platform = descriptor.platform;
  if (typeof platform === 'object' && platform !== null) {
    const { os, architecture, variant } = platform as Record<string, unknown>;
    if (typeof os !== 'string' || typeof architecture !== 'string') {
      throw invalid(subject, 'platform', 'an object with string os and architecture', platform);
    }
    result.platform = typeof variant === 'string' && variant !== '' ? { os, architecture, variant } : { os, architecture };
  }
  return result;
}

/** Raises an InputError for a media type that is not a manifest, naming what was found. */
export function unsupportedDocument(subject: string, kind: string): InputError {
  if (kind === 'schema1') {
    return new InputError('UNSUPPORTED', `${subject}: Docker image manifest schema 1 is not supported; convert the image with "skopeo copy --format v2s2"`);
  }
  return new InputError('UNSUPPORTED', `${subject}: not an image manifest or index (unknown mediaType); the layout may hold an artifact other than a container image`);
}

export function expectObject(value: unknown, subject: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('FORMAT_INVALID', `${subject}: expected a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function invalid(subject: string, field: string, expected: string, value: unknown): InputError {
  return new InputError('FORMAT_INVALID', `${subject}: field "${field}" must be ${expected}, got ${describe(value)}`);
}

/** Renders an untrusted value for a message, shortened so a hostile value cannot flood logs. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function expectSchemaVersion(document: Record<string, unknown>, subject: string): void {
  if (document.schemaVersion !== 2) throw invalid(subject, 'schemaVersion', '2', document.schemaVersion);
}

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return record;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') record[key] = item;
  }
  return record;
}
