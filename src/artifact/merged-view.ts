import type { EntryKind, FileAnalysis, LayerAnalysis } from './layer-analysis.js';
import { parentPath } from './entry-path.js';

/** One path of the merged file system and the layer that last wrote it. */
export interface ViewNode {
  kind: EntryKind;
  /** The index of the layer that wrote this node, from 0 for the base layer. */
  layer: number;
  mode: number;
  size: number;
  linkname?: string;
}

/** An analysis whose file is still present in the merged file system. */
export interface VisibleAnalysis extends FileAnalysis {
  layer: number;
}

/** How many symlinks one lookup may follow, as Linux allows (`MAXSYMLINKS` is 40). */
const MAX_SYMLINK_HOPS = 40;

/**
 * The file system an image's layers produce, built by applying layer analyses in order the way an
 * overlay file system stacks them: a layer's whiteouts and opaque directories hide lower content,
 * then its entries replace what is at their paths. A non-directory that replaces a directory, or a
 * directory replaced by a symlink, hides everything that was below it.
 *
 * Entries under a path that a lower layer made a symlink are placed where the symlink resolves,
 * as container runtimes do when they apply a layer, and symlinks never lead outside the root.
 */
export class MergedView {
  readonly #nodes = new Map<string, ViewNode>();
  /** How many nodes sit below each directory path, so subtree removal runs only when needed. */
  readonly #descendants = new Map<string, number>();
  readonly #layers: LayerAnalysis[] = [];
  /** For each layer, tar paths that were placed elsewhere because an ancestor is a symlink. */
  readonly #relocated: Array<Map<string, string>> = [];

  /** Applies the next layer on top of those applied so far. */
  apply(analysis: LayerAnalysis): void {
    const layer = this.#layers.length;
    this.#layers.push(analysis);
    const relocated = new Map<string, string>();
    this.#relocated.push(relocated);

    for (const dir of analysis.opaqueDirs) this.#removeBelow(this.#place(dir));
    for (const path of analysis.whiteouts) {
      const placed = this.#place(path);
      this.#remove(placed);
      this.#removeBelow(placed);
    }

    for (const entry of analysis.entries) {
      const path = this.#place(entry.path);
      if (path !== entry.path) relocated.set(entry.path, path);
      const existing = this.#nodes.get(path);
      if (entry.kind === 'dir' && existing?.kind === 'dir') {
        existing.mode = entry.mode;
        continue;
      }
      if (entry.kind !== 'dir') this.#removeBelow(path);
      const node: ViewNode = { kind: entry.kind, layer, mode: entry.mode, size: entry.size };
      if (entry.linkname !== undefined) node.linkname = entry.linkname;
      this.#set(path, node);
    }
  }

  get(path: string): ViewNode | undefined {
    return this.#nodes.get(path);
  }

  /** Every node, in no particular order. */
  entries(): IterableIterator<[string, ViewNode]> {
    return this.#nodes.entries();
  }

  /**
   * Resolves a path through every symlink on the way, treating the image root as `/` (an absolute
   * target starts at the root and `..` stops there). Returns the resolved path, which may not exist,
   * or undefined when the symlinks loop.
   */
  resolve(path: string): string | undefined {
    return this.#resolve(path.split('/').filter((part) => part !== '' && part !== '.'), true);
  }

  /**
   * Returns the analyses whose files are still in the merged file system, with the path where each
   * file ended up. A hard link keeps its target's content alive: when the target was deleted, the
   * analysis of the target is returned under the link's path.
   */
  visibleAnalyses(): VisibleAnalysis[] {
    const visible = new Map<string, VisibleAnalysis>();
    this.#layers.forEach((analysis, layer) => {
      for (const item of analysis.analyses) {
        const path = this.#relocated[layer]!.get(item.path) ?? item.path;
        const node = this.#nodes.get(path);
        if (node?.kind === 'file' && node.layer === layer) visible.set(`${item.analyzer}\0${path}`, { ...item, path, layer });
      }
    });

    for (const [path, node] of this.#nodes) {
      if (node.kind !== 'hardlink' || node.linkname === undefined) continue;
      const targetNode = this.#nodes.get(node.linkname);
      if (targetNode?.kind === 'file') continue;
      for (const item of this.#analysesOf(node.linkname, node.layer)) {
        visible.set(`${item.analyzer}\0${path}`, { ...item, path, layer: node.layer });
      }
    }
    return [...visible.values()];
  }

  /** The latest analyses of a path in a layer at or below `maxLayer`, one per analyzer. */
  #analysesOf(path: string, maxLayer: number): FileAnalysis[] {
    for (let layer = Math.min(maxLayer, this.#layers.length - 1); layer >= 0; layer--) {
      const found = this.#layers[layer]!.analyses.filter((item) => item.path === path);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** Where an entry of a new layer lands: its parent resolved through existing symlinks. */
  #place(path: string): string {
    const parent = parentPath(path);
    if (parent === '' || !this.#hasSymlinkAncestor(path)) return path;
    const resolvedParent = this.resolve(parent);
    if (resolvedParent === undefined) return path;
    const base = path.slice(parent.length + 1);
    return resolvedParent === '' ? base : `${resolvedParent}/${base}`;
  }

  #hasSymlinkAncestor(path: string): boolean {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      if (this.#nodes.get(path.slice(0, slash))?.kind === 'symlink') return true;
    }
    return false;
  }

  #resolve(parts: string[], followLast: boolean): string | undefined {
    const resolved: string[] = [];
    const pending = [...parts].reverse();
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = [...resolved, part].join('/');
      const node = this.#nodes.get(candidate);
      const isLast = pending.length === 0;
      if (node?.kind === 'symlink' && node.linkname !== undefined && (followLast || !isLast)) {
        hops += 1;
        if (hops > MAX_SYMLINK_HOPS) return undefined;
        if (node.linkname.startsWith('/')) resolved.length = 0;
        const targetParts = node.linkname.split('/').filter((p) => p !== '' && p !== '.');
        for (let i = targetParts.length - 1; i >= 0; i--) pending.push(targetParts[i]!);
        continue;
      }
      resolved.push(part);
    }
    return resolved.join('/');
  }

  #set(path: string, node: ViewNode): void {
    if (!this.#nodes.has(path)) this.#countAncestors(path, 1);
    this.#nodes.set(path, node);
  }

  #remove(path: string): void {
    if (this.#nodes.delete(path)) this.#countAncestors(path, -1);
  }

  #removeBelow(dir: string): void {
    if (dir === '') {
      this.#nodes.clear();
      this.#descendants.clear();
      return;
    }
    if ((this.#descendants.get(dir) ?? 0) === 0) return;
    const prefix = `${dir}/`;
    for (const path of [...this.#nodes.keys()]) {
      if (path.startsWith(prefix)) this.#remove(path);
    }
  }

  #countAncestors(path: string, delta: number): void {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const dir = path.slice(0, slash);
      const count = (this.#descendants.get(dir) ?? 0) + delta;
      if (count <= 0) this.#descendants.delete(dir);
      else this.#descendants.set(dir, count);
    }
  }
}
