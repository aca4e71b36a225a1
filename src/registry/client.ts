import type { Readable } from 'node:stream';
import { DigestError, InputError, LimitError, NetworkError, UsageError, errorMessage } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { RegistryAuthenticator } from './auth.js';
import { digestBytes, digestBytesLike, isValidDigest } from '../artifact/digest.js';
import { lookupDockerCredentials, type RegistryCredentials } from './docker-config.js';
import { HttpTransport, readBody, type HttpResponse } from './http-transport.js';
import { MANIFEST_ACCEPT, parseManifest, type ParsedManifest } from './manifest.js';
import { formatReference, type ImageReference } from './reference.js';
import { RegistryHttp, headerValue, type RetryEvent } from './registry-http.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { VerifyingStream } from './verifying-stream.js';

export interface RegistryClientOptions {
  /**
   * Talk plain HTTP instead of HTTPS, and allow credentials to plain-HTTP token realms and
   * HTTPS-to-HTTP redirects. Never switched on by itself, not even for `localhost`, so a scan
   * cannot be downgraded without the user asking. Default: false.
   */
  insecure?: boolean;
  /** A username and password for every registry the client talks to; they take precedence over the Docker config. */
  credentials?: { username: string; password: string };
  /** Read credentials from the Docker config and its credential helpers. Default: true. */
  useDockerConfig?: boolean;
  /** The folder holding the Docker `config.json`. Default: `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
  /** The environment for `DOCKER_CONFIG` and credential helpers. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryPolicy>;
  /** How long a connection may stay idle (connect, headers, body), in milliseconds. Default: 30 000. */
  idleTimeoutMs?: number;
  /** How long a credential helper may run, in milliseconds. Default: 10 000. */
  credentialHelperTimeoutMs?: number;
  /** The User-Agent header. Default: `bulwark`. */
  userAgent?: string;
  /** The maximum manifest or index size, in bytes. Default: 4 MiB. */
  maxManifestBytes?: number;
  /** Called before each retry, for callers that log retries. */
  onRetry?: (event: RetryEvent) => void;
}

/** A manifest or index as fetched, with the bytes its digest covers. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  content: Buffer;
  manifest: ParsedManifest;
}

/** The digest and expected size of a blob to fetch. */
export interface BlobDescriptor {
  digest: string;
  /** The size from the manifest; the stream fails when the body is longer or shorter. */
  size?: number;
}

const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_TAG_PAGES = 1000;

/**
 * A daemonless client for the OCI distribution API (v1.1 of the spec): manifests, blobs, tags
 * and monolithic uploads. Every byte read is checked against its digest. Call `close()` to free
 * sockets.
 */
export class RegistryClient {
  /** Problems met while looking up credentials, such as a missing credential helper. */
  readonly diagnostics: Diagnostic[] = [];
  private readonly transport: HttpTransport;
  private readonly http: RegistryHttp;
  private readonly maxManifestBytes: number;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.transport = new HttpTransport(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    const auth = new RegistryAuthenticator({
      credentials: (registry) => this.resolveCredentials(registry),
      send: (request) => this.http.sendUnauthenticated(request),
      insecure: options.insecure ?? false,
      clientId: 'bulwark',
    });
    this.http = new RegistryHttp({
      transport: this.transport,
      auth,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      insecure: options.insecure ?? false,
      userAgent: options.userAgent ?? 'bulwark',
      onRetry: options.onRetry,
    });
  }

  /**
   * Fetches a manifest or index by the reference's digest, else by its tag. A digest reference
   * is verified against the bytes; otherwise the digest is computed and checked against any
   * `Docker-Content-Digest` header.
   *
   * @throws {DigestError} when the bytes do not match the requested digest or the header.
   * @throws {LimitError} when the manifest is larger than `maxManifestBytes`.
   */
  async getManifest(reference: ImageReference): Promise<FetchedManifest> {
    const selector = manifestSelector(reference);
    const name = formatReference(reference);
    const response = await this.http.request(reference, {
      method: 'GET',
      path: `/v2/${reference.repository}/manifests/${selector}`,
      headers: { accept: MANIFEST_ACCEPT },
      scope: pullScope(reference),
      okStatuses: [200],
      followRedirects: true,
      what: `manifest ${name}`,
    });
    const content = await this.readBuffered(response, this.maxManifestBytes, `manifest ${name}`);
    const digest = verifyManifestDigest(content, reference, headerValue(response, 'docker-content-digest'), response.url);
    const manifest = parseManifest(content, headerValue(response, 'content-type'), `${name} (${digest})`);
    return { digest, mediaType: manifest.mediaType, content, manifest };
  }

