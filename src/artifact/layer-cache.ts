import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Analyzer } from '../inventory/analyzer.js';
import { packLayerAnalysis, unpackLayerAnalysis, type LayerAnalysis } from './layer-analysis.js';
import type { WalkLimits } from './limits.js';

/** Bumped when the layer walk itself changes what it records. */
const WALK_VERSION = 2;

/**
 * Layer analyses on disk, one file per layer, keyed by the layer's blob digest and diffID together
 * with every analyzer's id and version and the caps that shaped the walk. Changing an analyzer's
 * version therefore invalidates exactly the entries it produced. An entry is written only after the
 * blob matched its digest and its content matched the diffID, so a hit stands for verified content;
 * keying on the diffID alone would let an image whose config claims a known diffID skip the reading
 * of a different blob. Writes go to a temporary file that is renamed into place, so a killed scan
 * never leaves a half-written entry.
 */
export class LayerCache {
  readonly #dir: string;

  constructor(cacheDir: string) {
    this.#dir = join(cacheDir, 'layers');
  }

  /** Returns the cache key of a layer (its blob digest and diffID) for this set of analyzers and caps. */
  static key(layer: { digest: string; diffId: string }, analyzers: readonly Analyzer[], limits: WalkLimits): string {
    const hash = createHash('sha256');
    hash.update(`walk:${WALK_VERSION}\n${layer.digest}\n${layer.diffId}\n`);
    for (const analyzer of [...analyzers].sort((a, b) => a.id.localeCompare(b.id))) {
      hash.update(`${analyzer.id}:${analyzer.version}:${analyzer.maxFileSize}\n`);
    }
    hash.update(JSON.stringify(limits));
    return hash.digest('hex');
  }

  /** Returns the cached analysis, or undefined when absent or unreadable (a bad entry is removed). */
  async get(key: string): Promise<LayerAnalysis | undefined> {
    const path = join(this.#dir, `${key}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return unpackLayerAnalysis(text);
    } catch {
      await rm(path, { force: true });
      return undefined;
    }
  }

  async put(key: string, analysis: LayerAnalysis): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const path = join(this.#dir, `${key}.json`);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, packLayerAnalysis(analysis));
    await rename(temporary, path);
  }
}
