import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { LimitError } from '../errors.js';

/** One HTTP request as the registry client sends it. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The status and headers of a response, with its body still to be read. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  url: URL;
}

/** A socket that stayed idle longer than the configured timeout. */
export class HttpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(url: URL, timeoutMs: number) {
    super(`no data from ${url.host} for ${timeoutMs} ms`);
  }
}

/**
 * Sends HTTP requests over keep-alive agents. One transport belongs to one client, so closing it
 * frees that client's sockets only.
 */
export class HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  /** @param idleTimeoutMs how long a socket may stay idle, while connecting, waiting for headers or reading the body. */
  constructor(private readonly idleTimeoutMs: number) {}

  /** Sends a request and resolves once the response headers arrive; connection errors reject. */
  send(request: HttpRequest): Promise<HttpResponse> {
    const isHttps = request.url.protocol === 'https:';
    const module = isHttps ? https : http;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(request.body.length);

    return new Promise((resolve, reject) => {
      const outgoing = module.request(request.url, {
        method: request.method,
        headers,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
      });
      outgoing.setTimeout(this.idleTimeoutMs, () => {
        outgoing.destroy(new HttpTimeoutError(request.url, this.idleTimeoutMs));
      });
      outgoing.on('error', reject);
      outgoing.on('response', (body) => {
        resolve({ status: body.statusCode ?? 0, headers: body.headers, body, url: request.url });
      });
      outgoing.end(request.body);
    });
  }

  /** Closes idle sockets and destroys the agents. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * Reads a whole response body, rejecting with a LimitError as soon as it passes `maxBytes`
 * (checked first against Content-Length), so a hostile server cannot fill memory.
 */
export async function readBody(response: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw new LimitError(`${what} at ${response.url} is ${declared} bytes, over the ${maxBytes}-byte maximum`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.body.destroy();
      throw new LimitError(`${what} at ${response.url} is over the ${maxBytes}-byte maximum`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and drops a body so its socket can be reused; a body over 64 KiB closes the socket instead. */
export async function discardBody(response: HttpResponse): Promise<void> {
  try {
    await readBody(response, 64 * 1024, 'response body');
  } catch {
    // The body is unwanted, so a failure only costs the socket.
    response.body.destroy();
  }
}

// Node error codes of connections that failed or broke and may work on a new attempt.
const RETRYABLE_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Tells whether a transport error is transient: a reset, refused or timed-out connection. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && RETRYABLE_ERROR_CODES.has(code)) return true;
  // Node reports a connection closed before any response as "socket hang up" and a body cut short
  // as "aborted". Both carry ECONNRESET, and the message check covers errors raised without a code.
  return error.message === 'socket hang up' || error.message === 'aborted';
}
