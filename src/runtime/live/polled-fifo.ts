import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BulwarkError } from '../../errors.js';

/** How long the reader sleeps once the FIFO is empty, in milliseconds: the added delay per line. */
const POLL_INTERVAL_MS = 5;
/** Bytes read in one turn of the event loop before the reader yields to other work. */
const MAX_BYTES_PER_TURN = 1024 * 1024;

export interface PolledFifoHandlers {
  onChunk: (chunk: Buffer) => void;
  /** Called once, after the writer has exited and everything it wrote was passed to `onChunk`. */
  onEnd: () => void;
  /** Called once if a read fails with anything but EAGAIN. `onEnd` is called after it. */
  onError: (error: Error) => void;
}

/**
 * A named pipe in a private temporary directory that a child process writes to and bulwark reads
 * by polling. Every 5 ms it reads everything there is, then sleeps. bpftrace flushes every line,
 * so a stream reader that keeps up wakes for about three lines per read, and those wake-ups and
 * reads cost more than parsing the lines, in bpftrace (which wakes the reader) and in bulwark.
 */
export class PolledFifo {
  readonly path: string;
  private readonly directory: string;
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(256 * 1024);
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private writerExited = false;
  private closed = false;

  private constructor(private readonly handlers: PolledFifoHandlers) {
    this.directory = mkdtempSync(join(tmpdir(), 'bulwark-live-'));
    this.path = join(this.directory, 'bpftrace.out');
    try {
      execFileSync('mkfifo', ['-m', '600', this.path]);
      // Without O_NONBLOCK the open would wait for a writer. With it, the open returns at once, and a
      // read of an empty FIFO fails with EAGAIN instead of waiting.
      this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      rmSync(this.directory, { recursive: true, force: true });
      throw new BulwarkError('IO', `could not create a FIFO for bpftrace's output in ${this.directory}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Creates the FIFO and starts polling it. */
  static open(handlers: PolledFifoHandlers): PolledFifo {
    const fifo = new PolledFifo(handlers);
    fifo.schedule(POLL_INTERVAL_MS);
    return fifo;
  }

  /** Reads what the writer left and then ends. Call it once the writing process has exited. */
  writerDone(): void {
    this.writerExited = true;
    if (this.timer !== undefined && !this.closed) this.schedule(0);
  }

  /**
   * Removes the FIFO's name and folder; open ends keep working, so a bulwark killed later leaves no
   * folder behind. Call it once the writer has opened the FIFO, or the writer cannot open it.
   */
  removeName(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  /** Stops reading and removes the FIFO, without calling `onEnd`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancel();
    closeSync(this.fd);
    rmSync(this.directory, { recursive: true, force: true });
  }

  private cancel(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.cancel();
    this.timer = delayMs === 0 ? setImmediate(() => this.poll()) : setTimeout(() => this.poll(), delayMs);
  }

  private poll(): void {
    this.timer = undefined;
    if (this.closed) return;
    let total = 0;
    for (;;) {
      let count: number;
      try {
        count = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        this.handlers.onError(error as Error);
        this.finish();
        return;
      }
      // A read of 0 bytes means that no writer has the FIFO open, either not yet or no longer.
      if (count === 0) {
        if (this.writerExited) {
          this.finish();
          return;
        }
        break;
      }
      this.handlers.onChunk(this.buffer.subarray(0, count));
      total += count;
      if (total >= MAX_BYTES_PER_TURN) {
        this.schedule(0);
        return;
      }
    }
    this.schedule(POLL_INTERVAL_MS);
  }

  private finish(): void {
    this.close();
    this.handlers.onEnd();
  }
}
