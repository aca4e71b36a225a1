/** When and how long the registry client waits before trying a failed request again. */
export interface RetryPolicy {
  /** Attempts per request, the first one included. Default: 5. */
  maxAttempts: number;
  /** The base delay before the second attempt, in milliseconds; it doubles per attempt. Default: 250. */
  initialDelayMs: number;
  /** The maximum backoff delay, in milliseconds. Default: 10 000. */
  maxDelayMs: number;
  /**
   * The longest `Retry-After` the client honours, in milliseconds. A longer `Retry-After` from a
   * server ends the request with a NetworkError instead. Default: 60 000.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Returns the wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
 * exponential backoff with "equal jitter", a random point in the upper half of the backoff, so
 * clients that failed together do not retry together while each still waits a while.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/**
 * Parses a `Retry-After` header (RFC 9110 section 10.2.3): delay-seconds or an HTTP date.
 * Returns the delay in milliseconds, or undefined when the header is absent or malformed.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names a weekday and month; without letters, Date.parse would accept "-1" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Tells whether a status is worth another attempt: 429 Too Many Requests and the 5xx server
 * errors, except 501 Not Implemented and 505 HTTP Version Not Supported, which do not change.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
