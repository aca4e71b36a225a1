/**
 * Linux constants that turn raw syscall numbers into the names Falco prints: errno names for
 * `evt.res`, open(2) flags, ptrace(2) requests and socket address families. Values are those of
 * the generic and x86-64 kernel headers (include/uapi/asm-generic/errno*.h, fcntl.h, ptrace.h,
 * linux/socket.h); arm64 uses the same numbers.
 */

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG', 8: 'ENOEXEC', 9: 'EBADF',
  10: 'ECHILD', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 15: 'ENOTBLK', 16: 'EBUSY', 17: 'EEXIST',
  18: 'EXDEV', 19: 'ENODEV', 20: 'ENOTDIR', 21: 'EISDIR', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 25: 'ENOTTY',
  26: 'ETXTBSY', 27: 'EFBIG', 28: 'ENOSPC', 29: 'ESPIPE', 30: 'EROFS', 31: 'EMLINK', 32: 'EPIPE', 33: 'EDOM',
  34: 'ERANGE', 35: 'EDEADLK', 36: 'ENAMETOOLONG', 37: 'ENOLCK', 38: 'ENOSYS', 39: 'ENOTEMPTY', 40: 'ELOOP',
  61: 'ENODATA', 75: 'EOVERFLOW', 88: 'ENOTSOCK', 89: 'EDESTADDRREQ', 90: 'EMSGSIZE', 91: 'EPROTOTYPE',
  92: 'ENOPROTOOPT', 93: 'EPROTONOSUPPORT', 95: 'EOPNOTSUPP', 97: 'EAFNOSUPPORT', 98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL', 100: 'ENETDOWN', 101: 'ENETUNREACH', 103: 'ECONNABORTED', 104: 'ECONNRESET', 105: 'ENOBUFS',
  106: 'EISCONN', 107: 'ENOTCONN', 110: 'ETIMEDOUT', 111: 'ECONNREFUSED', 113: 'EHOSTUNREACH', 114: 'EALREADY',
  115: 'EINPROGRESS', 122: 'EDQUOT',
};

/** Formats a syscall result as Falco's `evt.res`: `SUCCESS`, or the errno name of a negative result. */
export function formatResult(result: number): string {
  if (result >= 0) return 'SUCCESS';
  return ERRNO_NAMES[-result] ?? `E${-result}`;
}

const OPEN_ACCESS_MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'] as const;

const OPEN_FLAG_BITS: readonly (readonly [number, string])[] = [
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'],
  [0o40000, 'O_DIRECT'],
  [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
  [0o20000000, 'O_TMPFILE'],
];

export const O_CREAT = 0o100;
export const O_DIRECTORY = 0o200000;
export const O_TMPFILE = 0o20000000;

/** Returns the access mode of open flags: 0 read, 1 write, 2 read-write. */
export function openAccessMode(flags: number): number {
  return flags & 3;
}

/** Formats open(2) flags as `O_WRONLY|O_CREAT|O_TRUNC`, access mode first and then bits in value order. */
export function formatOpenFlags(flags: number): string {
  const names: string[] = [OPEN_ACCESS_MODES[openAccessMode(flags)] ?? 'O_ACCMODE'];
  for (const [bit, name] of OPEN_FLAG_BITS) if ((flags & bit) === bit && !(name === 'O_DIRECTORY' && (flags & O_TMPFILE) === O_TMPFILE)) names.push(name);
  return names.join('|');
}

const PTRACE_REQUESTS: Readonly<Record<number, string>> = {
  0: 'PTRACE_TRACEME', 1: 'PTRACE_PEEKTEXT', 2: 'PTRACE_PEEKDATA', 3: 'PTRACE_PEEKUSR', 4: 'PTRACE_POKETEXT',
  5: 'PTRACE_POKEDATA', 6: 'PTRACE_POKEUSR', 7: 'PTRACE_CONT', 8: 'PTRACE_KILL', 9: 'PTRACE_SINGLESTEP',
  12: 'PTRACE_GETREGS', 13: 'PTRACE_SETREGS', 14: 'PTRACE_GETFPREGS', 15: 'PTRACE_SETFPREGS', 16: 'PTRACE_ATTACH',
  17: 'PTRACE_DETACH', 24: 'PTRACE_SYSCALL', 0x4200: 'PTRACE_SETOPTIONS', 0x4201: 'PTRACE_GETEVENTMSG',
  0x4202: 'PTRACE_GETSIGINFO', 0x4203: 'PTRACE_SETSIGINFO', 0x4204: 'PTRACE_GETREGSET', 0x4205: 'PTRACE_SETREGSET',
  0x4206: 'PTRACE_SEIZE', 0x4207: 'PTRACE_INTERRUPT', 0x4208: 'PTRACE_LISTEN',
};

/** Names a ptrace(2) request as Falco's `evt.arg.request` does; unknown values stay numbers. */
export function formatPtraceRequest(request: number): string {
  return PTRACE_REQUESTS[request] ?? String(request);
}

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

const ADDRESS_FAMILIES: Readonly<Record<number, string>> = {
  0: 'AF_UNSPEC', 1: 'AF_UNIX', 2: 'AF_INET', 10: 'AF_INET6', 16: 'AF_NETLINK', 17: 'AF_PACKET', 40: 'AF_VSOCK',
};

/** Names a socket address family (`AF_PACKET`); unknown values stay numbers. */
export function formatAddressFamily(family: number): string {
  return ADDRESS_FAMILIES[family] ?? String(family);
}

const SOCKET_TYPES: Readonly<Record<number, string>> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 5: 'SOCK_SEQPACKET' };

/** Names a socket type without its SOCK_NONBLOCK and SOCK_CLOEXEC bits. */
export function formatSocketType(type: number): string {
  return SOCKET_TYPES[type & 0xf] ?? String(type);
}

/** Encodes a device number as the kernel's new_encode_dev, the `tty_nr` of /proc/PID/stat and Falco's `proc.tty`. */
export function encodeDevice(major: number, minor: number): number {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}
