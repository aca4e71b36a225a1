import {
  storedFieldAccessor,
  type FieldAccessor,
  type FieldCatalogue,
  type FieldDefinition,
  type FieldType,
  type FieldValue,
} from './field-types.js';

// Field names and types of the libsinsp `syscall` source (falcosecurity/libs, userspace/libsinsp
// sinsp_filtercheck_*.cpp). Types are the comparison types: every integer kind is `number`.
const STRING_FIELDS = `
  evt.type evt.dir evt.res evt.args evt.info evt.category evt.source evt.hostname evt.plugininfo
  evt.time evt.time.s evt.time.iso8601 evt.datetime evt.datetime.s evt.abspath evt.abspath.src evt.abspath.dst
  proc.name proc.exe proc.exepath proc.args proc.cmdline proc.exeline proc.cwd proc.pname proc.pexe
  proc.pexepath proc.pcmdline proc.sname proc.env proc.tty_name proc.exe_ino.ctime_duration_pidns_start
  thread.cap_permitted thread.cap_inheritable thread.cap_effective thread.comm
  user.name user.homedir user.shell user.loginname group.name
  fd.name fd.nameraw fd.directory fd.filename fd.type fd.typechar fd.l4proto fd.sockfamily fd.cip.name
  fd.sip.name fd.lip.name fd.rip.name fs.path.name fs.path.nameraw fs.path.source fs.path.sourceraw
  fs.path.target fs.path.targetraw
  container.id container.full_id container.name container.image container.image.id container.image.repository
  container.image.tag container.image.digest container.type container.mounts container.mount
  container.mount.source container.mount.dest container.mount.mode container.mount.rdwr
  container.mount.propagation container.healthcheck container.liveness_probe container.readiness_probe
  k8s.pod.name k8s.pod.id k8s.pod.uid k8s.pod.label k8s.pod.labels k8s.pod.ip k8s.pod.cni.json
  k8s.ns.name k8s.ns.id k8s.ns.label k8s.ns.labels k8s.rc.name k8s.svc.name k8s.rs.name k8s.deployment.name
`;
const NUMBER_FIELDS = `
  evt.num evt.rawtime evt.rawtime.s evt.rawtime.ns evt.reltime evt.reltime.s evt.reltime.ns evt.latency
  evt.latency.s evt.latency.ns evt.deltatime evt.cpu evt.rawres evt.count evt.count.error evt.buflen
  evt.around
  proc.pid proc.ppid proc.vpid proc.pvpid proc.sid proc.vpgid proc.pgid proc.loginshellid proc.nthreads
  proc.nchilds proc.tty proc.fdopencount proc.fdlimit proc.vmsize proc.vmrss proc.vmswap proc.duration
  proc.ppid.duration proc.pid.ts proc.ppid.ts proc.exe_ino proc.exe_ino.ctime proc.exe_ino.mtime
  proc.exe_ino.ctime_duration_proc_start proc.start_ts proc.pidns_init_start_ts
  thread.tid thread.vtid thread.ptid thread.exectime thread.totexectime thread.vmsize thread.vmrss
  user.uid user.loginuid group.gid
  fd.num fd.ino fd.dev fd.dev.major fd.dev.minor fd.cport fd.sport fd.lport fd.rport fd.port fd.cproto fd.sproto
  container.start_ts container.duration container.cpu.shares container.memory.limit
`;
const BOOL_FIELDS = `
  evt.failed evt.is_io evt.is_io_read evt.is_io_write evt.is_wait evt.is_syslog evt.is_open_read
  evt.is_open_write evt.is_open_exec evt.is_open_create
  proc.is_exe_writable proc.is_exe_upper_layer proc.is_exe_from_memfd proc.is_sid_leader proc.is_vpgid_leader
  proc.is_container_healthcheck proc.is_container_liveness_probe proc.is_container_readiness_probe
  thread.ismain fd.connected fd.name_changed fd.is_upper_layer fd.is_lower_layer container.privileged
`;
const IPADDR_FIELDS = 'fd.ip fd.cip fd.sip fd.lip fd.rip';
const IPNET_FIELDS = 'fd.net fd.cnet fd.snet fd.lnet fd.rnet';

