import type { LayerAnalysis } from '../artifact/layer-analysis.js';
import { LayerCache } from '../artifact/layer-cache.js';
import { MergedView } from '../artifact/merged-view.js';
import type { ImageSource } from '../artifact/source.js';
import { resolveOs } from '../inventory/os/index.js';
import { defaultAnalyzers } from '../inventory/registry.js';
import { analyzeImageLayers } from './analyze-image.js';
import { assembleInventory, type Inventory } from './assemble-inventory.js';
import { resolveCacheDir } from './cache-dir.js';
import { resolveLimits, type ScanOptions } from './scan-options.js';

/** The inventory of an image and the merged file system it came from. */
export interface ImageInventory {
  inventory: Inventory;
  view: MergedView;
  /** The analysis of each layer, in order, with every tar entry it held. */
  layers: LayerAnalysis[];
  /** True when some layer could not be read, so the inventory may be incomplete. */
  incomplete: boolean;
}

/**
 * Reads the inventory of an opened image: each layer from the layer cache or by one pass over its
 * blob, then the layers merged in order, then the visible analyses assembled.
 */
export async function inventoryImage(source: ImageSource, options: ScanOptions = {}): Promise<ImageInventory> {
  const analyzers = options.analyzers ?? defaultAnalyzers;
  const limits = resolveLimits(options.limits);
  const cache = options.noLayerCache ? undefined : new LayerCache(resolveCacheDir(options.cacheDir));

  const layers = await analyzeImageLayers(source, {
    analyzers,
    limits,
    ...(cache ? { cache } : {}),
    onProgress: (event) =>
      options.onProgress?.({ kind: 'layer', index: event.index, total: event.total, digest: event.layer.digest, cached: event.kind === 'layer-start' && event.cached, done: event.kind === 'layer-done' }),
  });

  const view = new MergedView();
  for (const layer of layers) view.apply(layer);
  const inventory = assembleInventory(view.visibleAnalyses(), {
    layerDiffIds: source.layers.map((layer) => layer.diffId),
    includeDevDeps: options.includeDevDeps ?? false,
    resolveOs,
  });
  inventory.diagnostics.unshift(...layers.flatMap((layer) => layer.diagnostics));
  return { inventory, view, layers, incomplete: layers.some((layer) => layer.failed === true) };
}
