import { posix } from 'node:path';

import type { FieldValue } from '../fields/field-types.js';
import type { ExitRecord } from './bpftrace-output.js';
import { EXEC_ARGS_CHUNKS } from './bpftrace-script.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  formatAddressFamily,
  formatOpenFlags,
  formatPtraceRequest,
  formatSocketType,
  O_CREAT,
  O_DIRECTORY,
  openAccessMode,
} from './linux-constants.js';

/** AT_FDCWD: a dirfd that means "relative to the working directory". */
const AT_FDCWD = -100;

/** Lookups into the calling process: its working directory and its open descriptors. */
export interface CallContext {
  cwd(): string | undefined;
  fdPath(fd: number): string | undefined;
}

/** Reads a 32-bit signed argument (an fd or dirfd) that bpftrace printed as unsigned. */
function int32(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value | 0;
}

/** Strings that the probes print for the process table or the address fields, not as call arguments. */
const INTERNAL_STRINGS = new Set(['cgroup', 'exe', 'unix_path', ...Array.from({ length: EXEC_ARGS_CHUNKS }, (_, chunk) => `args${chunk}`)]);

/** `evt.arg.NAME` by argument name, built once: a key made anew for every event costs a string-table lookup per write. */
const argumentFields = new Map<string, string>();

function argumentField(name: string): string {
  let field = argumentFields.get(name);
  if (field === undefined) {
    field = `evt.arg.${name}`;
    argumentFields.set(name, field);
  }
  return field;
}

/** Defines a field whose value `read` computes on first access. A result of `undefined` means the field has no value. */
function defineLazyField(fields: Record<string, FieldValue>, name: string, read: () => FieldValue | undefined): void {
  let value: FieldValue | undefined;
  let done = false;
  Object.defineProperty(fields, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        value = read();
        done = true;
      }
      return value;
    },
  });
}

/** Resolves a path argument against its dirfd or the working directory, as the kernel does. */
export function resolvePath(path: string, dirfd: number | undefined, context: CallContext): string {
  if (path.startsWith('/')) return posix.normalize(path);
  const base = dirfd === undefined || dirfd === AT_FDCWD ? context.cwd() : context.fdPath(dirfd);
  return base === undefined ? path : posix.join(base, path);
}

function setFileFields(fields: Record<string, FieldValue>, name: string): void {
  fields['fd.name'] = name;
  fields['fd.directory'] = posix.dirname(name);
  fields['fd.filename'] = posix.basename(name);
}

function ipv4(value: number): string {
  // s_addr is in network byte order, so on little-endian machines the first octet is the low byte.
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff].join('.');
}

function ipv6(words: readonly number[]): string {
  const groups: string[] = [];
  for (const word of words) {
    const bytes = [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, (word >>> 24) & 0xff];
    groups.push(((bytes[0] as number) * 256 + (bytes[1] as number)).toString(16), ((bytes[2] as number) * 256 + (bytes[3] as number)).toString(16));
  }
  // NOTE: written uncompressed (0:0:0:0:0:0:0:1), so conditions must spell IPv6 addresses in full.
  return groups.join(':');
}