// Fields that take `[arg]`: the ancestor forms, argument lookups and labelled lookups.
const ANCESTOR_FIELDS: Readonly<Record<string, string>> = {
  'proc.aname': 'proc.name',
  'proc.apid': 'proc.pid',
  'proc.aexe': 'proc.exe',
  'proc.aexepath': 'proc.exepath',
  'proc.acmdline': 'proc.cmdline',
};
const REQUIRED_ARG_FIELDS = 'proc.env evt.arg evt.rawarg container.mount.source container.mount.dest';
const OPTIONAL_ARG_FIELDS = 'proc.args proc.env evt.around k8s.pod.label k8s.ns.label container.mount';

/** The maximum ancestor depth read from events that list ancestors as `proc.aname[N]` keys. */
const MAX_ANCESTOR_DEPTH = 32;

function typeTable(): Map<string, FieldType> {
  const table = new Map<string, FieldType>();
  const add = (names: string, type: FieldType): void => {
    for (const name of names.split(/\s+/)) if (name !== '') table.set(name, type);
  };
  add(STRING_FIELDS, 'string');
  add(NUMBER_FIELDS, 'number');
  add(BOOL_FIELDS, 'bool');
  add(IPADDR_FIELDS, 'ipaddr');
  add(IPNET_FIELDS, 'ipnet');
  add(REQUIRED_ARG_FIELDS, 'string');
  table.set('proc.aname', 'string');
  table.set('proc.apid', 'number');
  table.set('proc.aexe', 'string');
  table.set('proc.aexepath', 'string');
  table.set('proc.acmdline', 'string');
  return table;
}

/**
 * Reads an ancestor field. `proc.aname[N]` is the Nth ancestor (0 is the process itself), read
 * from the key as written or from a `proc.aname` array that lists ancestors from the parent up.
 * Without an index the value is the list of every ancestor, so `proc.aname=sshd` matches any.
 */
function ancestorAccessor(name: string, selfField: string, arg: string | undefined): FieldAccessor {
  if (arg !== undefined) {
    const depth = Number(arg);
    const key = `${name}[${arg}]`;
    return (event) => {
      const stored = event.fields[key];
      if (stored !== undefined && stored !== null) return stored;
      if (depth === 0) return event.fields[selfField] ?? undefined;
      const chain = event.fields[name];
      if (Array.isArray(chain)) return chain[depth - 1] as FieldValue | undefined;
      return undefined;
    };
  }
  return (event) => {
    const chain = event.fields[name];
    if (Array.isArray(chain)) return chain;
    const collected: (string | number | boolean)[] = [];
    for (let depth = 1; depth <= MAX_ANCESTOR_DEPTH; depth++) {
      const value = event.fields[`${name}[${depth}]`];
      if (value === undefined || value === null || Array.isArray(value)) break;
      collected.push(value as string | number | boolean);
    }
    return collected.length === 0 ? undefined : collected;
  };
}

/** Builds the catalogue of the `syscall` source. */
export function createSyscallFieldCatalogue(): FieldCatalogue {
  const types = typeTable();
  const required = new Set(REQUIRED_ARG_FIELDS.split(' '));
  const optional = new Set([...OPTIONAL_ARG_FIELDS.split(' '), ...Object.keys(ANCESTOR_FIELDS)]);
  const cache = new Map<string, FieldDefinition>();
  return {
    source: 'syscall',
    lookup(name) {
      const cached = cache.get(name);
      if (cached !== undefined) return cached;
      let definition: FieldDefinition | undefined;
      const selfField = ANCESTOR_FIELDS[name];
      if (selfField !== undefined) {
        definition = { name, type: types.get(name) ?? 'string', arg: 'optional', accessor: (arg) => ancestorAccessor(name, selfField, arg) };
      } else if (/^evt\.(raw)?arg\.[A-Za-z0-9_]+$/.test(name)) {
        // `evt.arg.NAME` names a syscall argument; which names exist depends on the event type.
        definition = { name, type: 'string', arg: 'none' };
      } else {
        const type = types.get(name);
        if (type !== undefined) {
          const arg = required.has(name) ? 'required' : optional.has(name) ? 'optional' : 'none';
          definition = { name, type, arg, accessor: (fieldArg) => storedFieldAccessor(name, fieldArg) };
        }
      }
      if (definition !== undefined) cache.set(name, definition);
      return definition;
    },
  };
}
