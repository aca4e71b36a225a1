import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

import type { ScriptLine } from './model.js';

/** One ShellCheck comment, mapped back to the Dockerfile line. */
export interface ShellCheckFinding {
  code: string;
  level: 'error' | 'warning' | 'info' | 'style';
  message: string;
  line: number;
  column: number;
}

export type ShellCheckOutcome =
  | { status: 'ok'; findings: ShellCheckFinding[] }
  | { status: 'missing' }
  | { status: 'timeout' }
  | { status: 'failed'; message: string };

export interface ShellCheckRequest {
  script: ScriptLine[];
  /** The dialect ShellCheck checks: `sh`, `bash`, `dash` or `ksh`. */
  shell: string;
  /** Variables set by ARG and ENV, declared to ShellCheck so that it does not report them as unassigned. */
  variables: string[];
}

/** The time limit for one script, in milliseconds. */
export const SHELLCHECK_TIMEOUT_MS = 10_000;

/**
 * ShellCheck codes never reported: SC1090 and SC1091 (cannot follow `source` of a file that is in the
 * image, not next to the Dockerfile), and SC2187 (ash is checked as sh).
 */
const EXCLUDED_CODES = 'SC1090,SC1091,SC2187';

let running = 0;
const waiting: (() => void)[] = [];
const maxRunning = Math.max(2, availableParallelism());

/**
 * Runs `shellcheck --format=json1` on one script, fed on stdin, and maps each comment's line back to
 * the Dockerfile. At most one process per CPU runs at a time; a script over the time limit is killed.
 */
export async function runShellCheck(request: ShellCheckRequest, options: { executable?: string; timeoutMs?: number } = {}): Promise<ShellCheckOutcome> {
  if (running >= maxRunning) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await runOnce(request, options.executable ?? 'shellcheck', options.timeoutMs ?? SHELLCHECK_TIMEOUT_MS);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runOnce(request: ShellCheckRequest, executable: string, timeoutMs: number): Promise<ShellCheckOutcome> {
  // The first line declares ARG and ENV variables; script line n is stdin line n + 1.
  const declared = request.variables.filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  const input = `${declared.length > 0 ? `export ${declared.join(' ')}` : ':'}\n${request.script.map((line) => line.text).join('\n')}\n`;

  return new Promise((resolve) => {
    const child = spawn(executable, ['--format=json1', `--shell=${request.shell}`, `--exclude=${EXCLUDED_CODES}`, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const finish = (outcome: ShellCheckOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ status: 'timeout' });
    }, timeoutMs);

    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? { status: 'missing' } : { status: 'failed', message: error.message }));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      // ShellCheck exits 1 when it has comments; only other codes are failures.
      if (code !== 0 && code !== 1) {
        finish({ status: 'failed', message: `shellcheck exited with ${code}: ${Buffer.concat(stderr).toString('utf8').trim().slice(0, 200)}` });
        return;
      }
      try {
        finish({ status: 'ok', findings: mapComments(Buffer.concat(stdout).toString('utf8'), request.script) });
      } catch (error) {
        finish({ status: 'failed', message: `shellcheck output is not the expected JSON: ${(error as Error).message}` });
      }
    });
    child.stdin.end(input);
  });
}

interface Json1Comment {
  line: number;
  column: number;
  level: ShellCheckFinding['level'];
  code: number;
  message: string;
}

function mapComments(output: string, script: ScriptLine[]): ShellCheckFinding[] {
  const parsed = JSON.parse(output) as { comments: Json1Comment[] };
  const findings: ShellCheckFinding[] = [];
  for (const comment of parsed.comments) {
    const source = script[comment.line - 2];
    if (source === undefined) continue;
    findings.push({ code: `SC${comment.code}`, level: comment.level, message: comment.message, line: source.line, column: comment.column });
  }
  return findings;
}
