import type { ProcessInfo } from './process-table.js';

/** The arguments of a process joined by spaces, without argv[0] (`proc.args`), and `proc.cmdline`. */
export interface CommandLine {
  args: string;
  cmdline: string;
}

/** The ancestor chain of a process and the list fields built from it, parent first. */
export interface Lineage {
  readonly chain: readonly ProcessInfo[];
  readonly names: readonly string[];
  readonly pids: readonly number[];
  readonly exepaths: readonly string[];
  readonly cmdlines: readonly string[];
}

function sameChain(a: readonly ProcessInfo[], b: readonly ProcessInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Caches the command lines and ancestor fields of processes, because a process issues many calls
 * and each event would otherwise join the arguments of the process and its eight ancestors again.
 * Entries are keyed by ProcessInfo object: the process table replaces the object on exec, so a
 * cached command line never outlives the argv it was built from. A lineage is reused only while
 * the ancestor chain consists of the same objects, and events share its arrays, which must
 * therefore never be modified.
 */
export class LineageCache {
  private readonly commandLines = new WeakMap<ProcessInfo, CommandLine>();
  private readonly lineages = new WeakMap<ProcessInfo, Lineage>();

  commandLine(info: ProcessInfo): CommandLine {
    const cached = this.commandLines.get(info);
    if (cached !== undefined) return cached;
    const args = info.argv.slice(1).join(' ');
    const line = { args, cmdline: args === '' ? info.name : `${info.name} ${args}` };
    this.commandLines.set(info, line);
    return line;
  }

  lineage(info: ProcessInfo, chain: readonly ProcessInfo[]): Lineage {
    const cached = this.lineages.get(info);
    if (cached !== undefined && sameChain(cached.chain, chain)) return cached;
    const lineage: Lineage = {
      chain,
      names: chain.map((ancestor) => ancestor.name),
      pids: chain.map((ancestor) => ancestor.pid),
      exepaths: chain.map((ancestor) => ancestor.exepath ?? ''),
      cmdlines: chain.map((ancestor) => this.commandLine(ancestor).cmdline),
    };
    this.lineages.set(info, lineage);
    return lineage;
  }
}
