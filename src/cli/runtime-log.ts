/** The levels of `bulwark runtime` log lines. */
export type RuntimeLogLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * Writes one log line to stderr with an ISO 8601 UTC time stamp, so the starts, stops and errors
 * of a long `bulwark runtime` run can be placed in time: `2026-12-04T23:40:00.123Z INFO message`.
 */
export function logRuntime(level: RuntimeLogLevel, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
}

/**
 * Returns a logger for repeated errors of one kind that writes the first `limit` of them and
 * then counts the rest, so a dead endpoint cannot flood stderr. `suppressed()` returns that count.
 */
export function createRepeatLog(level: RuntimeLogLevel, limit: number): { log: (message: string) => void; suppressed: () => number } {
  let seen = 0;
  return {
    log(message) {
      seen++;
      if (seen <= limit) logRuntime(level, message);
      if (seen === limit) logRuntime(level, `further messages of this kind are counted, not logged`);
    },
    suppressed: () => Math.max(0, seen - limit),
  };
}
