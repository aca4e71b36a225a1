import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { BulwarkError } from '../../errors.js';

/** The mount point of the kernel's tracing file system, where bpftrace reads tracepoint formats. */
export const TRACEFS_PATH = '/sys/kernel/tracing';

/** The environment bpftrace runs with: the longest strings 0.17 allows, room for many threads in calls, and 4 MiB ring buffers per CPU. */
const BPFTRACE_ENV = { BPFTRACE_STRLEN: '200', BPFTRACE_MAP_KEYS_MAX: '65536', BPFTRACE_PERF_RB_PAGES: '1024' };

export interface BpftraceCommandOptions {
  /** The bpftrace binary; default `bpftrace` from PATH. */
  bpftracePath?: string;
  /** Whether tracefs is mounted; default: whether TRACEFS_PATH/events exists. */
  tracefsMounted?: boolean;
}

/** A program and its arguments. */
export interface Command {
  program: string;
  args: string[];
}

function onPath(program: string): boolean {
  if (program.includes('/')) return existsSync(program);
  return (process.env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && existsSync(join(folder, program)));
}

/**
 * Checks that live capture can start: root, bpftrace, and unshare when tracefs is not mounted.
 * Throws a BulwarkError whose message names what to install or run.
 */
export function checkLivePrerequisites(options: BpftraceCommandOptions = {}): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new BulwarkError('USAGE', 'live capture needs root to load BPF programs; run bulwark runtime as root (for example with sudo), or replay recorded events with --events or --capture');
  }
  const bpftrace = options.bpftracePath ?? 'bpftrace';
  if (!onPath(bpftrace)) throw new BulwarkError('NOT_FOUND', `live capture needs bpftrace, which was not found (${bpftrace}); install it with apt-get install bpftrace`);
  if (!(options.tracefsMounted ?? existsSync(join(TRACEFS_PATH, 'events'))) && !onPath('unshare')) {
    throw new BulwarkError('NOT_FOUND', `tracefs is not mounted at ${TRACEFS_PATH} and unshare was not found to mount it privately; install util-linux or mount tracefs there`);
  }
}

/**
 * Builds the command that runs bpftrace with `args`. Without tracefs the command mounts it inside
 * a new mount namespace (`unshare -m`), so the host's mount table does not change.
 */
export function bpftraceCommand(args: readonly string[], options: BpftraceCommandOptions = {}): Command {
  const bpftrace = options.bpftracePath ?? 'bpftrace';
  if (options.tracefsMounted ?? existsSync(join(TRACEFS_PATH, 'events'))) return { program: bpftrace, args: [...args] };
  // unshare and sh exec in place, so the pid that spawn returns ends up being bpftrace's.
  return { program: 'unshare', args: ['-m', 'sh', '-c', `mount -t tracefs nodev ${TRACEFS_PATH} && exec "$0" "$@"`, bpftrace, ...args] };
}

/**
 * Starts bpftrace with the generated program on stdin, writing JSON output to `outputPath` (a FIFO) and messages to stderr.
 * Where util-linux's setpriv is present, bpftrace gets SIGKILL as its parent-death signal, so its
 * probes do not outlive a bulwark that was killed without a chance to stop it.
 */
export function spawnBpftrace(script: string, outputPath: string, options: BpftraceCommandOptions = {}): ChildProcess {
  const bpftrace = bpftraceCommand(['-f', 'json', '-o', outputPath, '-'], options);
  // The signal survives the execs of unshare, sh and bpftrace, none of which is set-user-ID.
  const command = onPath('setpriv') ? { program: 'setpriv', args: ['--pdeathsig', 'KILL', '--', bpftrace.program, ...bpftrace.args] } : bpftrace;
  const child = spawn(command.program, command.args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, ...BPFTRACE_ENV } });
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(script);
  return child;
}

/** Lists the syscall tracepoints of this kernel (`sys_enter_openat`, …) through `bpftrace -l`. */
export function listSyscallTracepoints(options: BpftraceCommandOptions = {}): Promise<Set<string>> {
  const command = bpftraceCommand(['-l', 'tracepoint:syscalls:sys_*'], options);
  return new Promise((resolve, reject) => {
    execFile(command.program, command.args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new BulwarkError('IO', `could not list tracepoints with ${command.program} ${command.args.join(' ')}: ${stderr.trim() || error.message}`, { cause: error }));
        return;
      }
      const names = new Set<string>();
      for (const line of stdout.split('\n')) {
        const match = /^tracepoint:syscalls:(sys_(?:enter|exit)_\w+)$/.exec(line.trim());
        if (match !== null) names.add(match[1] as string);
      }
      resolve(names);
    });
  });
}
