import { PackageURL } from 'packageurl-js';

/**
 * Package URL types from the purl specification's list of known types. A `pkg:` scope in an
 * ignore rule counts as a purl only when its type is one of these, so `pkg:github.com/foo/bar`
 * stays a package name rather than a purl of the unknown type `github.com`.
 */
const KNOWN_PURL_TYPES = new Set([
  'alpm',
  'apk',
  'bitbucket',
  'bitnami',
  'cargo',
  'cocoapods',
  'composer',
  'conan',
  'conda',
  'cpan',
  'cran',
  'deb',
  'docker',
  'gem',
  'generic',
  'github',
  'gitlab',
  'golang',
  'hackage',
  'hex',
  'huggingface',
  'luarocks',
  'maven',
  'mlflow',
  'npm',
  'nuget',
  'oci',
  'pub',
  'pypi',
  'qpkg',
  'rpm',
  'swid',
  'swift',
]);

/**
 * A package URL used as a pattern. It matches a package URL with the same type, namespace and
 * name. A version or subpath in the pattern must be equal, and each qualifier in the pattern must
 * be present with the same value. Trivy matches the `purls` of `.trivyignore.yaml` the same way
 * (`PackageURL.Match` in its pkg/purl package).
 */
export interface PurlPattern {
  /** The pattern as written. */
  readonly text: string;
  readonly purl: PackageURL;
}

/**
 * Parses a package URL pattern. Throws a plain `Error` with packageurl-js's reason when the text
 * is not a valid purl or its type is not a known purl type.
 */
export function parsePurlPattern(text: string): PurlPattern {
  const purl = PackageURL.fromString(text);
  if (!KNOWN_PURL_TYPES.has(purl.type)) {
    throw new Error(`unknown purl type "${purl.type}"`);
  }
  return { text, purl };
}

/** Returns whether the text parses as a package URL of a known type. */
export function isPurl(text: string): boolean {
  try {
    parsePurlPattern(text);
    return true;
  } catch {
    return false;
  }
}

/** The number of parsed candidate purls kept, because filtering compares each with many rules. */
const PARSE_CACHE_SIZE = 4096;
const parsed = new Map<string, PackageURL | null>();

function parseCandidate(text: string): PackageURL | null {
  const cached = parsed.get(text);
  if (cached !== undefined) return cached;

  let result: PackageURL | null;
  try {
    result = PackageURL.fromString(text);
  } catch {
    result = null;
  }
  if (parsed.size >= PARSE_CACHE_SIZE) parsed.clear();
  parsed.set(text, result);
  return result;
}

/** Returns whether the package URL string matches the pattern. An unparsable purl never matches. */
export function matchPurl(pattern: PurlPattern, candidate: string): boolean {
  const target = parseCandidate(candidate);
  if (target === null) return false;

  const expected = pattern.purl;
  if (expected.type !== target.type) return false;
  if ((expected.namespace ?? '') !== (target.namespace ?? '')) return false;
  if (expected.name !== target.name) return false;
  if (expected.version !== undefined && expected.version !== target.version) return false;
  if (expected.subpath !== undefined && expected.subpath !== target.subpath) return false;

  for (const [key, value] of Object.entries(expected.qualifiers ?? {})) {
    if (target.qualifiers?.[key] !== value) return false;
  }
  return true;
}