  /**
   * Opens a blob as a stream that checks its sha256 while it flows. The stream fails with a
   * DigestError at the end when the digest differs or the body is shorter than `size` or its
   * Content-Length, and as soon as it passes `size`. Redirects to storage hosts are followed
   * without the registry's credentials.
   */
  async getBlob(reference: ImageReference, blob: BlobDescriptor): Promise<Readable> {
    assertDigest(blob.digest);
    const response = await this.http.request(reference, {
      method: 'GET',
      path: `/v2/${reference.repository}/blobs/${blob.digest}`,
      scope: pullScope(reference),
      okStatuses: [200],
      followRedirects: true,
      what: `blob ${blob.digest} of ${reference.registry}/${reference.repository}`,
    });
    const declared = contentLength(response);
    if (blob.size !== undefined && declared !== undefined && declared !== blob.size) {
      response.body.destroy();
      throw new DigestError(`blob ${blob.digest} from ${response.url} has Content-Length ${declared}, but the manifest gives a size of ${blob.size} bytes`);
    }

    const verifier = new VerifyingStream({ digest: blob.digest, size: blob.size ?? declared, label: `blob ${blob.digest} from ${response.url.origin}` });
    response.body.on('error', (error) => verifier.destroy(verifier.shortError(error)));
    // A consumer that stops early must release the socket.
    verifier.on('close', () => response.body.destroy());
    response.body.pipe(verifier);
    return verifier;
  }

  /**
   * Fetches a small JSON blob (an image config) whole, checks its digest and parses it.
   *
   * @throws {LimitError} when the blob passes `maxBytes`.
   * @throws {InputError} FORMAT_INVALID when the bytes are not JSON.
   */
  async getJsonBlob(reference: ImageReference, blob: BlobDescriptor, maxBytes: number): Promise<{ content: Buffer; value: unknown }> {
    if (blob.size !== undefined && blob.size > maxBytes) {
      throw new LimitError(`blob ${blob.digest} is ${blob.size} bytes, over the ${maxBytes}-byte maximum for JSON blobs`);
    }
    const stream = await this.getBlob(reference, blob);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        stream.destroy();
        throw new LimitError(`blob ${blob.digest} is over the ${maxBytes}-byte maximum for JSON blobs`);
      }
      chunks.push(chunk);
    }
    const content = Buffer.concat(chunks);
    try {
      return { content, value: JSON.parse(content.toString('utf8')) };
    } catch (error) {
      // Registry content is untrusted, so a syntax error becomes the package's own error.
      throw new InputError('FORMAT_INVALID', `blob ${blob.digest} of ${reference.registry}/${reference.repository} is not valid JSON: ${errorMessage(error)}`);
    }
  }

  /** Lists a repository's tags, following `Link` pagination, sorted. */
  async listTags(reference: ImageReference, options: { pageSize?: number } = {}): Promise<string[]> {
    const tags = new Set<string>();
    let path = `/v2/${reference.repository}/tags/list${options.pageSize === undefined ? '' : `?n=${options.pageSize}`}`;
    for (let page = 0; page < MAX_TAG_PAGES; page += 1) {
      const response = await this.http.request(reference, {
        method: 'GET',
        path,
        scope: pullScope(reference),
        okStatuses: [200],
        followRedirects: true,
        what: `tag list of ${reference.registry}/${reference.repository}`,
      });
      const content = await this.readBuffered(response, this.maxManifestBytes, 'tag list');
      for (const tag of parseTagList(content, response.url)) tags.add(tag);
      const next = nextPageLink(headerValue(response, 'link'));
      if (next === undefined) return [...tags].sort();
      path = next;
    }
    throw new LimitError(`tag list of ${reference.registry}/${reference.repository} has more than ${MAX_TAG_PAGES} pages`);
  }

  /**
   * Uploads a blob in one request (POST to open an upload, then PUT with the digest), unless the
   * registry already has it. Returns the blob's descriptor fields.
   */
  async putBlob(reference: ImageReference, content: Buffer): Promise<{ digest: string; size: number }> {
    const digest = digestBytes(content);
    const target = `blob ${digest} to ${reference.registry}/${reference.repository}`;
    const head = await this.http.request(reference, {
      method: 'HEAD',
      path: `/v2/${reference.repository}/blobs/${digest}`,
      scope: pushScope(reference),
      okStatuses: [200, 404],
      followRedirects: true,
      what: `blob check for ${target}`,
    });
    head.body.resume();
    if (head.status === 200) return { digest, size: content.length };

    const start = await this.http.request(reference, {
      method: 'POST',
      path: `/v2/${reference.repository}/blobs/uploads/`,
      scope: pushScope(reference),
      okStatuses: [202],
      followRedirects: false,
      what: `upload of ${target}`,
    });
    start.body.resume();
    const location = headerValue(start, 'location');
    if (location === undefined) throw new NetworkError('NETWORK', `upload of ${target}: the registry returned status 202 without a Location header`, { status: 202 });
    const uploadUrl = new URL(location, start.url);
    uploadUrl.searchParams.set('digest', digest);

    const put = await this.http.request(reference, {
      method: 'PUT',
      path: uploadUrl.href,
      headers: { 'content-type': 'application/octet-stream' },
      body: content,
      scope: pushScope(reference),
      okStatuses: [201],
      followRedirects: false,
      what: `upload of ${target}`,
    });
    put.body.resume();
    return { digest, size: content.length };
  }

  /**
   * Uploads a manifest or index under the reference's tag, or under its digest when it has no
   * tag. Returns the manifest digest.
   */
  async putManifest(reference: ImageReference, content: Buffer, mediaType: string): Promise<string> {
    const digest = digestBytes(content);
    if (reference.tag === undefined && reference.digest !== undefined && reference.digest !== digest) {
      throw new DigestError(`manifest to push has digest ${digest}, but the reference names ${reference.digest}`);
    }
    const response = await this.http.request(reference, {
      method: 'PUT',
      path: `/v2/${reference.repository}/manifests/${reference.tag ?? digest}`,
      headers: { 'content-type': mediaType },
      body: content,
      scope: pushScope(reference),
      okStatuses: [201],
      followRedirects: false,
      what: `manifest push to ${formatReference(reference)}`,
    });
    response.body.resume();
    const returned = headerValue(response, 'docker-content-digest');
    if (returned !== undefined && returned !== digest) {
      throw new DigestError(`registry stored manifest ${formatReference(reference)} as ${returned}, but its bytes have digest ${digest}`);
    }
    return digest;
  }

  /** Frees the client's sockets. */
  close(): void {
    this.transport.close();
  }

  private async resolveCredentials(registry: string): Promise<RegistryCredentials | undefined> {
    if (this.options.credentials !== undefined) return { ...this.options.credentials, source: 'options' };
    if (this.options.useDockerConfig === false) return undefined;
    const lookup = await lookupDockerCredentials(registry, {
      configDir: this.options.dockerConfigDir,
      env: this.options.env,
      helperTimeoutMs: this.options.credentialHelperTimeoutMs,
    });
    this.diagnostics.push(...lookup.diagnostics);
    return lookup.credentials;
  }

  private async readBuffered(response: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
    try {
      return await readBody(response, maxBytes, what);
    } catch (error) {
      if (error instanceof LimitError) throw error;
      throw new NetworkError('NETWORK', `${what}: reading the body from ${response.url} failed: ${errorMessage(error)}`, { cause: error, status: response.status });
    }
  }
}

