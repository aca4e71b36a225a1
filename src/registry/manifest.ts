import { BulwarkError, InputError, errorMessage } from '../errors.js';
import type { Platform } from '../artifact/source.js';
import { isValidDigest } from '../artifact/digest.js';

/** Media types of manifests, indexes, configs and layers (OCI image spec v1.1, Docker image manifest v2.2). */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifestV1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerManifestV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** The Accept header of manifest requests: every image and index format the client reads. */
export const MANIFEST_ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');

/** A reference from one manifest to a blob or another manifest. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform & { 'os.version'?: string; 'os.features'?: string[]; features?: string[] };
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type ParsedManifest = ImageManifest | ImageIndex;

/**
 * Parses and checks a manifest or index. The media type comes from the document's `mediaType`
 * field, else from the response Content-Type, else from the shape (`manifests` means an index).
 *
 * @throws {BulwarkError} UNSUPPORTED for Docker schema 1 and unknown media types.
 * @throws {InputError} FORMAT_INVALID for malformed JSON or descriptors; the message names the field.
 */
export function parseManifest(content: Buffer, contentType: string | undefined, source: string): ParsedManifest {
  let document: unknown;
  try {
    document = JSON.parse(content.toString('utf8'));
  } catch (error) {
    // Registry content is untrusted, so a syntax error becomes the package's own error.
    throw new InputError('FORMAT_INVALID', `manifest ${source} is not valid JSON: ${errorMessage(error)}`);
  }
  if (!isRecord(document)) throw new InputError('FORMAT_INVALID', `manifest ${source} is not a JSON object`);

  const headerType = contentType?.split(';')[0]?.trim().toLowerCase();
  const declared = typeof document.mediaType === 'string' ? document.mediaType : undefined;
  if (document.schemaVersion === 1 || headerType === MediaType.dockerManifestV1 || headerType === MediaType.dockerManifestV1Signed) {
    throw new BulwarkError('UNSUPPORTED', `manifest ${source} uses Docker image manifest schema 1, which Bulwark does not read; push the image again with a current Docker or skopeo to get schema 2`);
  }
  if (document.schemaVersion !== 2) {
    throw new InputError('FORMAT_INVALID', `manifest ${source} has schemaVersion ${JSON.stringify(document.schemaVersion)}; expected 2`);
  }

  const usefulHeaderType = headerType === 'application/json' || headerType === 'application/octet-stream' ? undefined : headerType;
  const mediaType = declared ?? usefulHeaderType ?? (Array.isArray(document.manifests) ? MediaType.ociIndex : MediaType.ociManifest);
  const subject = document.subject === undefined ? undefined : parseDescriptor(document.subject, `${source} subject`);
  const annotations = parseAnnotations(document.annotations, source);

  if (mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList) {
    if (!Array.isArray(document.manifests)) throw new InputError('FORMAT_INVALID', `index ${source} has no "manifests" array`);
    const manifests = document.manifests.map((entry, i) => parseDescriptor(entry, `${source} manifests[${i}]`));
    return { kind: 'index', mediaType, manifests, ...(subject && { subject }), ...(annotations && { annotations }) };
  }
  if (mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest) {
    const config = parseDescriptor(document.config, `${source} config`);
    if (!Array.isArray(document.layers)) throw new InputError('FORMAT_INVALID', `manifest ${source} has no "layers" array`);
    const layers = document.layers.map((entry, i) => parseDescriptor(entry, `${source} layers[${i}]`));
    return { kind: 'manifest', mediaType, config, layers, ...(subject && { subject }), ...(annotations && { annotations }) };
  }
  throw new BulwarkError('UNSUPPORTED', `manifest ${source} has media type "${mediaType}", which is neither an image manifest nor an index`);
}

/** Checks the fields of one descriptor and returns a clean copy. */
export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isRecord(value)) throw new InputError('FORMAT_INVALID', `descriptor ${where} is missing or not an object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || mediaType === '') throw new InputError('FORMAT_INVALID', `descriptor ${where} has no "mediaType"`);
  if (typeof digest !== 'string' || !isValidDigest(digest)) {
    throw new InputError('FORMAT_INVALID', `descriptor ${where} has invalid digest ${JSON.stringify(digest)}; expected sha256:<64 hex digits>`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new InputError('FORMAT_INVALID', `descriptor ${where} has invalid size ${JSON.stringify(size)}; expected a non-negative integer`);
  }

  const descriptor: Descriptor = { mediaType, digest, size };
  if (isRecord(value.platform)) {
    const { os, architecture, variant } = value.platform;
    if (typeof os !== 'string' || typeof architecture !== 'string') {
      throw new InputError('FORMAT_INVALID', `descriptor ${where} has a platform without "os" and "architecture" strings`);
    }
    descriptor.platform = { os, architecture, ...(typeof variant === 'string' && variant !== '' && { variant }) };
    const osVersion = value.platform['os.version'];
    if (typeof osVersion === 'string') descriptor.platform['os.version'] = osVersion;
  }
  const annotations = parseAnnotations(value.annotations, where);
  if (annotations !== undefined) descriptor.annotations = annotations;
  if (Array.isArray(value.urls)) descriptor.urls = value.urls.filter((url): url is string => typeof url === 'string');
  return descriptor;
}

function parseAnnotations(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new InputError('FORMAT_INVALID', `annotations of ${where} must be an object of strings`);
  }
  return value as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