function networkPort(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

function addressFields(fields: Record<string, FieldValue>, record: ExitRecord, strings: ReadonlyMap<string, string>): void {
  const family = record.numbers.family ?? 0;
  if (family === AF_UNIX) {
    const path = strings.get('unix_path') ?? '';
    fields['fd.typechar'] = 'u';
    fields['fd.type'] = 'unix';
    fields['fd.sockfamily'] = 'unix';
    fields['fd.name'] = path;
    return;
  }
  if (family !== AF_INET && family !== AF_INET6) return;
  const ip = family === AF_INET ? ipv4(record.numbers.addr4 ?? 0) : ipv6([0, 1, 2, 3].map((index) => record.numbers[`addr6_${index}`] ?? 0));
  const port = networkPort(record.numbers.port ?? 0);
  fields['fd.typechar'] = family === AF_INET ? '4' : '6';
  fields['fd.type'] = family === AF_INET ? 'ipv4' : 'ipv6';
  fields['fd.sockfamily'] = 'ip';
  const local = record.syscall.name === 'bind';
  // connect and sendto name the server; bind names the local end, which is the server side.
  fields['fd.sip'] = ip;
  fields['fd.sport'] = port;
  fields[local ? 'fd.lip' : 'fd.rip'] = ip;
  fields[local ? 'fd.lport' : 'fd.rport'] = port;
  fields['fd.ip'] = [ip];
  fields['fd.net'] = [ip];
  fields['fd.name'] = local ? `${ip}:${port}` : `->${ip}:${port}`;
  fields['evt.arg.addr'] = `${ip}:${port}`;
}

/**
 * Adds the `evt.arg.*`, `fd.*`, `fs.path.*` and `evt.is_open_*` fields of one call, built from its
 * captured arguments with the names and formats of Falco's exit events, to `fields`.
 */
export function addCallFields(fields: Record<string, FieldValue>, record: ExitRecord, strings: ReadonlyMap<string, string>, context: CallContext): void {
  const { numbers, result } = record;
  for (const name in numbers) fields[argumentField(name)] = numbers[name] as number;
  for (const [name, value] of strings) if (!INTERNAL_STRINGS.has(name)) fields[argumentField(name)] = value;
  switch (record.syscall.kind) {
    case 'open': {
      const flags = numbers.flags ?? 0;
      const raw = strings.get('name') ?? '';
      const mode = openAccessMode(flags);
      fields['evt.arg.flags'] = formatOpenFlags(flags);
      fields['evt.is_open_read'] = mode === 0 || mode === 2;
      fields['evt.is_open_write'] = mode === 1 || mode === 2;
      fields['evt.is_open_create'] = (flags & O_CREAT) !== 0;
      fields['fd.num'] = result >= 0 ? result : -1;
      const directory = (flags & O_DIRECTORY) !== 0;
      fields['fd.typechar'] = directory ? 'd' : 'f';
      fields['fd.type'] = directory ? 'directory' : 'file';
      fields['fd.nameraw'] = raw;
      setFileFields(fields, resolvePath(raw, int32(numbers.dirfd), context));
      if (numbers.dirfd !== undefined) fields['evt.arg.dirfd'] = int32(numbers.dirfd) as number;
      break;
    }
    case 'address':
      fields['fd.num'] = int32(numbers.fd) as number;
      fields['evt.arg.fd'] = int32(numbers.fd) as number;
      addressFields(fields, record, strings);
      break;
    case 'socket':
      fields['evt.arg.domain'] = formatAddressFamily(numbers.domain ?? 0);
      fields['evt.arg.type'] = formatSocketType(numbers.type ?? 0);
      fields['evt.args'] = `domain=${fields['evt.arg.domain']} type=${fields['evt.arg.type']} proto=${numbers.proto ?? 0}`;
      fields['fd.num'] = result;
      break;
    case 'fd':
    case 'dup': {
      const fd = int32(numbers.fd ?? numbers.oldfd);
      if (fd !== undefined) {
        const target = record.syscall.kind === 'dup' && result >= 0 ? result : fd;
        // Read on first use: shells dup descriptors around every command, and few rules read fd.name
        // of these calls. NOTE: the link is read when a rule or output first needs it, a little
        // later than for other fields, so a descriptor closed in between has no name.
        defineLazyField(fields, 'fd.name', () => context.fdPath(target));
      }
      fields['fd.num'] = record.syscall.kind === 'dup' ? result : (fd as number);
      break;
    }
    case 'ptrace':
      fields['evt.arg.request'] = formatPtraceRequest(numbers.request ?? -1);
      break;
    case 'memfd': {
      const name = `memfd:${strings.get('name') ?? ''}`;
      fields['fd.num'] = result;
      fields['fd.name'] = name;
      fields['fd.typechar'] = 'f';
      fields['fd.type'] = 'memfd';
      break;
    }
    case 'path': {
      const raw = strings.get('name') ?? strings.get('path') ?? strings.get('filename') ?? '';
      const resolved = resolvePath(raw, int32(numbers.dirfd), context);
      fields['fs.path.name'] = resolved;
      fields['fs.path.nameraw'] = raw;
      break;
    }
    case 'link': {
      const source = strings.get('oldpath') ?? strings.get('target') ?? '';
      const target = strings.get('newpath') ?? strings.get('linkpath') ?? '';
      fields['fs.path.sourceraw'] = source;
      fields['fs.path.targetraw'] = target;
      fields['fs.path.source'] = resolvePath(source, int32(numbers.olddirfd ?? numbers.olddir), context);
      fields['fs.path.target'] = resolvePath(target, int32(numbers.newdirfd ?? numbers.newdir ?? numbers.linkdirfd), context);
      break;
    }
    case 'exec':
    case 'mount':
    case 'module':
    case 'id':
      break;
  }
}
