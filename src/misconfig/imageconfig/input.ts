import type { EntryKind, LayerEntry } from '../../artifact/layer-analysis.js';
import type { MergedView } from '../../artifact/merged-view.js';
import type { ImageConfig } from '../../artifact/source.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import type { Inventory } from '../../scan/assemble-inventory.js';
import type { BulwarkSettings } from '../settings.js';
import { imageRule, type ImageRuleId } from './rules.js';

/** One path of the image's final file system. */
export interface ImageFileEntry {
  /** The path without a leading slash, as the merged view stores it (`usr/bin/su`). */
  path: string;
  kind: EntryKind;
  /** Permission and special bits (`0o4755` for a setuid program). */
  mode: number;
  size: number;
  /** The index of the layer that last wrote the path, from 0 for the base layer. */
  layer: number;
}

/** The files of one layer tar, as the layer walk lists them (`LayerAnalysis` has this shape). */
export interface LayerFiles {
  entries: readonly LayerEntry[];
}

/** The input of the image checks: the config with its history, the final file system and the inventory. */
export interface ImageCheckInput {
  /** The image as the user named it, for diagnostics. */
  name: string;
  config: ImageConfig;
  /** The final file system, for example `viewEntries(view)` of the scan's merged view. */
  entries: Iterable<ImageFileEntry>;
  /** The diffID of each layer by index, to name the layer that added a file. */
  layerDiffIds: readonly string[];
  /** The OS packages, to find sudo by package as well as by path. */
  inventory?: Inventory;
  /**
   * The entries of each layer tar in order (the scan's `LayerAnalysis` list), to find caches and
   * credential files that a later layer deletes. Without it only the final file system is checked.
   */
  layers?: readonly LayerFiles[];
  settings: BulwarkSettings;
}

/** The report path of findings about the config and history rather than a file. */
export const IMAGE_CONFIG_PATH = 'image config';

/** Lists the nodes of a merged view as check input. */
export function* viewEntries(view: MergedView): Generator<ImageFileEntry> {
  for (const [path, node] of view.entries()) yield { path, kind: node.kind, mode: node.mode, size: node.size, layer: node.layer };
}

/**
 * Builds a finding of an image rule. Image findings have no line numbers, so `startLine` and
 * `endLine` are 1, which SARIF viewers show as the start of the artifact.
 */
export function imageFinding(id: ImageRuleId, message: string, path: string = IMAGE_CONFIG_PATH, aliases?: string[]): Misconfiguration {
  const rule = imageRule(id);
  return {
    id,
    aliases: aliases ?? rule.aliases,
    severity: rule.severity,
    title: rule.title,
    message,
    location: { path, startLine: 1, endLine: 1 },
    resolution: rule.resolution,
    ...(rule.helpUri ? { references: [rule.helpUri] } : {}),
  };
}

/** Renders a file path for a message, with the leading slash users expect. */
export function displayPath(path: string): string {
  return `/${path}`;
}
