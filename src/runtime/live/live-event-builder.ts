import { posix } from 'node:path';

import type { FieldValue, RuntimeEvent } from '../fields/field-types.js';
import type { ExitRecord, ForkRecord, StringRecord } from './bpftrace-output.js';
import { decodeBuffer } from './bpftrace-output.js';
import { EXEC_ARGS_CHUNKS } from './bpftrace-script.js';
import { addCallFields } from './call-arguments.js';
import { containerIdFromCgroup, HOST_CONTAINER_ID, shortContainerId } from './cgroup-container.js';
import type { ContainerMetadataCache } from './container-metadata.js';
import { encodeDevice, formatResult } from './linux-constants.js';
import { readFdPath, readProcCwd, readProcSnapshot } from './proc-reader.js';
import { LineageCache, type Lineage } from './process-lineage.js';
import type { ProcessInfo, ProcessTable } from './process-table.js';
import type { UserNames } from './user-names.js';

/** The number of ancestors written as `proc.aname[N]`, `proc.apid[N]`…; Falco's rules read up to 7. */
export const ANCESTOR_DEPTH = 8;

/** The audit login uid of a process that never logged in: (uid_t)-1. */
const UNSET_LOGINUID = 4294967295;

export interface LiveEventBuilderOptions {
  processes: ProcessTable;
  users: UserNames;
  containers: ContainerMetadataCache;
  /** bulwark's own pid: events of its descendants are dropped. */
  excludedPid: number;
  /** Wall-clock nanoseconds minus CLOCK_MONOTONIC nanoseconds, to turn bpftrace times into `evt.rawtime`. */
  clockOffsetNs: bigint;
  procRoot?: string;
}

/** The outcome of one exit record: an event, or an exclusion of bulwark's own process tree. */
export type BuildResult = { kind: 'event'; event: RuntimeEvent; partial: boolean } | { kind: 'excluded' };

/**
 * Turns bpftrace records into `syscall` events. String records are held per thread until the
 * exit record of the same call arrives. Forks and exec exits update the process table; other
 * calls are enriched from it, and from /proc for processes first seen running.
 */
export class LiveEventBuilder {
  private readonly strings = new Map<number, { syscallId: number; values: Map<string, string> }>();
  /** Container id by cgroup id, learned from exec events whose cgroup directory was printed. */
  private readonly cgroupContainers = new Map<string, string | null>();
  private readonly lineages = new LineageCache();
  private eventNumber = 0;

  constructor(private readonly options: LiveEventBuilderOptions) {}

  addString(record: StringRecord): void {
    const pending = this.strings.get(record.tid);
    if (pending === undefined || pending.syscallId !== record.syscallId) this.strings.set(record.tid, { syscallId: record.syscallId, values: new Map([[record.key, record.value]]) });
    else pending.values.set(record.key, record.value);
  }

  processForked(record: ForkRecord): void {
    this.options.processes.recordFork(record.pid, record.childPid, record.childPpid);
  }

  processExited(pid: number): void {
    this.options.processes.delete(pid);
  }

