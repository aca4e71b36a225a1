import type { AnalyzerOutput } from '../inventory/analyzer.js';
import type { Diagnostic } from '../model/diagnostic.js';

/** The kind of a tar entry, reduced to what the merged view needs. */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** One entry of a layer tar, with its normalized path. */
export interface LayerEntry {
  path: string;
  kind: EntryKind;
  /** Permission and special bits (`0o4755` for a setuid binary). */
  mode: number;
  size: number;
  /** The target of a symlink (as written) or of a hard link (a normalized path). */
  linkname?: string;
}

/** What one analyzer read from one file of a layer. */
export interface FileAnalysis {
  path: string;
  analyzer: string;
  output: AnalyzerOutput;
}

/**
 * Everything a scan needs from one layer, computed in one pass over its tar and cached by diffID.
 * Whiteouts and opaque directories are recorded here and applied only when layers are merged.
 */
export interface LayerAnalysis {
  diffId: string;
  entries: LayerEntry[];
  /** Paths that a `.wh.<name>` marker deletes from lower layers. */
  whiteouts: string[];
  /** Directories whose lower-layer content a `.wh..wh..opq` marker hides. */
  opaqueDirs: string[];
  analyses: FileAnalysis[];
  diagnostics: Diagnostic[];
  /** True when the layer could not be read to its end; such an analysis is never cached. */
  failed?: boolean;
}

const KIND_CODES: Record<EntryKind, string> = { file: 'f', dir: 'd', symlink: 'l', hardlink: 'h', other: 'o' };
const CODE_KINDS = Object.fromEntries(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind])) as Record<string, EntryKind>;

type PackedEntry = [string, string, number, number] | [string, string, number, number, string];

/** Serializes a layer analysis for the cache, with entries packed as tuples to keep the file small. */
export function packLayerAnalysis(analysis: LayerAnalysis): string {
  const entries: PackedEntry[] = analysis.entries.map((entry) =>
    entry.linkname === undefined
      ? [entry.path, KIND_CODES[entry.kind], entry.mode, entry.size]
      : [entry.path, KIND_CODES[entry.kind], entry.mode, entry.size, entry.linkname],
  );
  return JSON.stringify({ ...analysis, entries });
}

/** Restores a layer analysis written by `packLayerAnalysis`. Throws on a malformed cache file. */
export function unpackLayerAnalysis(text: string): LayerAnalysis {
  const packed = JSON.parse(text) as Omit<LayerAnalysis, 'entries'> & { entries: PackedEntry[] };
  const entries = packed.entries.map(([path, code, mode, size, linkname]): LayerEntry => {
    const kind = CODE_KINDS[code];
    if (kind === undefined) throw new Error(`unknown entry kind code ${code}`);
    return linkname === undefined ? { path, kind, mode, size } : { path, kind, mode, size, linkname };
  });
  return { ...packed, entries };
}
