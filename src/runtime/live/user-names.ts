import { readRootFile } from './proc-reader.js';

/** Parses an /etc/passwd or /etc/group file into id → name. Lines that do not parse are skipped. */
export function parseIdNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#')) continue;
    const id = Number(fields[2]);
    if (fields[0] !== '' && Number.isSafeInteger(id) && !names.has(id)) names.set(id, fields[0] as string);
  }
  return names;
}

interface NameTables {
  users: Map<number, string>;
  groups: Map<number, string>;
}

/**
 * Resolves user and group names as the process itself resolves them: from the /etc/passwd and
 * /etc/group of its root directory, so a process in a container gets the container's names.
 * Tables are cached per container id (`host` for the host) after the first successful read.
 */
export class UserNames {
  private readonly tables = new Map<string, NameTables>();

  constructor(private readonly procRoot = '/proc') {}

  private load(key: string, pids: readonly number[]): NameTables | undefined {
    const cached = this.tables.get(key);
    if (cached !== undefined) return cached;
    for (const pid of pids) {
      const passwd = readRootFile(pid, 'etc/passwd', this.procRoot);
      if (passwd === undefined) continue;
      const tables = { users: parseIdNames(passwd), groups: parseIdNames(readRootFile(pid, 'etc/group', this.procRoot) ?? '') };
      this.tables.set(key, tables);
      return tables;
    }
    return undefined;
  }

  /**
   * Returns the user and group names of ids inside a container (`host` outside). `pids` are
   * processes whose root directory shows that container's files, tried in order, because the
   * process itself may already have exited.
   */
  lookup(containerKey: string, pids: readonly number[], uid: number | undefined, gid: number | undefined): { user?: string; group?: string } {
    const tables = this.load(containerKey, pids);
    const result: { user?: string; group?: string } = {};
    if (tables === undefined) return result;
    const user = uid === undefined ? undefined : tables.users.get(uid);
    const group = gid === undefined ? undefined : tables.groups.get(gid);
    if (user !== undefined) result.user = user;
    if (group !== undefined) result.group = group;
    return result;
  }
}
