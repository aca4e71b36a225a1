import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';

import { BulwarkError, DigestError, errorMessage } from '../errors.js';
import { LayerDecoder } from '../artifact/decompress.js';
import type { LayerAnalysis } from '../artifact/layer-analysis.js';
import { LayerCache } from '../artifact/layer-cache.js';
import { walkLayer } from '../artifact/layer-walk.js';
import type { WalkLimits } from '../artifact/limits.js';
import type { ImageSource, LayerRef } from '../artifact/source.js';
import type { Analyzer } from '../inventory/analyzer.js';

/** Progress of an image analysis, for a progress bar on a terminal. */
export type AnalyzeProgress =
  | { kind: 'layer-start'; index: number; total: number; layer: LayerRef; cached: boolean }
  | { kind: 'layer-done'; index: number; total: number; layer: LayerRef };

export interface AnalyzeImageOptions {
  analyzers: readonly Analyzer[];
  limits: WalkLimits;
  /** The layer cache; undefined disables it. */
  cache?: LayerCache;
  /** How many layers are read at once. Default: 2. */
  concurrency?: number;
  onProgress?: (event: AnalyzeProgress) => void;
}

/**
 * Produces the analysis of every layer of an image, in layer order: from the cache where an entry
 * exists for the layer's diffID and the current analyzers, else by streaming the layer blob once
 * through decompression and the tar walk. Layers are independent, so several are read at once.
 */
export async function analyzeImageLayers(source: ImageSource, options: AnalyzeImageOptions): Promise<LayerAnalysis[]> {
  const layers = source.layers;
  const results: LayerAnalysis[] = new Array(layers.length);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  let next = 0;

  const worker = async () => {
    while (next < layers.length) {
      const index = next++;
      results[index] = await analyzeLayer(source, index, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, layers.length) }, worker));
  return results;
}

async function analyzeLayer(source: ImageSource, index: number, options: AnalyzeImageOptions): Promise<LayerAnalysis> {
  const layer = source.layers[index]!;
  const total = source.layers.length;
  const key = LayerCache.key(layer, options.analyzers, options.limits);
  const cached = await options.cache?.get(key);
  options.onProgress?.({ kind: 'layer-start', index, total, layer, cached: cached !== undefined });
  if (cached) {
    options.onProgress?.({ kind: 'layer-done', index, total, layer });
    return cached;
  }

  const label = `${source.name} layer ${layer.digest}`;
  let analysis: LayerAnalysis;
  try {
    analysis = await walkLayerBlob(source, layer, label, options);
  } catch (error) {
    // A failed trust check stops the scan. Any other unreadable layer is reported and the scan
    // goes on with the other layers, so the report shows both the results and the gap.
    if (error instanceof DigestError || !(error instanceof BulwarkError)) throw error;
    // A changed blob usually breaks the gzip or tar stream before its digest is checked at the end.
    // Reading it once more to the end lets the report name the digest mismatch, not its symptom.
    await assertBlobDigest(source, layer);
    options.onProgress?.({ kind: 'layer-done', index, total, layer });
    return {
      diffId: layer.diffId,
      entries: [],
      whiteouts: [],
      opaqueDirs: [],
      analyses: [],
      diagnostics: [{ target: label, code: error.code, message: `layer not analyzed: ${error.message}` }],
      failed: true,
    };
  }
  // Only complete analyses are cached: a layer that failed midway is read again next time.
  if (analysis.diagnostics.every((item) => item.code !== 'INTERNAL')) await options.cache?.put(key, analysis);
  options.onProgress?.({ kind: 'layer-done', index, total, layer });
  return analysis;
}

async function walkLayerBlob(source: ImageSource, layer: LayerRef, label: string, options: AnalyzeImageOptions): Promise<LayerAnalysis> {
  const blob = await source.openLayer(layer);
  const decoder = new LayerDecoder({ label, diffId: layer.diffId, limits: options.limits });
  const tar = new PassThrough({ highWaterMark: 1024 * 1024 });
  const walked = walkLayer(tar, { diffId: layer.diffId, label, analyzers: options.analyzers, limits: options.limits });
  try {
    await Promise.all([pipeline(blob, decoder, tar), walked]);
  } catch (error) {
    blob.destroy();
    if (error instanceof BulwarkError) throw error;
    throw new BulwarkError('FORMAT_INVALID', `${label}: ${errorMessage(error)}`, { cause: error });
  }
  return walked;
}

/** Reads a layer blob to its end, which makes the source's digest check throw on a mismatch. */
async function assertBlobDigest(source: ImageSource, layer: LayerRef): Promise<void> {
  let blob: Readable;
  try {
    blob = await source.openLayer(layer);
  } catch {
    // The blob cannot be opened again, so the first error is reported.
    return;
  }
  try {
    for await (const chunk of blob) void chunk;
  } catch (error) {
    if (error instanceof DigestError) throw error;
  }
}
