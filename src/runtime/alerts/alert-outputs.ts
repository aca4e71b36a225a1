import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A destination for formatted alert lines. `send` only queues the line and returns, so a slow
 * destination cannot hold up event intake. Lines past the queue's cap are dropped and counted.
 */
export interface AlertOutput {
  readonly name: string;
  send(line: string): void;
  /** Lines dropped because the destination fell behind or failed for good. */
  dropped(): number;
  /** Flushes what is queued, then releases the destination. */
  close(): Promise<void>;
}

/** The maximum bytes queued for a file or program before lines are dropped. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** The maximum alerts waiting for an HTTP POST before alerts are dropped. */
const MAX_QUEUED_POSTS = 10_000;

/** Appends alert lines to a file, as Falco's file_output does. */
export function createFileOutput(path: string, options: { onError: (error: Error) => void }): AlertOutput {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  let dropped = 0;
  stream.on('error', options.onError);
  return {
    name: `file ${path}`,
    send(line) {
      if (stream.writableLength > MAX_QUEUED_BYTES || stream.destroyed) dropped++;
      else stream.write(`${line}\n`);
    },
    dropped: () => dropped,
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

export interface ProgramOutputOptions {
  /**
   * Time `close` waits for the program to exit after its stdin is closed, in milliseconds.
   * Default: 5,000. After it, the program and the processes it started are killed, and the lines
   * it had not read are dropped.
   */
  closeTimeoutMs?: number;
  onError: (error: Error) => void;
}

/** Writes alert lines to the standard input of a shell command, as Falco's program_output does. */
export function createProgramOutput(command: string, options: ProgramOutputOptions): AlertOutput {
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  // The command runs in its own process group, so that a timed-out command is killed with every process it started.
  const child: ChildProcess = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'], detached: true });
  const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
  let dropped = 0;
  // Lines written to the pipe buffer whose write has not completed yet.
  let pending = 0;
  let closing = false;
  let killed = false;
  child.on('error', options.onError);
  stdin.on('error', (error: NodeJS.ErrnoException) => {
    // Writes pending when the program is killed fail with EPIPE, and the timeout error already counts them.
    if (killed && error.code === 'EPIPE') return;
    options.onError(error);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (closing) return;
    const status = signal === null ? `with code ${code}` : `on ${signal}`;
    options.onError(new Error(`program output '${command}' exited ${status} before the end of input, so later alerts are dropped`));
  });
  return {
    name: `program ${command}`,
    send(line) {
      if (stdin.writableLength > MAX_QUEUED_BYTES || stdin.destroyed) {
        dropped++;
        return;
      }
      pending++;
      stdin.write(`${line}\n`, () => {
        pending--;
      });
    },
    dropped: () => dropped,
    close: async () => {
      closing = true;
      stdin.end();
      const deadline = new AbortController();
      const timedOut = await Promise.race([exited.then(() => false), sleep(closeTimeoutMs, true, { signal: deadline.signal }).catch(() => false)]);
      deadline.abort();
      if (!timedOut) return;
      dropped += pending;
      options.onError(new Error(`program output '${command}' did not exit within ${closeTimeoutMs} ms of the end of input, so it was killed with ${pending} alerts unread`));
      killed = true;
      killProcessGroup(child);
      await exited;
    },
  };
}

/** Sends SIGKILL to the process group that `child` leads, or to `child` alone when the group is gone. */
function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export interface HttpOutputOptions {
  /** Attempts per alert, the first included. Default: 3. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one, in milliseconds. Default: 500. */
  retryDelayMs?: number;
  /** Time one POST may take before it is aborted and counts as a failed attempt, in milliseconds. Default: 10,000. */
  requestTimeoutMs?: number;
  /**
   * Time `close` waits for queued alerts to be sent, in milliseconds. Default: 5,000. After it,
   * the request in flight is aborted and the alerts still queued are dropped and counted.
   */
  closeTimeoutMs?: number;
  onError: (error: Error) => void;
}

/**
 * POSTs each alert line as a JSON body to a URL, as Falco's http_output does, one request at a
 * time. A request that fails (network error, timeout or a status other than 2xx) is retried with
 * backoff. An alert that fails every attempt is dropped and reported through `onError`.
 */
export function createHttpOutput(url: string, options: HttpOutputOptions): AlertOutput {
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const queue: string[] = [];
  // Aborted when `close` gives up, so the request in flight and any backoff wait end at once.
  const shutdown = new AbortController();
  let dropped = 0;
  let draining: Promise<void> | undefined;

  const postOnce = async (body: string): Promise<void> => {
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(requestTimeoutMs)]);
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  };

  const describeFailure = (error: unknown): string => {
    if (error instanceof Error && error.name === 'TimeoutError') return `timed out after ${requestTimeoutMs} ms`;
    if (!(error instanceof Error)) return String(error);

    // fetch reports every network failure as "fetch failed" and puts the reason (ECONNREFUSED, a
    // TLS error) in `cause`.
    const cause = error.cause;
    if (cause instanceof Error) {
      const code = (cause as NodeJS.ErrnoException).code;
      return `${error.message}: ${code !== undefined && !cause.message.includes(code) ? `${code} ` : ''}${cause.message}`;
    }
    return error.message;
  };

  const drain = async (): Promise<void> => {
    while (!shutdown.signal.aborted) {
      const body = queue.shift();
      if (body === undefined) break;
      for (let attempt = 1; ; attempt++) {
        try {
          await postOnce(body);
          break;
        } catch (error) {
          if (shutdown.signal.aborted) {
            dropped++;
            break;
          }
          if (attempt >= attempts) {
            dropped++;
            options.onError(new Error(`dropped an alert after ${attempts} failed attempts to POST it to ${url}: ${describeFailure(error)}`));
            break;
          }
          await sleep(retryDelayMs * 2 ** (attempt - 1), undefined, { signal: shutdown.signal }).catch(() => undefined);
        }
      }
    }
    draining = undefined;
  };

  return {
    name: `http ${url}`,
    send(line) {
      if (queue.length >= MAX_QUEUED_POSTS || shutdown.signal.aborted) {
        dropped++;
        return;
      }
      queue.push(line);
      draining ??= drain();
    },
    dropped: () => dropped,
    close: async () => {
      if (draining === undefined) return;
      const finished = draining;
      const timer = setTimeout(() => shutdown.abort(), closeTimeoutMs);
      await finished;
      clearTimeout(timer);
      if (queue.length > 0) {
        options.onError(new Error(`dropped ${queue.length} queued alerts because ${url} did not take them within ${closeTimeoutMs} ms of the end of input`));
        dropped += queue.length;
        queue.length = 0;
      }
    },
  };
}
