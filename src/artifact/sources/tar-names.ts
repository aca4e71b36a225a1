/** Member names inside a tar archive: normalization and symlink target resolution. */

/**
 * Normalizes a member name to the form the index stores: no leading `./`, no repeated or
 * trailing `/`. Returns a problem for absolute names and names with a `..` segment, because
 * they point outside the archive.
 */
export function normalizeMemberName(name: string): string | { problem: string } {
  if (name.startsWith('/')) return { problem: 'is absolute' };
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { problem: 'contains a ".." segment' };
  return segments.join('/');
}

/** Resolves a symlink target relative to the folder of the link, as a member name. */
export function joinLinkTarget(linkName: string, target: string): string {
  if (target.startsWith('/')) return target;
  const slash = linkName.lastIndexOf('/');
  const folder = slash < 0 ? [] : linkName.slice(0, slash).split('/');
  for (const segment of target.split('/')) {
    if (segment === '..') {
      // A target that climbs above the archive root keeps its ".." so normalization rejects it.
      if (folder.length === 0 || folder[folder.length - 1] === '..') folder.push('..');
      else folder.pop();
    } else if (segment !== '' && segment !== '.') {
      folder.push(segment);
    }
  }
  return folder.join('/');
}
