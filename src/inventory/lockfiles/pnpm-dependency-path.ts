/**
 * How a pnpm lock file writes dependency paths. Lock files before version 6 use `slash` keys
 * (`/name/1.0.0_peer@2.0.0`). Versions 6 and later use `at` keys: `/name@1.0.0(peer@2.0.0)` in v6,
 * and the same without the leading `/` in v9.
 */
export type PnpmPathStyle = 'slash' | 'at';

/**
 * Returns a dependency path without its leading `/` and without the peer-dependency suffix that
 * pnpm appends when a package is installed once per set of peers. Every variant of one package
 * then shares one path: `/foo@1.0.0(react@18.0.0)` and `foo@1.0.0` both become `foo@1.0.0`.
 */
export function normalizeDependencyPath(path: string, style: PnpmPathStyle): string {
  const withoutSlash = path.startsWith('/') ? path.slice(1) : path;
  if (style === 'at') {
    const peers = withoutSlash.indexOf('(');
    return peers === -1 ? withoutSlash : withoutSlash.slice(0, peers);
  }
  // Slash style: the suffix starts at the first `_` of the last segment. Scoped peers are written
  // with `+` in place of `/` (`_@babel+core@7.0.0`), so the last `/` ends the package name.
  const lastSlash = withoutSlash.lastIndexOf('/');
  const peers = withoutSlash.indexOf('_', lastSlash + 1);
  return peers === -1 ? withoutSlash : withoutSlash.slice(0, peers);
}

/**
 * Splits a normalized dependency path into the package name and the reference: a version, or a
 * tarball URL or `file:` path for packages from elsewhere. Returns undefined when no split fits.
 */
export function splitDependencyPath(path: string, style: PnpmPathStyle): { name: string; reference: string } | undefined {
  if (style === 'at') {
    // The first `@` after a scope's own `@` ends the name, because a URL reference may contain more.
    const at = path.indexOf('@', 1);
    if (at === -1) return undefined;
    return { name: path.slice(0, at), reference: path.slice(at + 1) };
  }
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash <= 0) return undefined;
  let name = path.slice(0, lastSlash);
  // Lock files of pnpm 5 and 6 may prefix the registry host (`registry.npmjs.org/foo/1.0.0`).
  const scoped = name.indexOf('/@');
  if (scoped !== -1) name = name.slice(scoped + 1);
  else if (name.includes('.') && name.includes('/')) name = name.slice(name.lastIndexOf('/') + 1);
  return { name, reference: path.slice(lastSlash + 1) };
}

/**
 * Returns the candidate normalized paths of a dependency written as `name: value` in an importer
 * or a package entry. The value is a version (`1.0.0(peer@1.0.0)`), or a whole dependency path for
 * aliases and tarballs (`/real@1.0.0` in v6, `real@1.0.0` in v9, `/real/1.0.0` in v5).
 */
export function dependencyPathCandidates(name: string, value: string, style: PnpmPathStyle): string[] {
  const reference = normalizeDependencyPath(value, style);
  const joined = style === 'at' ? `${name}@${reference}` : `${name}/${reference}`;
  return [joined, reference];
}
