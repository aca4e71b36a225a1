import { BulwarkError, NetworkError, errorMessage } from '../errors.js';
import type { RegistryAuthenticator } from './auth.js';
import { discardBody, isRetryableError, readBody, type HttpRequest, type HttpResponse, type HttpTransport } from './http-transport.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry-policy.js';

/** The destination of a request: the registry name for credentials and its API endpoint. */
export interface RegistryTarget {
  registry: string;
  endpoint: string;
}

export interface RegistryRequest {
  method: HttpRequest['method'];
  /** A path under the registry endpoint (`/v2/…`), or an absolute URL such as an upload location. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** The token scope: `repository:<name>:pull` or `repository:<name>:pull,push`. */
  scope: string;
  /** Statuses returned to the caller; any other status becomes an error. */
  okStatuses: number[];
  /** Whether to follow 3xx redirects, which registries use to send blobs from storage. */
  followRedirects: boolean;
  /** A description of the requested object, for messages: `manifest alpine:3.19`. */
  what: string;
}

/** One retry the client is about to make, for callers that log them. */
export interface RetryEvent {
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  status?: number;
  error?: string;
  delayMs: number;
}

export interface RegistryHttpOptions {
  transport: HttpTransport;
  auth: RegistryAuthenticator;
  retry: RetryPolicy;
  insecure: boolean;
  userAgent: string;
  onRetry?: (event: RetryEvent) => void;
}

const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Sends registry API requests with authentication, redirects and retries. A request is retried on
 * 429 (waiting for `Retry-After` when given), on 5xx and on broken connections, and ends with a
 * NetworkError naming the URL, the last status and the attempt count when it keeps failing.
 */
export class RegistryHttp {
  constructor(private readonly options: RegistryHttpOptions) {}

  /** Returns the base URL of a registry's API, with plain HTTP only when the client is insecure. */
  baseUrl(target: RegistryTarget): URL {
    return new URL(`${this.options.insecure ? 'http' : 'https'}://${target.endpoint}`);
  }

