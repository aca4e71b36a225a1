import { readProcSnapshot, type ProcSnapshot } from './proc-reader.js';

/**
 * The live source's record of one process, from its exec event or from /proc: the /proc fields,
 * with the name and argv always set.
 */
export interface ProcessInfo extends Omit<ProcSnapshot, 'name' | 'argv'> {
  /** The command name (`comm`). */
  name: string;
  /** argv; empty when neither the exec event nor /proc gave it. */
  argv: string[];
  exeFromMemfd?: boolean;
  /** True when only the tracepoint's ids and name are known: the process exited before /proc was read. */
  partial: boolean;
}

export interface ProcessTableOptions {
  procRoot?: string;
  /** The maximum number of cached processes; the oldest entries go first. Default 32,768. */
  maxEntries?: number;
}

/**
 * A cache of processes keyed by pid. Forks add an entry, exec events replace it, process exits
 * delete it, and a lookup of an unknown pid reads /proc once.
 */
export class ProcessTable {
  private readonly entries = new Map<number, ProcessInfo>();
  private readonly procRoot: string;
  private readonly maxEntries: number;

  constructor(options: ProcessTableOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.maxEntries = options.maxEntries ?? 32_768;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stores a process, as seen at its exec or fork. */
  set(info: ProcessInfo): void {
    this.entries.delete(info.pid);
    this.entries.set(info.pid, info);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /**
   * Records a new process as a copy of the process that forked it, because a fork copies the
   * caller's command, arguments, executable, working directory, ids and cgroup. The caller is
   * read from /proc if it is not cached yet. A child that is already cached keeps its entry: its
   * exec or first event was read before the fork line, which arrived late from another CPU.
   */
  recordFork(parentPid: number, childPid: number, childPpid: number): void {
    if (this.entries.has(childPid)) return;
    const parent = this.get(parentPid);
    if (parent === undefined) return;
    this.set({ ...parent, pid: childPid, ppid: childPpid });
  }

  /** Forgets a process that exited. */
  delete(pid: number): void {
    this.entries.delete(pid);
  }

  /** Returns the cached process or reads it from /proc; `undefined` when it is neither cached nor running. */
  get(pid: number): ProcessInfo | undefined {
    const cached = this.entries.get(pid);
    if (cached !== undefined) return cached;
    const snapshot = readProcSnapshot(pid, this.procRoot);
    if (snapshot === undefined || snapshot.name === undefined) return undefined;
    const { name, argv, ...fields } = snapshot;
    const info: ProcessInfo = { ...fields, name, argv: argv ?? [], partial: false };
    if (snapshot.exepath !== undefined) info.exeFromMemfd = snapshot.exepath.startsWith('/memfd:');
    this.set(info);
    return info;
  }

  /** Returns the ancestors of a process from its parent up, stopping at pid 1, a loop or `maxDepth`. */
  ancestors(process: ProcessInfo, maxDepth: number): ProcessInfo[] {
    const chain: ProcessInfo[] = [];
    const seen = new Set([process.pid]);
    let ppid = process.ppid;
    while (ppid !== undefined && ppid > 0 && chain.length < maxDepth && !seen.has(ppid)) {
      seen.add(ppid);
      const parent = this.get(ppid);
      if (parent === undefined) break;
      chain.push(parent);
      ppid = parent.ppid;
    }
    return chain;
  }
}
