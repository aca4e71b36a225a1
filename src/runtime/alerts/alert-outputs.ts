import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

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

/** Writes alert lines to the standard input of a shell command, as Falco's program_output does. */
export function createProgramOutput(command: string, options: { onError: (error: Error) => void }): AlertOutput {
  const child: ChildProcess = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
  const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
  let dropped = 0;
  child.on('error', options.onError);
  stdin.on('error', options.onError);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    name: `program ${command}`,
    send(line) {
      if (stdin.writableLength > MAX_QUEUED_BYTES || stdin.destroyed) dropped++;
      else stdin.write(`${line}\n`);
    },
    dropped: () => dropped,
    close: async () => {
      stdin.end();
      await exited;
    },
  };
}

export interface HttpOutputOptions {
  /** Attempts per alert, the first included. Default: 3. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one, in milliseconds. Default: 500. */
  retryDelayMs?: number;
  onError: (error: Error) => void;
}

/**
 * POSTs each alert line as a JSON body to a URL, as Falco's http_output does, one request at a
 * time. A request that fails (network error or a status other than 2xx) is retried with backoff.
 * An alert that fails every attempt is dropped and reported through `onError`.
 */
export function createHttpOutput(url: string, options: HttpOutputOptions): AlertOutput {
  const attempts = options.attempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const queue: string[] = [];
  let dropped = 0;
  let draining: Promise<void> | undefined;

  const postOnce = async (body: string): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  };

  const drain = async (): Promise<void> => {
    for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
      for (let attempt = 1; ; attempt++) {
        try {
          await postOnce(body);
          break;
        } catch (error) {
          if (attempt >= attempts) {
            dropped++;
            options.onError(new Error(`dropped an alert after ${attempts} failed attempts to POST it to ${url}: ${(error as Error).message}`));
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
    draining = undefined;
  };

  return {
    name: `http ${url}`,
    send(line) {
      if (queue.length >= MAX_QUEUED_POSTS) {
        dropped++;
        return;
      }
      queue.push(line);
      draining ??= drain();
    },
    dropped: () => dropped,
    close: async () => {
      await draining;
    },
  };
}
