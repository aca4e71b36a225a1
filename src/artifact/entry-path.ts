/**
 * Normalizes a tar entry name to a path relative to the image root: no leading `/` or `./`, no
 * empty or `.` components, no trailing `/`. Returns undefined for names that climb above the root
 * with `..`, which a safe extractor must reject.
 */
export function normalizeEntryPath(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/** The OCI whiteout prefix: `.wh.<name>` deletes `<name>` from lower layers. */
export const WHITEOUT_PREFIX = '.wh.';

/** The OCI opaque marker: `<dir>/.wh..wh..opq` hides all lower-layer content of `<dir>`. */
export const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutKind = { kind: 'whiteout'; target: string } | { kind: 'opaque'; dir: string };

/** Classifies a normalized path as a whiteout or opaque marker, or returns undefined. */
export function parseWhiteout(path: string): WhiteoutKind | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = slash < 0 ? '' : path.slice(0, slash);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
}

/** Returns the parent directory of a normalized path, or '' for a top-level name. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
