import { FIELD_SEPARATOR, type ScriptPlan } from './bpftrace-script.js';
import type { SyscallSpec } from './syscall-table.js';

/** One string argument of a call, printed before the call's exit line. */
export interface StringRecord {
  kind: 'string';
  tid: number;
  syscallId: number;
  key: string;
  value: string;
}

/** The exit of one traced call, with the ids of the calling thread. */
export interface ExitRecord {
  kind: 'exit';
  syscall: SyscallSpec;
  syscallId: number;
  tid: number;
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  /** The audit login uid; 4294967295 when unset. */
  loginuid: number;
  /** The cgroup v2 id, as a decimal string because it can pass 2^53. */
  cgroupId: string;
  /** CLOCK_MONOTONIC nanoseconds, bpftrace's `nsecs`. */
  monotonicNs: bigint;
  result: number;
  /** Captured numeric arguments by `evt.arg` name. */
  numbers: Record<string, number>;
  /** Exec exits only: the controlling terminal and the length of argv in bytes. */
  exec?: { ttyMajor: number; ttyMinor: number; argsLength: number };
  comm: string;
}

/** A new process (not a thread), printed by the process that forked it. */
export interface ForkRecord {
  kind: 'fork';
  /** The process that called fork, clone or vfork. */
  pid: number;
  childPid: number;
  /** The child's parent: the caller, or the caller's parent with CLONE_PARENT. */
  childPpid: number;
}

export type BpftraceRecord =
  | StringRecord
  | ExitRecord
  | ForkRecord
  | { kind: 'process-exit'; pid: number }
  | { kind: 'attached'; probes: number }
  | { kind: 'lost'; count: number }
  | { kind: 'ignored' }
  | { kind: 'malformed'; message: string };