  async request(target: RegistryTarget, request: RegistryRequest): Promise<HttpResponse> {
    const url = new URL(request.path, this.baseUrl(target));
    const policy = this.options.retry;
    let challengeAnswered = false;
    let attempt = 0;

    for (;;) {
      attempt += 1;
      let response: HttpResponse;
      try {
        response = await this.sendFollowingRedirects(target, url, request);
      } catch (error) {
        if (error instanceof BulwarkError) throw error;
        if (!isRetryableError(error) || attempt >= policy.maxAttempts) {
          throw new NetworkError('NETWORK', `${request.what}: ${request.method} ${url} failed after ${attempt} attempt(s): ${errorMessage(error)}${plainHttpHint(url, error)}`, { cause: error });
        }
        await this.waitBeforeRetry({ url: url.href, attempt, error: errorMessage(error), delayMs: backoffDelay(attempt, policy) });
        continue;
      }

      if (response.status === 401 && !challengeAnswered) {
        await discardBody(response);
        challengeAnswered = true;
        // The challenge round trip is part of authenticating, not a failed attempt.
        attempt -= 1;
        await this.options.auth.handleChallenge(target.registry, headerValue(response, 'www-authenticate'), request.scope, url);
        continue;
      }

      if (isRetryableStatus(response.status)) {
        const detail = await readErrorDetail(response);
        const retryAfter = parseRetryAfter(headerValue(response, 'retry-after'));
        if (attempt >= policy.maxAttempts) {
          throw new NetworkError('NETWORK', `${request.what}: ${request.method} ${url} failed with status ${response.status} after ${attempt} attempt(s)${detail}`, { status: response.status });
        }
        if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) {
          throw new NetworkError('NETWORK', `${request.what}: ${url} returned status ${response.status} with Retry-After ${Math.ceil(retryAfter / 1000)} s, over the ${policy.maxRetryAfterMs / 1000} s maximum; try again later`, { status: response.status });
        }
        await this.waitBeforeRetry({ url: url.href, attempt, status: response.status, delayMs: retryAfter ?? backoffDelay(attempt, policy) });
        continue;
      }

      if (request.okStatuses.includes(response.status)) return response;
      throw await this.statusError(target, url, response, request);
    }
  }

  /** Sends a request to a token server with retries but without registry credentials. */
  async sendUnauthenticated(request: HttpRequest): Promise<HttpResponse> {
    const policy = this.options.retry;
    for (let attempt = 1; ; attempt += 1) {
      let response: HttpResponse;
      try {
        response = await this.options.transport.send({ ...request, headers: { 'user-agent': this.options.userAgent, ...request.headers } });
      } catch (error) {
        if (!isRetryableError(error) || attempt >= policy.maxAttempts) {
          throw new NetworkError('NETWORK', `token request ${request.method} ${request.url.origin}${request.url.pathname} failed after ${attempt} attempt(s): ${errorMessage(error)}`, { cause: error });
        }
        await this.waitBeforeRetry({ url: request.url.href, attempt, error: errorMessage(error), delayMs: backoffDelay(attempt, policy) });
        continue;
      }
      if (!isRetryableStatus(response.status) || attempt >= policy.maxAttempts) return response;
      await discardBody(response);
      const retryAfter = parseRetryAfter(headerValue(response, 'retry-after'));
      await this.waitBeforeRetry({ url: request.url.href, attempt, status: response.status, delayMs: Math.min(retryAfter ?? backoffDelay(attempt, policy), policy.maxRetryAfterMs) });
    }
  }

  private async sendFollowingRedirects(target: RegistryTarget, url: URL, request: RegistryRequest): Promise<HttpResponse> {
    const authorization = await this.options.auth.authorization(target.registry, request.scope);
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...request.headers };
      // Credentials go only to the registry's own origin: storage hosts that blobs redirect to
      // get signed URLs and must not see the registry token.
      if (authorization !== undefined && current.origin === url.origin) headers.authorization = authorization;
      const response = await this.options.transport.send({ method: request.method, url: current, headers, body: request.body });
      if (!request.followRedirects || !REDIRECT_STATUSES.has(response.status)) return response;

      const location = headerValue(response, 'location');
      await discardBody(response);
      if (location === undefined) throw new NetworkError('NETWORK', `${request.what}: ${current} returned status ${response.status} without a Location header`, { status: response.status });
      if (hop >= MAX_REDIRECTS) throw new NetworkError('NETWORK', `${request.what}: more than ${MAX_REDIRECTS} redirects starting at ${url}`, { status: response.status });
      const next = new URL(location, current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new NetworkError('NETWORK', `${request.what}: redirect to unsupported URL scheme "${next.protocol}"`, { status: response.status });
      }
      if (current.protocol === 'https:' && next.protocol === 'http:' && !this.options.insecure) {
        throw new NetworkError('NETWORK', `${request.what}: redirect from HTTPS to plain HTTP (${next.origin}) rejected; use the insecure option to allow it`, { status: response.status });
      }
      current = next;
    }
  }

  private async statusError(target: RegistryTarget, url: URL, response: HttpResponse, request: RegistryRequest): Promise<NetworkError> {
    const detail = await readErrorDetail(response);
    const status = response.status;
    if (status === 401 || status === 403) {
      const who = await this.options.auth.describeCredentials(target.registry);
      const verb = status === 401 ? 'rejected the credentials' : 'denied access';
      return new NetworkError('AUTH', `${request.what}: registry ${target.registry} ${verb} (status ${status}, using ${who}) for ${request.method} ${url}${detail}; check the username, password and repository permissions`, { status });
    }
    if (status === 404) {
      return new NetworkError('NOT_FOUND', `${request.what} not found: ${request.method} ${url} returned status 404${detail}`, { status });
    }
    return new NetworkError('NETWORK', `${request.what}: ${request.method} ${url} returned status ${status}${detail}`, { status });
  }

  private async waitBeforeRetry(event: RetryEvent): Promise<void> {
    this.options.onRetry?.(event);
    await sleep(event.delayMs);
  }
}

/**
 * Returns a hint for a TLS handshake that met a plain-HTTP server (OpenSSL's "wrong version
 * number"), the usual sign of a local registry without TLS.
 */
function plainHttpHint(url: URL, error: unknown): string {
  if (url.protocol !== 'https:' || !/wrong version number|EPROTO/i.test(errorMessage(error))) return '';
  return '; the registry seems to speak plain HTTP: add --insecure if that is expected';
}

/** Returns the first value of a response header. */
export function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the error list of the distribution spec (`{"errors":[{"code","message"}]}`) from a failed
 * response, as `: CODE message; …`, or the start of a non-JSON body. Returns '' when there is none.
 */
async function readErrorDetail(response: HttpResponse): Promise<string> {
  let text: string;
  try {
    text = (await readBody(response, MAX_ERROR_BODY_BYTES, 'error body')).toString('utf8').trim();
  } catch {
    // The detail only decorates the message; the status already says what failed.
    return '';
  }
  if (text === '') return '';
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return `: ${parsed.errors.slice(0, 5).map((e) => `${String(e.code ?? '')} ${String(e.message ?? '')}`.trim()).join('; ')}`;
    }
  } catch {
    // Not JSON: fall through to the plain text.
  }
  return `: ${text.slice(0, 200)}`;
}