  build(record: ExitRecord): BuildResult {
    const pending = this.strings.get(record.tid);
    this.strings.delete(record.tid);
    const strings = pending !== undefined && pending.syscallId === record.syscallId ? pending.values : new Map<string, string>();
    const isExec = record.syscall.kind === 'exec';
    const { processes } = this.options;

    let info: ProcessInfo;
    let partial = false;
    if (isExec && record.result === 0) {
      info = this.execProcess(record, strings);
      processes.set(info);
    } else {
      const known = processes.get(record.pid);
      if (known === undefined) {
        partial = true;
        info = { pid: record.pid, ppid: record.ppid, name: record.comm, argv: [], uid: record.uid, gid: record.gid, loginuid: record.loginuid, partial: true };
      } else if (known.ppid !== record.ppid) {
        // The parent exited and the process was reparented (to a subreaper such as conmon, or init).
        info = { ...known, ppid: record.ppid };
        processes.set(info);
      } else info = known;
    }
    const ancestors = processes.ancestors(info, ANCESTOR_DEPTH);
    const lineage = this.lineages.lineage(info, ancestors);
    if (info.pid === this.options.excludedPid || lineage.pids.includes(this.options.excludedPid)) return { kind: 'excluded' };

    const containerId = this.containerOf(record, info, ancestors);
    const fields: Record<string, FieldValue> = {
      'evt.num': ++this.eventNumber,
      'evt.type': record.syscall.name,
      'evt.dir': '<',
      'evt.rawres': record.result,
      'evt.res': formatResult(record.result),
      'evt.failed': record.result < 0,
      'evt.rawtime': (record.monotonicNs + this.options.clockOffsetNs).toString(),
      'proc.pid': record.pid,
      'proc.ppid': record.ppid,
      'thread.tid': record.tid,
      'thread.ismain': record.tid === record.pid,
      'proc.name': isExec && record.result === 0 ? info.name : record.comm,
      'user.uid': record.uid,
      'group.gid': record.gid,
      'user.loginuid': record.loginuid === UNSET_LOGINUID ? -1 : record.loginuid,
      'container.id': shortContainerId(containerId ?? undefined),
    };
    this.addProcessFields(fields, info, lineage);
    this.addNames(fields, record, info, ancestors, containerId);
    if (containerId !== null && containerId !== undefined) this.addContainerFields(fields, containerId);
    const context = {
      cwd: () => info.cwd,
      fdPath: (fd: number) => readFdPath(record.pid, fd, this.options.procRoot),
    };
    addCallFields(fields, record, strings, context);
    if ((record.syscall.name === 'chdir' || record.syscall.name === 'fchdir') && record.result === 0) this.changeDirectory(info, fields);
    if (isExec) {
      fields['evt.arg.exe'] = info.argv[0] ?? info.name;
      fields['evt.arg.args'] = this.lineages.commandLine(info).args;
    }
    return { kind: 'event', event: { source: 'syscall', fields }, partial: partial || info.partial };
  }

  /**
   * Records the new working directory of a successful chdir (the resolved path) or fchdir (the
   * descriptor's path), so that later events and forked children use it.
   */
  private changeDirectory(info: ProcessInfo, fields: Record<string, FieldValue>): void {
    const directory = fields['fs.path.name'] ?? fields['fd.name'];
    if (typeof directory !== 'string' || !directory.startsWith('/')) return;
    this.options.processes.set({ ...info, cwd: directory.length > 1 ? directory.replace(/\/+$/, '') : directory });
  }

  private execProcess(record: ExitRecord, strings: ReadonlyMap<string, string>): ProcessInfo {
    const exec = record.exec ?? { ttyMajor: 0, ttyMinor: 0, argsLength: 0 };
    let buffer = '';
    for (let chunk = 0; chunk < EXEC_ARGS_CHUNKS; chunk++) buffer += decodeBuffer(strings.get(`args${chunk}`) ?? '');
    // Only argsLength bytes are arguments; the last chunk may be cut at the 1,000-byte limit.
    const argsBytes = buffer.slice(0, exec.argsLength);
    let argv = argsBytes.replace(/\0$/, '').split('\0');
    // A failed read of the new stack leaves zeros; /proc/PID/cmdline has the same bytes while the process runs.
    if (exec.argsLength > 0 && !/[^\0]/.test(argsBytes)) argv = readProcSnapshot(record.pid, this.options.procRoot)?.argv ?? [];

    const previous = this.options.processes.get(record.pid);
    // The process may have changed directory since its fork, so /proc is read first. A child that
    // exited before that still has the working directory it inherited at fork.
    const cwd = readProcCwd(record.pid, this.options.procRoot) ?? previous?.cwd ?? this.options.processes.get(record.ppid)?.cwd;

    const filename = strings.get('filename');
    const exeName = strings.get('exe') ?? '';
    const info: ProcessInfo = {
      pid: record.pid,
      ppid: record.ppid,
      name: record.comm,
      argv: exec.argsLength > 0 ? argv : [],
      tty: exec.ttyMajor === 0 && exec.ttyMinor === 0 ? 0 : encodeDevice(exec.ttyMajor, exec.ttyMinor),
      uid: record.uid,
      gid: record.gid,
      loginuid: record.loginuid,
      exeFromMemfd: exeName.startsWith('memfd:'),
      partial: false,
    };
    if (cwd !== undefined) info.cwd = cwd;
    if (filename !== undefined) info.exepath = info.exeFromMemfd ? `/${exeName}` : filename.startsWith('/') || cwd === undefined ? filename : posix.join(cwd, filename);

    const cgroup = strings.get('cgroup');
    if (cgroup !== undefined) {
      const id = containerIdFromCgroup(cgroup) ?? null;
      this.cgroupContainers.set(record.cgroupId, id);
      info.containerId = id;
    } else if (previous?.containerId !== undefined) info.containerId = previous.containerId;
    return info;
  }

