import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { BulwarkError } from '../../errors.js';
import { createSyscallFieldCatalogue } from '../fields/syscall-fields.js';
import type { FieldValue, RuntimeEvent } from '../fields/field-types.js';

/**
 * The fields read from a capture by default: those the upstream syscall rules and common filters
 * use and that sysdig can print. `fd.ip` and `fd.net` are filter-only in sysdig, so they are
 * derived from the client and server addresses.
 */
export const DEFAULT_CAPTURE_FIELDS = `
  evt.num evt.type evt.dir evt.res evt.rawres evt.rawtime evt.failed evt.is_open_read evt.is_open_write
  evt.arg.flags evt.arg.name evt.arg.fd evt.arg.request evt.arg.target evt.arg.newpath evt.arg.oldpath
  proc.name proc.exe proc.exepath proc.cmdline proc.args proc.pid proc.ppid proc.pname proc.pcmdline
  proc.cwd proc.tty proc.sname proc.vpid proc.aname[1] proc.aname[2] proc.aname[3] proc.aname[4] proc.aname[5]
  proc.aname[6] proc.aname[7] thread.tid user.uid user.name user.loginuid user.loginname group.gid group.name
  fd.num fd.name fd.directory fd.filename fd.type fd.typechar fd.l4proto fd.sockfamily fd.cip fd.sip fd.lip
  fd.rip fd.cport fd.sport fd.lport fd.rport fd.connected fd.name_changed fd.nameraw
  container.id container.name container.image container.image.repository container.privileged
  k8s.ns.name k8s.pod.name
`
  .split(/\s+/)
  .filter((name) => name !== '');

const SEPARATOR = '\x1f';
const NOT_AVAILABLE = '<NA>';

export interface CaptureOptions {
  /** The fields to print; default DEFAULT_CAPTURE_FIELDS. */
  fields?: readonly string[];
  /** The sysdig binary. Default: `sysdig` from PATH. */
  sysdigPath?: string;
  /** A sysdig filter applied while reading, as in `sysdig -r FILE FILTER`. */
  filter?: string;
}

/**
 * Reads a sysdig or Falco capture (.scap) through the `sysdig` binary, printing the chosen fields
 * of every event with `-p` and turning each line into a `syscall` event. Fields sysdig prints as
 * `<NA>` have no value.
 */
export async function* readCaptureEvents(file: string, options: CaptureOptions = {}): AsyncGenerator<RuntimeEvent> {
  const fields = options.fields ?? DEFAULT_CAPTURE_FIELDS;
  const catalogue = createSyscallFieldCatalogue();
  const numeric = fields.map((name) => catalogue.lookup(name.replace(/\[.*$/, ''))?.type === 'number');
  // A leading `*` makes sysdig print events even when some fields have no value.
  const format = `*${fields.map((name) => `%${name}`).join(SEPARATOR)}`;
  const args = ['-r', file, '-p', format];
  if (options.filter !== undefined) args.push(options.filter);
  const child = spawn(options.sysdigPath ?? 'sysdig', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  // The rejection is read after the output ends; this keeps it from counting as unhandled meanwhile.
  exited.catch(() => undefined);
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      const values = line.split(SEPARATOR);
      if (values.length !== fields.length) continue;
      const record: Record<string, FieldValue> = {};
      for (let index = 0; index < fields.length; index++) {
        const text = values[index] as string;
        // sysdig prints `<NA>` for a field without a value and nothing for an empty one (a pipe's fd.name).
        if (text === NOT_AVAILABLE) continue;
        if (numeric[index]) {
          // Nanosecond times pass 2^53, so those stay strings to keep every digit.
          if (/^-?\d+$/.test(text)) record[fields[index] as string] = Number.isSafeInteger(Number(text)) ? Number(text) : text;
        } else record[fields[index] as string] = text;
      }
      const addresses = [record['fd.cip'], record['fd.sip']].filter((value): value is string => typeof value === 'string');
      if (addresses.length > 0) {
        record['fd.ip'] = addresses;
        record['fd.net'] = addresses;
      }
      yield { source: 'syscall', fields: record };
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  let code: number | null;
  try {
    code = await exited;
  } catch (error) {
    throw new BulwarkError('NOT_FOUND', `cannot run sysdig to read ${file}: ${(error as Error).message}; install the Debian package sysdig`, { cause: error });
  }
  if (code !== 0) throw new BulwarkError('FORMAT_INVALID', `sysdig could not read ${file} (exit code ${code}): ${stderr.trim()}`);
}
