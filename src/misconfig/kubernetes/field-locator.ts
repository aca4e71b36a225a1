import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

import type { Location } from '../../model/misconfiguration.js';
import type { FieldPath } from './k8s-object.js';

/**
 * Returns the location of a field under a YAML node: the line of its key (or of the sequence item)
 * through the end of its value. When the path leads past what the manifest has (a missing
 * `securityContext`), the location is the first line of the deepest field that exists, which is
 * where the missing field belongs.
 */
export function locateField(root: Node, field: FieldPath, lines: LineCounter, path: string): Location {
  let node: Node = root;
  let start = root.range?.[0] ?? 0;
  let end = root.range?.[1] ?? start;

  let resolved = 0;
  for (const part of field) {
    let next: Node | undefined;
    let keyStart: number | undefined;
    if (typeof part === 'string' && isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key) || String(item.key.value) !== part) continue;
        keyStart = item.key.range?.[0];
        next = (item.value ?? undefined) as Node | undefined;
        if (next === undefined && keyStart !== undefined) {
          // A key with no value (`securityContext:`) still locates the field.
          start = keyStart;
          end = item.key.range?.[1] ?? keyStart;
        }
        break;
      }
    } else if (typeof part === 'number' && isSeq(node)) {
      const item = node.items[part];
      next = (item ?? undefined) as Node | undefined;
    }
    if (next === undefined) break;
    resolved += 1;
    node = next;
    start = keyStart ?? next.range?.[0] ?? start;
    end = next.range?.[1] ?? end;
  }

  const first = lines.linePos(start);
  // A missing field is reported on the one line of the parent it belongs in, not the parent's whole range.
  if (resolved < field.length) return { path, startLine: first.line, endLine: first.line, startColumn: first.col };
  const last = lines.linePos(Math.max(start, end - 1));
  return { path, startLine: first.line, endLine: Math.max(first.line, last.line), startColumn: first.col };
}
