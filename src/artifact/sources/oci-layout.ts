import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, LimitError, UsageError } from '../../errors.js';
import type { ImageSource, LayerRef, Platform } from '../source.js';
import { parseJson, verifyBytes, verifyStream } from '../digest.js';
import { directoryLayoutFiles, type LayoutFiles } from './layout-files.js';
import { resolveSourceLimits, type ResolvedSourceLimits, type SourceLimits } from './limits.js';
import {
  MEDIA_TYPES,
  documentKind,
  expectObject,
  layerKind,
  parseImageConfig,
  parseIndex,
  parseManifest,
  unsupportedDocument,
  type Descriptor,
} from './oci-manifest.js';
import { descriptorNames, filterByReference, selectDescriptor } from './oci-select.js';
import { checkConfigPlatform, DEFAULT_PLATFORM } from '../platform.js';

export interface OciLayoutOptions {
  /** The platform to select from a multi-platform index. Default: linux/amd64. */
  platform?: Platform;
  /**
   * The image to select from `index.json`: its `org.opencontainers.image.ref.name` (usually a
   * tag) or its full `io.containerd.image.name`. Required when the index names several images.
   */
  reference?: string;
  limits?: SourceLimits;
}

/** Deepest chain of nested indexes followed from `index.json` to a manifest. */
const MAX_INDEX_DEPTH = 4;

