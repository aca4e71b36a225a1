/**
 * Layers stored as members of a docker-archive tar, and the ImageSource over them that both
 * the manifest.json and the legacy `repositories` layout return.
 */
import type { Readable } from 'node:stream';
import { DigestError, InputError, UsageError } from '../../errors.js';
import type { ImageConfig, ImageSource, LayerRef } from '../source.js';
import { digestStream, parseDigest, verifyStream, type ParsedDigest } from '../digest.js';
import { layerKind, ociLayerMediaType } from './oci-manifest.js';
import { detectCompression } from './open-tar.js';
import type { TarEntry, TarIndex } from './tar-index.js';

/** A layer member together with the digest its bytes must have. */
export interface TarLayer {
  ref: LayerRef;
  entry: TarEntry;
  expected: ParsedDigest;
}

export interface TarLayerOptions {
  /** The layer's diff ID from the config, or computed for legacy layouts. */
  diffId: string;
  /** The media type that `LayerSources` in manifest.json records, when present. */
  mediaType?: string;
  /** Names the layer in messages: archive, member, and which manifest lists it. */
  subject: string;
}

/**
 * Describes one layer member. The compression comes from the magic number, not the name. An
 * uncompressed layer's digest is its diff ID. A compressed layer stored as `blobs/<alg>/<hex>`
 * (Docker 25+) has that digest, and one stored under any other name is hashed once here.
 */
export async function describeTarLayer(index: TarIndex, entry: TarEntry, options: TarLayerOptions): Promise<TarLayer> {
  const compression = detectCompression(await index.readRange(entry, 6));
  if (compression === 'bzip2' || compression === 'xz') {
    throw new InputError('UNSUPPORTED', `${options.subject}: the layer is ${compression}-compressed, which image layers never are`);
  }
  const hinted = options.mediaType === undefined ? undefined : layerKind(options.mediaType);
  const mediaType = hinted !== undefined && hinted.compression === compression ? options.mediaType! : ociLayerMediaType(compression);
  const nameDigest = digestFromBlobPath(entry.name);
  const diffId = parseDigest(options.diffId)!;

  let expected: ParsedDigest;
  if (compression === 'none') {
    if (nameDigest !== undefined && nameDigest.digest !== diffId.digest) {
      throw new DigestError(`${options.subject}: the uncompressed layer is stored as ${entry.name} but the config's diff_id is ${diffId.digest}; the archive was modified`);
    }
    expected = diffId;
  } else if (nameDigest !== undefined) {
    expected = nameDigest;
  } else {
    // NOTE: an old-style name carries no digest for a compressed layer. The digest computed
    // here only detects changes between open and read, not tampering before open.
    expected = parseDigest((await digestStream(index.openStream(entry))).digest)!;
  }
  return { ref: { digest: expected.digest, diffId: diffId.digest, mediaType, size: entry.size }, entry, expected };
}

/** Returns the digest that a Docker 25+ member name such as `blobs/sha256/<hex>` encodes. */
export function digestFromBlobPath(name: string): ParsedDigest | undefined {
  const match = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(name);
  return match === null ? undefined : parseDigest(`${match[1]}:${match[2]}`);
}

export interface TarImageSourceOptions {
  index: TarIndex;
  name: string;
  manifestDigest?: string;
  configDigest: string;
  config: ImageConfig;
  repoTags: string[];
  layers: TarLayer[];
}

/** Builds the ImageSource of a docker-archive: layer reads verify the digest while streaming. */
export function tarImageSource(options: TarImageSourceOptions): ImageSource {
  const { index } = options;
  const byDigest = new Map(options.layers.map((layer) => [layer.ref.digest, layer]));
  const source: ImageSource = {
    name: options.name,
    type: 'docker-archive',
    configDigest: options.configDigest,
    config: options.config,
    repoTags: [...new Set(options.repoTags)].sort(),
    layers: options.layers.map((layer) => layer.ref),
    async openLayer(layer: LayerRef): Promise<Readable> {
      const stored = byDigest.get(layer.digest);
      if (stored === undefined) throw new UsageError(`${options.name}: ${layer.digest} is not a layer of this image`);
      return verifyStream(index.openStream(stored.entry), {
        digest: stored.expected,
        subject: `${index.label}: layer ${stored.entry.name} (${layer.digest})`,
      });
    },
    close: () => index.close(),
  };
  return options.manifestDigest === undefined ? source : { ...source, manifestDigest: options.manifestDigest };
}
