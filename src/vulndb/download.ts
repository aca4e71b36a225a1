import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { LimitError, NetworkError, errorMessage } from '../errors.js';

/** Options of `downloadFile`. */
export interface DownloadOptions {
  fetch: typeof fetch;
  /** Maximum time in ms for one attempt, from the request to the last byte. */
  timeoutMs: number;
  /** Maximum size of the body in bytes. */
  maxBytes: number;
  /** Attempts after the first one, for 429, 5xx, timeouts and dropped connections. */
  retries: number;
  /** Delay in ms before the first retry; it doubles after each retry. */
  retryDelayMs: number;
  /** Called before each retry, so that a CLI can log it. */
  onRetry?: (event: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** Maximum delay in ms that a `Retry-After` header can impose. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Downloads `url` into `path`, writing to `path.part` first and renaming at the end, so that `path`
 * only ever contains a whole body. Retries with exponential backoff on 429, 5xx, timeouts and
 * connections that drop mid-body, honouring `Retry-After`. Returns the size in bytes.
 * Throws NetworkError (NOT_FOUND for 404 and 410) or LimitError when the body exceeds `maxBytes`.
 */
export async function downloadFile(url: string, path: string, options: DownloadOptions): Promise<number> {
  let lastReason = '';
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    const outcome = await attemptDownload(url, `${path}.part`, options);
    if (outcome.ok) {
      renameSync(`${path}.part`, path);
      return outcome.bytes;
    }
    rmSync(`${path}.part`, { force: true });
    lastReason = outcome.reason;
    if (attempt === options.retries) break;

    const delayMs = outcome.retryAfterMs ?? options.retryDelayMs * 2 ** attempt;
    options.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: outcome.reason });
    await sleep(delayMs);
  }
  throw new NetworkError('NETWORK', `download of ${url} failed after ${options.retries + 1} attempts: ${lastReason}; check the URL and the network, then retry`);
}

type AttemptOutcome = { ok: true; bytes: number } | { ok: false; reason: string; retryAfterMs?: number };

async function attemptDownload(url: string, partPath: string, options: DownloadOptions): Promise<AttemptOutcome> {
  let response: Response;
  try {
    response = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    return { ok: false, reason: `request failed: ${describeFetchError(error)}` };
  }

  if (response.status === 404 || response.status === 410) {
    throw new NetworkError('NOT_FOUND', `download of ${url} failed: HTTP ${response.status}; check the URL`, { status: response.status });
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `HTTP ${response.status}`, ...retryAfter(response) };
  }
  if (!response.ok || response.body === null) {
    throw new NetworkError('NETWORK', `download of ${url} failed: HTTP ${response.status}`, { status: response.status });
  }

  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new LimitError(`${url} is ${declared} bytes, over the download cap of ${options.maxBytes} bytes; raise maxDownloadBytes to fetch it`);
  }

  const fd = openSync(partPath, 'w');
  let bytes = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > options.maxBytes) {
        throw new LimitError(`${url} sent more than the download cap of ${options.maxBytes} bytes; raise maxDownloadBytes to fetch it`);
      }
      writeSync(fd, chunk);
    }
  } catch (error) {
    if (error instanceof LimitError) throw error;
    return { ok: false, reason: `connection dropped after ${bytes} bytes: ${describeFetchError(error)}` };
  } finally {
    closeSync(fd);
  }

  if (Number.isFinite(declared) && response.headers.has('content-length') && bytes !== declared) {
    return { ok: false, reason: `received ${bytes} of ${declared} bytes` };
  }
  return { ok: true, bytes };
}

function retryAfter(response: Response): { retryAfterMs?: number } {
  const seconds = Number(response.headers.get('retry-after'));
  if (!Number.isFinite(seconds) || seconds < 0 || response.headers.get('retry-after') === null) return {};
  return { retryAfterMs: Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${errorMessage(error)}${cause}`;
}