const CONFIG_MEDIA_TYPES = new Set<string>([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);

/**
 * Opens an OCI image layout directory (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), like
 * skopeo's `oci:path[:reference]`. Raises an InputError (NOT_FOUND) for a directory that is
 * not a layout.
 */
export async function openOciLayout(path: string, options: OciLayoutOptions = {}): Promise<ImageSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot open OCI layout ${path}: ${error.message}`, { cause: error });
  });
  if (!info.isDirectory()) throw new UsageError(`${path} is not a directory; open an oci-archive tar with openOciArchive`);
  return openLayoutImage(directoryLayoutFiles(path), { name: path, type: 'oci-layout', ...options });
}

export interface LayoutImageOptions extends OciLayoutOptions {
  name: string;
  type: 'oci-layout' | 'oci-archive';
}

/**
 * Resolves `index.json` through nested indexes to one image manifest, reads and verifies the
 * manifest and config, and checks that every layer blob is present. Closes `files` when it fails.
 */
export async function openLayoutImage(files: LayoutFiles, options: LayoutImageOptions): Promise<ImageSource> {
  try {
    return await resolveLayoutImage(files, options);
  } catch (error) {
    await files.close();
    throw error;
  }
}

async function resolveLayoutImage(files: LayoutFiles, options: LayoutImageOptions): Promise<ImageSource> {
  const limits = resolveSourceLimits(options.limits);
  const where = files.location;
  await checkLayoutMarker(files, limits);

  const indexBytes = await files.read('index.json', { maxBytes: limits.maxManifestBytes, limitName: 'maxManifestBytes' });
  const index = parseIndex(parseJson(indexBytes, `${where}: index.json`), `${where}: index.json`);
  const topLevel = options.reference === undefined ? index.manifests : filterByReference(index.manifests, options.reference, `${where}: index.json`);
  const selectOptions = { platform: options.platform ?? DEFAULT_PLATFORM, platformRequested: options.platform !== undefined };

  // Walk from index.json through nested indexes until the chosen descriptor is a manifest.
  let descriptor = selectDescriptor(topLevel, { ...selectOptions, subject: `${where}: index.json` });
  const names = descriptorNames(descriptor);
  let document: unknown;
  for (let depth = 0; ; depth++) {
    const subject = `${where}: manifest ${descriptor.digest.digest}`;
    document = parseJson(await readBlob(files, descriptor, { maxBytes: limits.maxManifestBytes, limitName: 'maxManifestBytes', subject }), subject);
    const kind = documentKind(document);
    if (kind === 'manifest') break;
    if (kind !== 'index') throw unsupportedDocument(subject, kind);
    if (depth + 1 >= MAX_INDEX_DEPTH) throw new InputError('FORMAT_INVALID', `${subject}: indexes nest deeper than ${MAX_INDEX_DEPTH} levels`);
    descriptor = selectDescriptor(parseIndex(document, subject).manifests, { ...selectOptions, subject });
  }

  const manifestSubject = `${where}: manifest ${descriptor.digest.digest}`;
  const manifest = parseManifest(document, manifestSubject);
  if (!CONFIG_MEDIA_TYPES.has(manifest.config.mediaType)) {
    throw new InputError('UNSUPPORTED', `${manifestSubject}: config media type ${manifest.config.mediaType} is not a container image config; the manifest describes another kind of artifact`);
  }
  const configSubject = `${where}: config ${manifest.config.digest.digest}`;
  const configBytes = await readBlob(files, manifest.config, { maxBytes: limits.maxConfigBytes, limitName: 'maxConfigBytes', subject: configSubject });
  const { config, diffIds } = parseImageConfig(parseJson(configBytes, configSubject), configSubject);
  checkConfigPlatform(config, options.platform, configSubject);

  if (diffIds.length !== manifest.layers.length) {
    throw new InputError('FORMAT_INVALID', `${manifestSubject}: lists ${manifest.layers.length} layers but config rootfs.diff_ids lists ${diffIds.length}`);
  }
  const layers: LayerRef[] = [];
  const blobs = new Map<string, Descriptor>();
  for (const [i, layer] of manifest.layers.entries()) {
    await checkLayerBlob(files, layer, `${manifestSubject}: layers[${i}]`);
    layers.push({ digest: layer.digest.digest, diffId: diffIds[i]!, mediaType: layer.mediaType, size: layer.size });
    blobs.set(layer.digest.digest, layer);
  }

  return {
    name: options.name,
    type: options.type,
    manifestDigest: descriptor.digest.digest,
    configDigest: manifest.config.digest.digest,
    config,
    repoTags: [...new Set(names)].sort(),
    layers,
    async openLayer(layer: LayerRef): Promise<Readable> {
      const blob = blobs.get(layer.digest);
      if (blob === undefined) throw new UsageError(`${options.name}: ${layer.digest} is not a layer of this image`);
      return verifyStream(files.open(blobPath(blob)), { digest: blob.digest, size: blob.size, subject: `${where}: layer ${layer.digest}` });
    },
    close: () => files.close(),
  };
}

async function checkLayoutMarker(files: LayoutFiles, limits: ResolvedSourceLimits): Promise<void> {
  const where = files.location;
  if ((await files.size('oci-layout')) === undefined) {
    throw new InputError('NOT_FOUND', `${where}: not an OCI image layout (no oci-layout file)`);
  }
  const marker = expectObject(parseJson(await files.read('oci-layout', { maxBytes: limits.maxManifestBytes, limitName: 'maxManifestBytes' }), `${where}: oci-layout`), `${where}: oci-layout`);
  const version = marker.imageLayoutVersion;
  if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) {
    throw new InputError('UNSUPPORTED', `${where}: oci-layout imageLayoutVersion ${JSON.stringify(version)} is not supported; expected 1.x.y`);
  }
}

/** Reads a manifest or config blob and checks its size and digest against the descriptor. */
async function readBlob(files: LayoutFiles, descriptor: Descriptor, options: { maxBytes: number; limitName: string; subject: string }): Promise<Buffer> {
  const path = blobPath(descriptor);
  if (descriptor.size > options.maxBytes) {
    throw new LimitError(`${options.subject}: the descriptor gives ${descriptor.size} bytes, above the ${options.maxBytes}-byte cap; raise ${options.limitName} if the image is trusted`);
  }
  if ((await files.size(path)) === undefined) {
    throw new InputError('NOT_FOUND', `${options.subject}: blob ${path} is missing (a ${descriptor.mediaType} of ${descriptor.size} bytes); copy the image again with all its blobs`);
  }
  const bytes = await files.read(path, options);
  verifyBytes(bytes, { digest: descriptor.digest, size: descriptor.size, subject: options.subject });
  return bytes;
}

async function checkLayerBlob(files: LayoutFiles, layer: Descriptor, subject: string): Promise<void> {
  const kind = layerKind(layer.mediaType);
  if (kind === undefined) {
    throw new InputError('UNSUPPORTED', `${subject}: media type ${layer.mediaType} is not a tar layer (encrypted layers and artifacts are not supported)`);
  }
  const present = (await files.size(blobPath(layer))) !== undefined;
  if (!present && !kind.distributable) {
    const from = layer.urls.length > 0 ? ` (the manifest points to ${layer.urls.join(', ')})` : '';
    throw new InputError('UNSUPPORTED', `${subject}: non-distributable layer ${layer.digest.digest} is not in the layout${from}; fetching foreign layers is not supported`);
  }
  if (!present) {
    throw new InputError('NOT_FOUND', `${subject}: blob ${blobPath(layer)} is missing (the manifest expects a ${layer.mediaType} of ${layer.size} bytes); copy the image again with all its blobs`);
  }
}

function blobPath(descriptor: Descriptor): string {
  return `blobs/${descriptor.digest.algorithm}/${descriptor.digest.hex}`;
}
