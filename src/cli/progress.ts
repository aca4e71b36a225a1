import type { ScanProgress } from '../scan/scan-options.js';

/**
 * Returns a progress callback that redraws one status line on stderr, or undefined when stderr is
 * not a terminal (CI logs, redirected output) or the user asked for quiet output.
 */
export function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): ((event: ScanProgress) => void) | undefined {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return undefined;

  let done = 0;
  return (event) => {
    if (event.kind === 'phase') {
      stream.write(`\r\x1b[K${event.phase === 'open' ? 'Opening image' : event.phase === 'analyze' ? 'Analyzing' : 'Detecting vulnerabilities'}…`);
      if (event.phase === 'detect') stream.write('\r\x1b[K');
      return;
    }
    if (event.done) done += 1;
    const state = event.cached ? 'cached' : event.done ? 'done' : 'reading';
    stream.write(`\r\x1b[KLayers ${done}/${event.total}: ${event.digest.slice(0, 19)} ${state}`);
    if (done === event.total) stream.write('\r\x1b[K');
  };
}
