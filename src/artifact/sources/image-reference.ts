/**
 * Normalization of image names for selecting one image among several in an archive. Docker
 * records `nginx:latest` while skopeo and containerd record `docker.io/library/nginx:latest`,
 * so both sides are expanded to the full form before comparing, as Docker's reference
 * package does.
 */

/**
 * Expands an image name to `domain/path:tag` (or `domain/path@digest`): the domain defaults
 * to docker.io, a single-part Docker Hub name gains `library/`, and a missing tag becomes
 * `latest`.
 */
export function normalizeImageName(name: string): string {
  let rest = name.trim();
  let suffix = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    suffix = rest.slice(at);
    rest = rest.slice(0, at);
  } else {
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) {
      suffix = rest.slice(colon);
      rest = rest.slice(0, colon);
    } else {
      suffix = ':latest';
    }
  }

  const firstSlash = rest.indexOf('/');
  const first = firstSlash < 0 ? '' : rest.slice(0, firstSlash);
  // Docker treats the first component as a registry host only when it contains "." or ":"
  // or is "localhost". Any other name is on Docker Hub.
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? rest.slice(firstSlash + 1) : rest;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${domain}/${path}${suffix}`;
}

/** Returns true when two image names refer to the same repository and tag or digest. */
export function sameImageName(a: string, b: string): boolean {
  return a === b || normalizeImageName(a) === normalizeImageName(b);
}
