import { UsageError } from '../errors.js';
import { isValidDigest } from '../artifact/digest.js';

/**
 * An image reference split into its parts, with Docker Hub defaults applied:
 * `alpine` becomes registry `docker.io`, repository `library/alpine`, tag `latest`.
 */
export interface ImageReference {
  /** The registry as users name it (`docker.io`, `ghcr.io`, `localhost:5000`), lower case. */
  registry: string;
  /** The host and port the HTTP API listens on: `registry-1.docker.io` for Docker Hub, else `registry`. */
  endpoint: string;
  /** The repository path inside the registry (`library/alpine`, `org/team/app`). */
  repository: string;
  /** The tag, absent when the reference names only a digest. */
  tag?: string;
  /** The manifest digest (`sha256:<hex>`), when the reference pins one. */
  digest?: string;
}

export const DOCKER_HUB_REGISTRY = 'docker.io';
export const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';
const DEFAULT_TAG = 'latest';
const MAX_NAME_LENGTH = 255;

// The grammar of github.com/distribution/reference (reference.go). A domain is DNS labels with an
// optional port, or a bracketed IPv6 address. A path component is lower-case alphanumerics joined
// by `.`, `_`, `__` or a run of `-`.
const DOMAIN_RE = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^\w[\w.-]{0,127}$/;

/**
 * Parses `[host[:port]/]path[:tag][@digest]` the way Docker does. The first path component is a
 * host when it contains `.` or `:`, is `localhost`, or has upper-case letters. A reference without
 * a tag or digest gets the tag `latest`; a reference with both keeps both, and the digest wins
 * when fetching.
 *
 * @throws {UsageError} when the reference breaks the grammar; the message names the value.
 */
export function parseReference(input: string): ImageReference {
  const fail = (reason: string): never => {
    throw new UsageError(`invalid image reference "${input}": ${reason}`);
  };
  if (input.length === 0) fail('the reference is empty');
  if (input !== input.trim()) fail('the reference has leading or trailing white space');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) {
      fail(`digest "${digest}" is not sha256:<64 hex digits> or sha512:<128 hex digits> in lower case`);
    }
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) {
      fail(`tag "${tag}" must be 1 to 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"`);
    }
  }

  const { registry, path } = splitRegistry(rest);
  if (registry !== undefined && !DOMAIN_RE.test(registry)) fail(`registry host "${registry}" is not a valid host[:port]`);
  if (path.length === 0) fail('the repository path is empty');
  for (const component of path.split('/')) {
    if (component !== component.toLowerCase()) fail(`repository "${path}" must be lower case`);
    if (!PATH_COMPONENT_RE.test(component)) {
      fail(`repository path component "${component}" must be lower-case letters and digits, joined by ".", "_", "__" or "-"`);
    }
  }

  const normalizedRegistry = normalizeRegistry(registry ?? DOCKER_HUB_REGISTRY);
  const repository = normalizedRegistry === DOCKER_HUB_REGISTRY && !path.includes('/') ? `library/${path}` : path;
  const nameLength = (registry === undefined ? 0 : registry.length + 1) + path.length;
  if (nameLength > MAX_NAME_LENGTH) fail(`the name is ${nameLength} characters long, and the maximum is ${MAX_NAME_LENGTH}`);

  const reference: ImageReference = {
    registry: normalizedRegistry,
    endpoint: normalizedRegistry === DOCKER_HUB_REGISTRY ? DOCKER_HUB_ENDPOINT : normalizedRegistry,
    repository,
  };
  if (tag !== undefined || digest === undefined) reference.tag = tag ?? DEFAULT_TAG;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** Formats a reference in its familiar form: `alpine:3.19`, `ghcr.io/org/app@sha256:…`. */
export function formatReference(reference: ImageReference): string {
  let name = `${reference.registry}/${reference.repository}`;
  if (reference.registry === DOCKER_HUB_REGISTRY) {
    name = reference.repository.startsWith('library/') ? reference.repository.slice('library/'.length) : reference.repository;
  }
  if (reference.tag !== undefined) name += `:${reference.tag}`;
  if (reference.digest !== undefined) name += `@${reference.digest}`;
  return name;
}

/**
 * Maps the other names of Docker Hub to `docker.io` and lower-cases host names, because DNS
 * names are case-insensitive.
 */
export function normalizeRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  if (lower === 'index.docker.io' || lower === DOCKER_HUB_ENDPOINT) return DOCKER_HUB_REGISTRY;
  return lower;
}

function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { path: name };
  const first = name.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
  if (!isHost) return { path: name };
  return { registry: first, path: name.slice(slash + 1) };
}
