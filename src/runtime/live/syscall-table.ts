/**
 * The capture plan of each traced system call: the `evt.type` it becomes, the tracepoint that
 * carries it, and the tracepoint arguments copied at entry. Numbers are copied as 64-bit integers
 * and strings as user-space pointers that the exit probe reads with `str()`. Argument names are
 * the `evt.arg.*` names that Falco gives the same call.
 */

/** The argument family of a call, which selects how the event builder reads its arguments. */
export type SyscallKind =
  | 'exec'
  | 'open'
  | 'socket'
  | 'address'
  | 'fd'
  | 'dup'
  | 'path'
  | 'link'
  | 'ptrace'
  | 'memfd'
  | 'mount'
  | 'module'
  | 'id';

/** One argument copied at entry: the `evt.arg.NAME` it becomes and a bpftrace expression over `args`. */
export type CapturedArg = readonly [field: string, expression: string];

export interface SyscallSpec {
  /** The Falco event type, `evt.type`. */
  readonly name: string;
  /** The name in `tracepoint:syscalls:sys_enter_NAME` when it differs from `name`. */
  readonly tracepoint?: string;
  readonly kind: SyscallKind;
  readonly numbers: readonly CapturedArg[];
  readonly strings: readonly CapturedArg[];
}

/** Builds the captured arguments of a user-space socket address (`connect`, `bind`, `sendto`), read as struct fields at entry. */
function addressArgs(fd: string, pointer: string): { numbers: CapturedArg[]; strings: CapturedArg[] } {
  const in6 = `((struct sockaddr_in6 *)${pointer})->sin6_addr.in6_u.u6_addr32`;
  return {
    numbers: [
      ['fd', fd],
      ['family', `${pointer} != 0 ? ((struct sockaddr_in *)${pointer})->sin_family : 0`],
      ['port', `${pointer} != 0 ? ((struct sockaddr_in *)${pointer})->sin_port : 0`],
      ['addr4', `${pointer} != 0 ? ((struct sockaddr_in *)${pointer})->sin_addr.s_addr : 0`],
      ['addr6_0', `${pointer} != 0 ? ${in6}[0] : 0`],
      ['addr6_1', `${pointer} != 0 ? ${in6}[1] : 0`],
      ['addr6_2', `${pointer} != 0 ? ${in6}[2] : 0`],
      ['addr6_3', `${pointer} != 0 ? ${in6}[3] : 0`],
    ],
    // A Unix socket path starts after the 2-byte family.
    strings: [['unix_path', `${pointer} != 0 ? (uint64)${pointer} + 2 : 0`]],
  };
}

