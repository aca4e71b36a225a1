import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Returns whether a program is found on PATH, or exists when given as a path. */
export function onPath(program: string): boolean {
  if (program.includes('/')) return existsSync(program);
  return (process.env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && existsSync(join(folder, program)));
}

/** Returns whether a process runs: it exists and is not a zombie that waits to be reaped. */
export function isRunning(pid: number): boolean {
  const statPath = `/proc/${pid}/stat`;
  if (!existsSync(statPath)) return false;

  // The state is the first field after the command name, which is in parentheses.
  const stat = readFileSync(statPath, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
