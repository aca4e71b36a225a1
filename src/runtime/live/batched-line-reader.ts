import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface BatchedLineReaderOptions {
  /** A read shorter than this many bytes pauses the stream, so more lines collect in the pipe. Default 16 KiB. */
  batchBytes?: number;
  /** How long the stream pauses after a short read, in milliseconds. Default 5. */
  pauseMs?: number;
  /** The maximum line length kept, in characters. A longer line is dropped up to its newline. Default 1,048,576. */
  maxLineLength?: number;
  /** Called once for each line dropped for its length. */
  onOverlong?: () => void;
}

/**
 * Splits a stream into lines and calls `onLine` for each, without the newline. A last line without
 * a newline is passed at the end. After a short read the stream pauses briefly, because bpftrace
 * flushes every line: read as it comes, the pipe delivers about three lines per read, and the
 * system calls and callbacks per read cost more than parsing the lines. A full read never pauses,
 * so a reader that falls behind reads at full speed. Lines arrive up to `pauseMs` later.
 */
export function readLinesInBatches(stream: Readable, onLine: (line: string) => void, options: BatchedLineReaderOptions = {}): void {
  const batchBytes = options.batchBytes ?? 16 * 1024;
  const pauseMs = options.pauseMs ?? 5;
  const maxLineLength = options.maxLineLength ?? 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  // True while the rest of an overlong line is skipped.
  let skipping = false;

  const emitLines = (text: string): void => {
    let start = 0;
    if (skipping) {
      const end = text.indexOf('\n');
      if (end === -1) return;
      skipping = false;
      start = end + 1;
    }
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      onLine(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > maxLineLength) {
      options.onOverlong?.();
      rest = '';
      skipping = true;
    }
  };

  stream.on('data', (chunk: Buffer) => {
    emitLines(rest + decoder.write(chunk));
    if (chunk.length < batchBytes && pauseMs > 0) {
      stream.pause();
      setTimeout(() => stream.resume(), pauseMs);
    }
  });
  stream.on('end', () => {
    const last = skipping ? '' : rest + decoder.end();
    rest = '';
    if (last !== '') onLine(last);
  });
}