/** Every system call the live source can trace, in the order probes are generated. */
export const SYSCALL_TABLE: readonly SyscallSpec[] = [
  { name: 'execve', kind: 'exec', numbers: [], strings: [['filename', 'args->filename']] },
  { name: 'execveat', kind: 'exec', numbers: [['dirfd', 'args->fd'], ['flags', 'args->flags']], strings: [['filename', 'args->filename']] },
  { name: 'open', kind: 'open', numbers: [['flags', 'args->flags'], ['mode', 'args->mode']], strings: [['name', 'args->filename']] },
  {
    name: 'openat',
    kind: 'open',
    numbers: [['dirfd', 'args->dfd'], ['flags', 'args->flags'], ['mode', 'args->mode']],
    strings: [['name', 'args->filename']],
  },
  {
    name: 'openat2',
    kind: 'open',
    numbers: [['dirfd', 'args->dfd'], ['flags', '((struct open_how *)args->how)->flags'], ['mode', '((struct open_how *)args->how)->mode']],
    strings: [['name', 'args->filename']],
  },
  // creat(path, mode) is open(path, O_CREAT|O_WRONLY|O_TRUNC, mode): 0x241 on Linux.
  { name: 'creat', kind: 'open', numbers: [['flags', '0x241'], ['mode', 'args->mode']], strings: [['name', 'args->pathname']] },
  { name: 'connect', kind: 'address', ...addressArgs('args->fd', 'args->uservaddr') },
  { name: 'bind', kind: 'address', ...addressArgs('args->fd', 'args->umyaddr') },
  // accept fills the peer address during the call, so its entry copy would be empty: only the fds are kept.
  { name: 'accept', kind: 'fd', numbers: [['fd', 'args->fd']], strings: [] },
  { name: 'accept4', kind: 'fd', numbers: [['fd', 'args->fd'], ['flags', 'args->flags']], strings: [] },
  { name: 'listen', kind: 'fd', numbers: [['fd', 'args->fd'], ['backlog', 'args->backlog']], strings: [] },
  { name: 'socket', kind: 'socket', numbers: [['domain', 'args->family'], ['type', 'args->type'], ['proto', 'args->protocol']], strings: [] },
  { name: 'sendto', kind: 'address', ...addressArgs('args->fd', 'args->addr') },
  { name: 'sendmsg', kind: 'fd', numbers: [['fd', 'args->fd'], ['flags', 'args->flags']], strings: [] },
  { name: 'setuid', kind: 'id', numbers: [['uid', 'args->uid']], strings: [] },
  { name: 'setgid', kind: 'id', numbers: [['gid', 'args->gid']], strings: [] },
  { name: 'setreuid', kind: 'id', numbers: [['ruid', 'args->ruid'], ['euid', 'args->euid']], strings: [] },
  { name: 'setregid', kind: 'id', numbers: [['rgid', 'args->rgid'], ['egid', 'args->egid']], strings: [] },
  { name: 'setresuid', kind: 'id', numbers: [['ruid', 'args->ruid'], ['euid', 'args->euid'], ['suid', 'args->suid']], strings: [] },
  { name: 'setresgid', kind: 'id', numbers: [['rgid', 'args->rgid'], ['egid', 'args->egid'], ['sgid', 'args->sgid']], strings: [] },
  { name: 'ptrace', kind: 'ptrace', numbers: [['request', 'args->request'], ['pid', 'args->pid']], strings: [] },
  { name: 'unlink', kind: 'path', numbers: [], strings: [['path', 'args->pathname']] },
  { name: 'unlinkat', kind: 'path', numbers: [['dirfd', 'args->dfd'], ['flags', 'args->flag']], strings: [['name', 'args->pathname']] },
  { name: 'rename', kind: 'link', numbers: [], strings: [['oldpath', 'args->oldname'], ['newpath', 'args->newname']] },
  {
    name: 'renameat',
    kind: 'link',
    numbers: [['olddirfd', 'args->olddfd'], ['newdirfd', 'args->newdfd']],
    strings: [['oldpath', 'args->oldname'], ['newpath', 'args->newname']],
  },
  {
    name: 'renameat2',
    kind: 'link',
    numbers: [['olddirfd', 'args->olddfd'], ['newdirfd', 'args->newdfd'], ['flags', 'args->flags']],
    strings: [['oldpath', 'args->oldname'], ['newpath', 'args->newname']],
  },
  { name: 'symlink', kind: 'link', numbers: [], strings: [['target', 'args->oldname'], ['linkpath', 'args->newname']] },
  { name: 'symlinkat', kind: 'link', numbers: [['linkdirfd', 'args->newdfd']], strings: [['target', 'args->oldname'], ['linkpath', 'args->newname']] },
  { name: 'link', kind: 'link', numbers: [], strings: [['oldpath', 'args->oldname'], ['newpath', 'args->newname']] },
  {
    name: 'linkat',
    kind: 'link',
    numbers: [['olddir', 'args->olddfd'], ['newdir', 'args->newdfd'], ['flags', 'args->flags']],
    strings: [['oldpath', 'args->oldname'], ['newpath', 'args->newname']],
  },
  {
    name: 'mount',
    kind: 'mount',
    numbers: [['flags', 'args->flags']],
    strings: [['dev', 'args->dev_name'], ['dir', 'args->dir_name'], ['type', 'args->type']],
  },
  // x86-64 names the umount2 tracepoint sys_enter_umount.
  { name: 'umount2', tracepoint: 'umount', kind: 'path', numbers: [['flags', 'args->flags']], strings: [['name', 'args->name']] },
  { name: 'chmod', kind: 'path', numbers: [['mode', 'args->mode']], strings: [['filename', 'args->filename']] },
  { name: 'fchmod', kind: 'fd', numbers: [['fd', 'args->fd'], ['mode', 'args->mode']], strings: [] },
  { name: 'fchmodat', kind: 'path', numbers: [['dirfd', 'args->dfd'], ['mode', 'args->mode']], strings: [['filename', 'args->filename']] },
  { name: 'chdir', kind: 'path', numbers: [], strings: [['path', 'args->filename']] },
  { name: 'fchdir', kind: 'fd', numbers: [['fd', 'args->fd']], strings: [] },
  { name: 'memfd_create', kind: 'memfd', numbers: [['flags', 'args->flags']], strings: [['name', 'args->uname']] },
  { name: 'dup', kind: 'dup', numbers: [['fd', 'args->fildes']], strings: [] },
  { name: 'dup2', kind: 'dup', numbers: [['oldfd', 'args->oldfd'], ['newfd', 'args->newfd']], strings: [] },
  { name: 'dup3', kind: 'dup', numbers: [['oldfd', 'args->oldfd'], ['newfd', 'args->newfd'], ['flags', 'args->flags']], strings: [] },
  { name: 'init_module', kind: 'module', numbers: [['len', 'args->len']], strings: [['uargs', 'args->uargs']] },
  { name: 'finit_module', kind: 'module', numbers: [['fd', 'args->fd'], ['flags', 'args->flags']], strings: [['uargs', 'args->uargs']] },
];

/**
 * The event types traced even when no rule names them: execs keep the process table current, and
 * chdir and fchdir keep the working directory that `proc.cwd` and relative paths use.
 */
export const ALWAYS_TRACED = ['execve', 'execveat', 'chdir', 'fchdir'] as const;

/** Finds the spec of an event type, or `undefined` when the live source cannot trace it. */
export function findSyscall(name: string): SyscallSpec | undefined {
  return SYSCALL_TABLE.find((spec) => spec.name === name);
}

/** Returns the tracepoint name of a spec (`sys_enter_<this>`). */
export function tracepointName(spec: SyscallSpec): string {
  return spec.tracepoint ?? spec.name;
}