  private containerOf(record: ExitRecord, info: ProcessInfo, ancestors: readonly ProcessInfo[]): string | null | undefined {
    const byCgroup = this.cgroupContainers.get(record.cgroupId);
    if (byCgroup !== undefined) return byCgroup;
    if (info.containerId !== undefined) {
      this.cgroupContainers.set(record.cgroupId, info.containerId);
      return info.containerId;
    }
    // NOTE: a process that exited before /proc was read inherits its parent's container. That is
    // wrong only for the first process of a container whose exec event was lost.
    return ancestors[0]?.containerId;
  }

  private addProcessFields(fields: Record<string, FieldValue>, info: ProcessInfo, lineage: Lineage): void {
    if (info.argv.length > 0) {
      const { args, cmdline } = this.lineages.commandLine(info);
      fields['proc.exe'] = info.argv[0] as string;
      fields['proc.args'] = args;
      fields['proc.cmdline'] = cmdline;
    } else if (!info.partial) fields['proc.cmdline'] = info.name;
    if (info.exepath !== undefined) fields['proc.exepath'] = info.exepath;
    // Falco writes the working directory with a trailing slash.
    if (info.cwd !== undefined) fields['proc.cwd'] = info.cwd.endsWith('/') ? info.cwd : `${info.cwd}/`;
    if (info.tty !== undefined) fields['proc.tty'] = info.tty;
    if (info.exeFromMemfd !== undefined) fields['proc.is_exe_from_memfd'] = info.exeFromMemfd;
    const parent = lineage.chain[0];
    if (parent !== undefined) {
      fields['proc.pname'] = parent.name;
      fields['proc.pcmdline'] = lineage.cmdlines[0] as string;
      if (parent.argv[0] !== undefined) fields['proc.pexe'] = parent.argv[0];
      if (parent.exepath !== undefined) fields['proc.pexepath'] = parent.exepath;
    }
    fields['proc.aname'] = lineage.names;
    fields['proc.apid'] = lineage.pids;
    fields['proc.aexepath'] = lineage.exepaths;
    fields['proc.acmdline'] = lineage.cmdlines;
  }

  private addNames(fields: Record<string, FieldValue>, record: ExitRecord, info: ProcessInfo, ancestors: readonly ProcessInfo[], containerId: string | null | undefined): void {
    const key = containerId === null || containerId === undefined ? HOST_CONTAINER_ID : containerId;
    // The process may have exited; its ancestors in the same container show the same files.
    const pids = containerId === null || containerId === undefined ? [process.pid] : [info.pid, ...ancestors.filter((ancestor) => ancestor.containerId === containerId).map((ancestor) => ancestor.pid)];
    const { user, group } = this.options.users.lookup(key, pids, record.uid, record.gid);
    if (user !== undefined) fields['user.name'] = user;
    if (group !== undefined) fields['group.name'] = group;
    if (record.loginuid !== UNSET_LOGINUID) {
      const login = this.options.users.lookup(key, pids, record.loginuid, undefined).user;
      if (login !== undefined) fields['user.loginname'] = login;
    }
  }

  private addContainerFields(fields: Record<string, FieldValue>, fullId: string): void {
    fields['container.full_id'] = fullId;
    const metadata = this.options.containers.get(fullId);
    if (metadata === undefined) return;
    if (metadata.name !== undefined) fields['container.name'] = metadata.name;
    if (metadata.image !== undefined) fields['container.image'] = metadata.image;
    if (metadata.repository !== undefined) fields['container.image.repository'] = metadata.repository;
    if (metadata.tag !== undefined) fields['container.image.tag'] = metadata.tag;
  }
}