/** Values after the kind and call id: tid, pid, ppid, uid, gid, loginuid, cgroup id, time, result. */
const EXIT_HEADER_FIELDS = 9;
const FIRST_HEADER_FIELD = 2;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads a decimal integer: digits with an optional minus sign. */
function integer(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0) return undefined;
  // A loop over char codes instead of a regular expression, because every exit line has a dozen numbers.
  for (let index = text.charCodeAt(0) === 45 && text.length > 1 ? 1 : 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Decodes bpftrace's `%r` rendering of a byte buffer, where bytes outside printable ASCII appear
 * as `\xNN`. NOTE: a literal backslash followed by `xNN` in an argument is decoded too, because
 * bpftrace 0.17 does not escape backslashes in `%r` output.
 */
export function decodeBuffer(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function parsePrintf(parts: readonly string[], plan: ScriptPlan): BpftraceRecord {
  const kind = parts[0];
  if (kind === 'P') {
    const pid = integer(parts[1]);
    return pid === undefined ? { kind: 'malformed', message: 'process exit line without a pid' } : { kind: 'process-exit', pid };
  }
  if (kind === 'F') {
    const [pid, childPid, childPpid] = parts.slice(1).map(integer);
    if (pid === undefined || childPid === undefined || childPpid === undefined || parts.length !== 4) return { kind: 'malformed', message: 'fork line without three pids' };
    return { kind: 'fork', pid, childPid, childPpid };
  }

  if (kind === 'S') {
    const tid = integer(parts[1]);
    const syscallId = integer(parts[2]);
    const key = parts[3];
    if (tid === undefined || syscallId === undefined || key === undefined || parts.length < 5) return { kind: 'malformed', message: 'string line with missing fields' };
    // The value is last, so a separator inside it stays part of the value.
    return { kind: 'string', tid, syscallId, key, value: parts.slice(4).join(FIELD_SEPARATOR) };
  }
  if (kind !== 'X') return { kind: 'malformed', message: `unknown line kind ${JSON.stringify(kind)}` };

  const syscallId = integer(parts[1]);
  const syscall = syscallId === undefined ? undefined : plan.syscalls[syscallId - 1];
  if (syscall === undefined || syscallId === undefined) return { kind: 'malformed', message: `exit line with unknown call id ${JSON.stringify(parts[1])}` };
  const isExec = syscall.kind === 'exec';
  const numberCount = syscall.numbers.length + (isExec ? 3 : 0);
  const expected = FIRST_HEADER_FIELD + EXIT_HEADER_FIELDS + numberCount + 1;
  if (parts.length < expected) return { kind: 'malformed', message: `exit line of ${syscall.name} has ${parts.length} fields, expected ${expected}` };

  const firstNumber = FIRST_HEADER_FIELD + EXIT_HEADER_FIELDS;
  const header = parts.slice(FIRST_HEADER_FIELD, firstNumber);
  const values = header.map(integer);
  const [tid, pid, ppid, uid, gid, loginuid] = values;
  const cgroupId = header[6] as string;
  const monotonic = header[7] as string;
  const result = values[8];
  if (values.some((value, index) => value === undefined && index !== 6 && index !== 7) || !/^\d+$/.test(cgroupId) || !/^\d+$/.test(monotonic)) {
    return { kind: 'malformed', message: `exit line of ${syscall.name} has a non-numeric id` };
  }

  const numberTexts = parts.slice(firstNumber, firstNumber + numberCount);
  const numbers = numberTexts.map(integer);
  if (numbers.some((value) => value === undefined)) return { kind: 'malformed', message: `exit line of ${syscall.name} has a non-numeric argument` };

  const record: ExitRecord = {
    kind: 'exit',
    syscall,
    syscallId,
    tid: tid as number,
    pid: pid as number,
    ppid: ppid as number,
    uid: uid as number,
    gid: gid as number,
    loginuid: loginuid as number,
    cgroupId,
    monotonicNs: BigInt(monotonic),
    result: result as number,
    numbers: {},
    comm: parts.slice(firstNumber + numberCount).join(FIELD_SEPARATOR),
  };

  let offset = 0;
  if (isExec) {
    record.exec = { ttyMajor: numbers[0] as number, ttyMinor: numbers[1] as number, argsLength: numbers[2] as number };
    offset = 3;
  }
  syscall.numbers.forEach(([name], index) => {
    record.numbers[name] = numbers[offset + index] as number;
  });
  return record;
}

/** The start of a printf line in bpftrace 0.17's JSON output, up to the opening quote of the text. */
const PRINTF_PREFIX = '{"type": "printf", "data": "';
/** The field separator as bpftrace's JSON output escapes it. */
const ESCAPED_SEPARATOR = '\\u001f';
/** The newline that ends every printf text, escaped. */
const ESCAPED_NEWLINE = '\\n';

/**
 * Splits a printf line into its fields without JSON.parse, or returns `undefined` when the text
 * has other escapes (a quote, backslash or control character inside a path) and needs JSON.parse.
 * bpftrace writes a backslash in the text as two, so a leftover backslash always marks an escape.
 */
function splitPlainPrintf(line: string): string[] | undefined {
  if (!line.startsWith(PRINTF_PREFIX) || !line.endsWith(`${ESCAPED_NEWLINE}"}`)) return undefined;
  const body = line.slice(PRINTF_PREFIX.length, -(ESCAPED_NEWLINE.length + 2));
  if (body.includes('"')) return undefined;
  const parts = body.split(ESCAPED_SEPARATOR);
  for (const part of parts) if (part.includes('\\')) return undefined;
  return parts;
}

/**
 * Parses one line of `bpftrace -f json` output for a generated script. Lines that are not JSON
 * objects, and printf lines that do not fit the plan, return `malformed`. Other bpftrace messages
 * that carry no event return `ignored`.
 */
export function parseBpftraceLine(line: string, plan: ScriptPlan): BpftraceRecord {
  // Most lines are printf lines without escapes, and splitting them directly costs a fraction of JSON.parse.
  const plain = splitPlainPrintf(line);
  if (plain !== undefined) return parsePrintf(plain, plan);
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    return { kind: 'malformed', message: `invalid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(document) || typeof document.type !== 'string') return { kind: 'malformed', message: 'expected a JSON object with a type' };
  const data = document.data;
  switch (document.type) {
    case 'printf':
      if (typeof data !== 'string') return { kind: 'malformed', message: 'printf line without string data' };
      return parsePrintf((data.endsWith('\n') ? data.slice(0, -1) : data).split(FIELD_SEPARATOR), plan);
    case 'attached_probes':
      return { kind: 'attached', probes: isRecord(data) && typeof data.probes === 'number' ? data.probes : 0 };
    case 'lost_events':
      // NOTE: bpftrace 0.17's JSON shape for lost events was not observed; both a bare count and {events: N} are read.
      if (typeof data === 'number') return { kind: 'lost', count: data };
      return { kind: 'lost', count: isRecord(data) && typeof data.events === 'number' ? data.events : 0 };
    default:
      return { kind: 'ignored' };
  }
}

/** Reads the count of bpftrace's plain-text "Lost N events" message, or `undefined` for other lines. */
export function parseLostEventsMessage(line: string): number | undefined {
  const match = /Lost (\d+) events/.exec(line);
  return match === null ? undefined : Number(match[1]);
}
