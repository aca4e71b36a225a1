/** Settings of the limit on repeated alerts. */
export interface RepeatLimit {
  /** Alerts per second that each distinct alert may refill to. */
  perSecond: number;
  /** Alerts that may pass at once before the rate applies. */
  burst: number;
}

/** The maximum number of distinct alerts tracked; past it the oldest buckets are forgotten. */
const MAX_TRACKED = 100_000;

interface Bucket {
  tokens: number;
  lastNs: number;
}

/**
 * Limits repeats of the same alert (same rule and same output text) with one token bucket each.
 * Time comes from the events, so a recorded stream replayed fast is limited as it was recorded.
 */
export class RepeatLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Alerts held back since the limiter was built. */
  suppressed = 0;

  constructor(private readonly limit: RepeatLimit) {}

  /** Returns true when the alert may be sent at `timeNs` (nanoseconds since the epoch). */
  allow(rule: string, output: string, timeNs: number): boolean {
    const key = `${rule}\u0000${output}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED) this.forgetOldest();
      bucket = { tokens: this.limit.burst, lastNs: timeNs };
      this.buckets.set(key, bucket);
    }
    const elapsedSeconds = Math.max(0, timeNs - bucket.lastNs) / 1e9;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsedSeconds * this.limit.perSecond);
    bucket.lastNs = Math.max(bucket.lastNs, timeNs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.suppressed++;
    return false;
  }

  private forgetOldest(): void {
    // Map iteration follows insertion order, so the first keys are the oldest buckets.
    let count = 0;
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (++count >= MAX_TRACKED / 10) break;
    }
  }
}