function manifestSelector(reference: ImageReference): string {
  if (reference.digest !== undefined) return reference.digest;
  if (reference.tag !== undefined) return reference.tag;
  throw new UsageError(`reference ${formatReference(reference)} has neither a tag nor a digest`);
}

function verifyManifestDigest(content: Buffer, reference: ImageReference, header: string | undefined, url: URL): string {
  const name = formatReference(reference);
  if (reference.digest !== undefined) {
    const actual = digestBytesLike(content, reference.digest);
    if (actual !== reference.digest) {
      throw new DigestError(`manifest ${name} from ${url} has digest ${actual}, expected ${reference.digest}; the registry returned other content`);
    }
  }
  const digest = reference.digest ?? digestBytes(content);
  if (header !== undefined && isValidDigest(header)) {
    const actual = digestBytesLike(content, header);
    if (actual !== header) {
      throw new DigestError(`manifest ${name} from ${url} has digest ${actual}, but its Docker-Content-Digest header is ${header}`);
    }
  }
  return digest;
}

function assertDigest(digest: string): void {
  if (!isValidDigest(digest)) throw new UsageError(`invalid blob digest "${digest}": expected sha256:<64 hex digits>`);
}

function contentLength(response: HttpResponse): number | undefined {
  const value = headerValue(response, 'content-length');
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function pullScope(reference: ImageReference): string {
  return `repository:${reference.repository}:pull`;
}

function pushScope(reference: ImageReference): string {
  return `repository:${reference.repository}:pull,push`;
}

function parseTagList(content: Buffer, url: URL): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch (error) {
    // Registry content is untrusted, so a syntax error becomes the package's own error.
    throw new InputError('FORMAT_INVALID', `tag list from ${url} is not valid JSON: ${errorMessage(error)}`);
  }
  const tags = (parsed as { tags?: unknown } | null)?.tags;
  // Some registries return `"tags": null` for a repository without tags.
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) {
    throw new InputError('FORMAT_INVALID', `tag list from ${url} has a "tags" field that is not an array of strings`);
  }
  return tags as string[];
}

/** Reads the `rel="next"` target of an RFC 8288 Link header: `</v2/x/tags/list?last=a&n=2>; rel="next"`. */
function nextPageLink(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /<([^>]+)>\s*;[^,]*rel="?next"?/i.exec(header);
  return match?.[1];
}
