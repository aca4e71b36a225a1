/**
 * The legacy `docker save` layout of Docker before 1.10: no manifest.json, a `repositories`
 * file mapping repo → tag → top layer ID, and per-layer folders `<id>/json` (a v1 image JSON
 * with a `parent` ID) and `<id>/layer.tar`.
 */
import { InputError, LimitError, UsageError } from '../../errors.js';
import type { ImageConfig, ImageSource, Platform } from '../source.js';
import { digestBytes, digestStream, parseJson } from '../digest.js';
import { describeTarLayer, tarImageSource, type TarLayer } from './docker-layers.js';
import { normalizeImageName, sameImageName } from './image-reference.js';
import { resolveSourceLimits, type SourceLimits } from './limits.js';
import { expectObject } from './oci-manifest.js';
import { detectCompression } from './open-tar.js';
import { checkConfigPlatform } from '../platform.js';
import type { TarIndex } from './tar-index.js';

/** Maximum parent chain length. A longer chain is treated as a hostile archive. */
const MAX_CHAIN_LENGTH = 1000;

/** Fields of a v1 image JSON that Docker drops when it builds an image config (MakeConfigFromV1Config in moby's image/v1). */
const V1_ONLY_FIELDS = ['id', 'parent', 'Size', 'parent_id', 'layer_id', 'throwaway'];

const LAYER_ID = /^[a-f0-9]{64}$/;

export interface LegacyArchiveOptions {
  name: string;
  image?: string;
  platform?: Platform;
  limits?: SourceLimits;
}

/**
 * Opens the image of a legacy archive by walking the parent chain from its top layer ID. The
 * layers have no recorded diff IDs, so each layer.tar is hashed once here. The config is built
 * from the top `<id>/json` as Docker's loader does, so `configDigest` is the digest of that
 * built JSON and matches no registry digest.
 */
export async function legacyDockerArchive(index: TarIndex, options: LegacyArchiveOptions): Promise<ImageSource> {
  const limits = resolveSourceLimits(options.limits);
  const where = index.label;
  const repositoriesEntry = index.resolve('repositories')!;
  const repositories = parseRepositories(
    parseJson(await index.read(repositoriesEntry, { maxBytes: limits.maxManifestBytes, limitName: 'maxManifestBytes' }), `${where}: repositories`),
    `${where}: repositories`,
  );
  const { topId, repoTags } = await selectTopLayer(index, repositories, { selector: options.image, maxConfigBytes: limits.maxConfigBytes });

  // Walk from the top layer to the base, then reverse so layers run base first.
  const chain: Array<{ id: string; json: Record<string, unknown> }> = [];
  const seen = new Set<string>();
  for (let id: string | undefined = topId; id !== undefined; ) {
    if (seen.has(id)) throw new InputError('FORMAT_INVALID', `${where}: the parent chain of ${topId} loops at ${id}`);
    if (chain.length >= MAX_CHAIN_LENGTH) throw new LimitError(`${where}: the parent chain of ${topId} is longer than ${MAX_CHAIN_LENGTH} layers`);
    seen.add(id);
    const jsonEntry = index.resolve(`${id}/json`);
    if (jsonEntry === undefined) throw new InputError('NOT_FOUND', `${where}: layer ${id} is in the parent chain of ${topId} but ${id}/json is missing`);
    const subject = `${where}: ${id}/json`;
    const json = expectObject(parseJson(await index.read(jsonEntry, { maxBytes: limits.maxConfigBytes, limitName: 'maxConfigBytes' }), subject), subject);
    chain.push({ id, json });
    const parent = json.parent;
    if (parent !== undefined && parent !== '' && (typeof parent !== 'string' || !LAYER_ID.test(parent))) {
      throw new InputError('FORMAT_INVALID', `${subject}: field "parent" must be a 64-character hex layer ID`);
    }
    id = parent === '' ? undefined : (parent as string | undefined);
  }
  chain.reverse();

  const layers: TarLayer[] = [];
  for (const { id } of chain) {
    const member = index.resolve(`${id}/layer.tar`);
    if (member === undefined) throw new InputError('NOT_FOUND', `${where}: ${id}/layer.tar is missing; the archive is incomplete`);
    if (detectCompression(await index.readRange(member, 6)) !== 'none') {
      throw new InputError('UNSUPPORTED', `${where}: ${id}/layer.tar is compressed, which legacy archives never are`);
    }
    const { digest: diffId } = await digestStream(index.openStream(member));
    layers.push(await describeTarLayer(index, member, { diffId, subject: `${where}: ${id}/layer.tar` }));
  }

  const config = buildConfig(chain, layers.map((layer) => layer.ref.diffId));
  checkConfigPlatform(config, options.platform, `${where}: ${topId}/json`);
  const configDigest = digestBytes(Buffer.from(JSON.stringify(config)));
  return tarImageSource({ index, name: options.name, configDigest, config, repoTags, layers });
}

