import jsYaml from 'js-yaml';

import type { Location } from '../../model/misconfiguration.js';
import type { FieldPath } from './k8s-object.js';

/**
 * One YAML node as js-yaml composed it, with its lines. Mapping frames list their keys and values
 * alternately in `children`, sequence frames their items.
 */
export interface YamlFrame {
  /** 0-based line and column where the node starts. */
  line: number;
  column: number;
  /** 0-based last line of the node. */
  endLine: number;
  /** Character offsets of the node's start and end in the text. */
  start: number;
  end: number;
  /** The number of nodes in the value, counting the content that aliases repeat. */
  size: number;
  value: unknown;
  children: YamlFrame[];
}

/** The schema of Kubernetes manifests: YAML 1.2 core types plus `<<` merge keys, and no timestamps, so dates stay strings. */
const MANIFEST_SCHEMA = jsYaml.CORE_SCHEMA.extend([(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge]);

export interface FrameParseOptions {
  /** The maximum number of `*alias` references to mappings and sequences per document. */
  maxAliasCount: number;
  /** The maximum number of nodes that aliases may repeat per document, counting aliases inside aliased content. */
  maxAliasNodes: number;
  maxDepth: number;
}

/** Thrown when a document repeats aliased collections more often than allowed. */
export class AliasLimitError extends Error {}

/**
 * Parses every document of a YAML stream with js-yaml, recording the lines of each node through
 * js-yaml's `listener` hook. This is about ten times faster than building a `yaml` Document, and
 * the frames give the lines that findings need. Duplicate keys are accepted, the last one winning,
 * as `kubectl apply` accepts them. Throws js-yaml's YAMLException for invalid YAML, with the mark
 * of the first error.
 */
export function parseFrames(text: string, options: FrameParseOptions): YamlFrame[] {
  const documents: YamlFrame[] = [];
  const stack: YamlFrame[] = [];
  // Sizes of anchored collections, to count what their aliases repeat. A Map, not a WeakMap,
  // because it lives only for this call and WeakMaps cost the garbage collector more.
  const sizes = new Map<object, number>();
  let aliases = 0;
  let expanded = 0;

  const listener = function (this: unknown, event: 'open' | 'close', state: { line: number; position: number; lineStart: number; result: unknown; anchor: string | null }) {
    if (event === 'open') {
      stack.push({ line: state.line, column: state.position - state.lineStart, endLine: state.line, start: state.position, end: state.position, size: 1, value: undefined, children: [] });
      return;
    }

    const frame = stack.pop()!;
    frame.value = state.result;
    frame.end = state.position;
    const only = frame.children.length === 1 ? frame.children[0]! : undefined;
    if (only !== undefined && only.value === frame.value && typeof only.value === 'object' && only.value !== null) {
      // js-yaml composes some flow collections through a nested call that yields the same value; keep one frame.
      frame.children = only.children;
      frame.line = only.line;
      frame.column = only.column;
      frame.size = only.size;
    } else if (state.result !== null && typeof state.result === 'object') {
      // js-yaml leaves `anchor` set when the closing node has `&name`, and null for an alias.
      const known = state.anchor === null ? sizes.get(state.result) : undefined;
      if (state.anchor !== null) {
        sizes.set(state.result, frame.size);
      } else if (known !== undefined) {
        // A second close of a known collection is an alias (`*name`) that repeats its content.
        aliases += 1;
        expanded += known;
        frame.size = known;
        if (aliases > options.maxAliasCount) throw new AliasLimitError(`more than ${options.maxAliasCount} aliases in one document`);
        if (expanded > options.maxAliasNodes) throw new AliasLimitError(`aliases repeat more than ${options.maxAliasNodes} nodes in one document`);
      }
    }

    // A close at the start of a line means the node ended on the previous line.
    const closeLine = state.position === state.lineStart && state.line > frame.line ? state.line - 1 : state.line;
    // Children have already raised endLine to their own last lines.
    if (closeLine > frame.endLine) frame.endLine = closeLine;

    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      documents.push(frame);
      aliases = 0;
      expanded = 0;
    } else {
      parent.children.push(frame);
      parent.size += frame.size;
      if (frame.endLine > parent.endLine) parent.endLine = frame.endLine;
    }
  };

  jsYaml.loadAll(text, undefined, { schema: MANIFEST_SCHEMA, json: true, listener, maxDepth: options.maxDepth } as unknown as jsYaml.LoadOptions);
  return documents;
}

/**
 * Returns the location of a field under a frame: from the line of its key (or sequence item)
 * through the end of its value. A field that the manifest lacks is reported on the first line of
 * its deepest existing parent, which is where it belongs.
 */
export function locateFrame(root: YamlFrame, field: FieldPath, path: string): Location {
  let frame = root;
  let startLine = root.line;
  let startColumn = root.column;
  let resolved = 0;
  for (const part of field) {
    let next: YamlFrame | undefined;
    let keyFrame: YamlFrame | undefined;
    if (typeof part === 'string' && !Array.isArray(frame.value)) {
      // Keys and values alternate; the last matching key wins, as it does in the parsed value.
      for (let index = 0; index + 1 < frame.children.length; index += 2) {
        if (String(frame.children[index]!.value) === part) {
          keyFrame = frame.children[index];
          next = frame.children[index + 1];
        }
      }
    } else if (typeof part === 'number' && Array.isArray(frame.value)) {
      next = frame.children[part];
    }
    if (next === undefined) break;
    resolved += 1;
    frame = next;
    startLine = keyFrame?.line ?? next.line;
    startColumn = keyFrame?.column ?? next.column;
  }
  const endLine = resolved < field.length ? startLine : Math.max(startLine, frame.endLine);
  return { path, startLine: startLine + 1, endLine: endLine + 1, startColumn: startColumn + 1 };
}
