import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

import { containerIdFromCgroupFile } from './cgroup-container.js';

/** The /proc view of one process. Each field is missing when its file could not be read. */
export interface ProcSnapshot {
  pid: number;
  ppid?: number;
  /** The command name (`comm`), at most 15 characters. */
  name?: string;
  /** argv as written to /proc/PID/cmdline. */
  argv?: string[];
  exepath?: string;
  cwd?: string;
  /** `tty_nr` of /proc/PID/stat: 0 without a controlling terminal. */
  tty?: number;
  uid?: number;
  gid?: number;
  loginuid?: number;
  /** Full container id from /proc/PID/cgroup; `null` when the process is on the host. */
  containerId?: string | null;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process may have exited or be in another state where the file is gone; callers treat a missing field as unknown.
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Parses /proc/PID/stat: the name sits in parentheses and may itself contain spaces and parentheses. */
export function parseProcStat(text: string): { name: string; ppid: number; tty: number } | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // After the name: state, ppid, pgrp, session, tty_nr.
  const ppid = Number(rest[1]);
  const tty = Number(rest[4]);
  if (!Number.isInteger(ppid) || !Number.isInteger(tty)) return undefined;
  return { name: text.slice(open + 1, close), ppid, tty };
}

/** Reads the real uid or gid (first column) of a `Uid:` or `Gid:` line of /proc/PID/status. */
function statusId(status: string, key: 'Uid' | 'Gid'): number | undefined {
  const match = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Reads one process from a proc file system. Reads are synchronous: each file is a few hundred
 * bytes served from kernel memory, and keeping event order matters more than yielding.
 */
export function readProcSnapshot(pid: number, procRoot = '/proc'): ProcSnapshot | undefined {
  const base = join(procRoot, String(pid));
  const statText = read(join(base, 'stat'));
  if (statText === undefined) return undefined;
  const snapshot: ProcSnapshot = { pid };
  const stat = parseProcStat(statText);
  if (stat !== undefined) Object.assign(snapshot, stat);
  const cmdline = read(join(base, 'cmdline'));
  if (cmdline !== undefined && cmdline !== '') snapshot.argv = cmdline.replace(/\0$/, '').split('\0');
  const exepath = link(join(base, 'exe'));
  if (exepath !== undefined) snapshot.exepath = exepath;
  const cwd = link(join(base, 'cwd'));
  if (cwd !== undefined) snapshot.cwd = cwd;
  const status = read(join(base, 'status'));
  if (status !== undefined) {
    const uid = statusId(status, 'Uid');
    const gid = statusId(status, 'Gid');
    if (uid !== undefined) snapshot.uid = uid;
    if (gid !== undefined) snapshot.gid = gid;
  }
  const loginuid = read(join(base, 'loginuid'));
  if (loginuid !== undefined && /^\d+$/.test(loginuid.trim())) snapshot.loginuid = Number(loginuid.trim());
  const cgroup = read(join(base, 'cgroup'));
  if (cgroup !== undefined) snapshot.containerId = containerIdFromCgroupFile(cgroup) ?? null;
  return snapshot;
}

/** Reads a process's working directory, or `undefined` when the process is gone. */
export function readProcCwd(pid: number, procRoot = '/proc'): string | undefined {
  return link(join(procRoot, String(pid), 'cwd'));
}

/** Resolves an open file descriptor of a process to its path, or `undefined` when it is gone. */
export function readFdPath(pid: number, fd: number, procRoot = '/proc'): string | undefined {
  return link(join(procRoot, String(pid), 'fd', String(fd)));
}

/** Reads a file inside a process's root directory, which is the container's file system for containerized processes. */
export function readRootFile(pid: number, path: string, procRoot = '/proc'): string | undefined {
  return read(join(procRoot, String(pid), 'root', path));
}