function parseRepositories(value: unknown, subject: string): Map<string, string> {
  const tags = new Map<string, string>();
  const repositories = expectObject(value, subject);
  for (const [repo, tagMap] of Object.entries(repositories)) {
    for (const [tag, id] of Object.entries(expectObject(tagMap, `${subject}: "${repo}"`))) {
      if (typeof id !== 'string' || !LAYER_ID.test(id)) {
        throw new InputError('FORMAT_INVALID', `${subject}: "${repo}:${tag}" must map to a 64-character hex layer ID`);
      }
      tags.set(`${repo}:${tag}`, id);
    }
  }
  return tags;
}

/**
 * Picks the top layer ID: the one the selector names, the only one that `repositories` lists,
 * or, when `repositories` is empty, the only `<id>/json` that no other layer names as parent.
 */
async function selectTopLayer(
  index: TarIndex,
  repositories: Map<string, string>,
  options: { selector: string | undefined; maxConfigBytes: number },
): Promise<{ topId: string; repoTags: string[] }> {
  const selector = options.selector;
  const where = index.label;
  const tagsOf = (id: string): string[] => [...repositories].filter(([, tagId]) => tagId === id).map(([tag]) => tag);
  if (selector !== undefined) {
    const match = [...repositories].find(([tag]) => sameImageName(tag, selector));
    if (match === undefined) {
      throw new InputError('NOT_FOUND', `${where}: no image tagged "${selector}" (compared as ${normalizeImageName(selector)}); available: ${[...repositories.keys()].sort().join(', ') || 'none'}`);
    }
    return { topId: match[1], repoTags: tagsOf(match[1]) };
  }

  const ids = [...new Set(repositories.values())];
  if (ids.length === 1) return { topId: ids[0]!, repoTags: tagsOf(ids[0]!) };
  if (ids.length > 1) {
    throw new UsageError(`${where}: the archive contains ${ids.length} images; choose one as docker-archive:PATH:REPO:TAG: ${[...repositories.keys()].sort().join(', ')}`);
  }
  const heads = await chainHeads(index, options.maxConfigBytes);
  if (heads.length !== 1) {
    throw new InputError('FORMAT_INVALID', `${where}: repositories is empty and the archive has ${heads.length} top layers; it is not a single-image legacy archive`);
  }
  return { topId: heads[0]!, repoTags: [] };
}

async function chainHeads(index: TarIndex, maxConfigBytes: number): Promise<string[]> {
  const ids: string[] = [];
  const parents = new Set<string>();
  for (const entry of index.entries()) {
    const id = /^([a-f0-9]{64})\/json$/.exec(entry.name)?.[1];
    if (id === undefined || entry.type !== 'file') continue;
    ids.push(id);
    const subject = `${index.label}: ${entry.name}`;
    const json = expectObject(parseJson(await index.read(entry, { maxBytes: maxConfigBytes, limitName: 'maxConfigBytes' }), subject), subject);
    if (typeof json.parent === 'string') parents.add(json.parent);
  }
  return ids.filter((id) => !parents.has(id));
}

/** Builds an image config from v1 JSONs, as Docker's v1 → v2 conversion does. */
function buildConfig(chain: Array<{ id: string; json: Record<string, unknown> }>, diffIds: string[]): ImageConfig {
  const top = chain[chain.length - 1]!.json;
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(top)) {
    if (!V1_ONLY_FIELDS.includes(key)) config[key] = value;
  }
  config.rootfs = { type: 'layers', diff_ids: diffIds };
  config.history = chain.map(({ json }) => {
    const entry: { created?: string; created_by?: string } = {};
    if (typeof json.created === 'string') entry.created = json.created;
    const cmd = (json.container_config as { Cmd?: unknown } | undefined)?.Cmd;
    if (Array.isArray(cmd)) entry.created_by = cmd.filter((part) => typeof part === 'string').join(' ');
    return entry;
  });
  return config as ImageConfig;
}
