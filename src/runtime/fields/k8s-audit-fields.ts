import type { FieldAccessor, FieldCatalogue, FieldDefinition, FieldType, FieldValue, RuntimeEvent } from './field-types.js';

// Fields of the `k8s_audit` source as the falcosecurity k8saudit plugin defines them, computed from
// the decoded audit.k8s.io/v1 Event in `event.raw`.

type Json = unknown;
type Extract = (audit: Json, arg: string | undefined) => FieldValue | undefined;

function at(value: Json, ...path: (string | number)[]): Json {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key];
  }
  return current;
}

function scalar(value: Json): FieldValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === undefined || value === null) return undefined;
  return JSON.stringify(value);
}

function list(values: Json[]): FieldValue | undefined {
  const out: (string | number | boolean)[] = [];
  for (const value of values) {
    const item = scalar(value);
    if (item !== undefined && !Array.isArray(item)) out.push(item as string | number | boolean);
  }
  return out;
}

function asArray(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

/** Strips the tag and digest from an image reference, keeping registry and repository. */
function imageRepository(image: Json): Json {
  if (typeof image !== 'string') return undefined;
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** Reads a JSON pointer (RFC 6901), the argument of `jevt.value[/a/b]`. */
function jsonPointer(document: Json, pointer: string): Json {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) return undefined;
  const keys = pointer.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  return at(document, ...keys);
}

function containerFields(kind: 'containers' | 'initContainers' | 'ephemeralContainers'): [string, FieldType, Extract][] {
  const containers = (audit: Json): Json[] => asArray(at(audit, 'requestObject', 'spec', kind));
  const prefix = `ka.req.pod.${kind}`;
  return [
    [`${prefix}.image`, 'list', (audit) => list(containers(audit).map((c) => at(c, 'image')))],
    [`${prefix}.image.repository`, 'list', (audit) => list(containers(audit).map((c) => imageRepository(at(c, 'image'))))],
    [`${prefix}.privileged`, 'list', (audit) => list(containers(audit).map((c) => at(c, 'securityContext', 'privileged') === true))],
    [`${prefix}.host_port`, 'list', (audit) => list(containers(audit).flatMap((c) => asArray(at(c, 'ports')).map((p) => at(p, 'hostPort'))))],
    [
      `${prefix}.allow_privilege_escalation`,
      'list',
      (audit) => list(containers(audit).map((c) => at(c, 'securityContext', 'allowPrivilegeEscalation') === true)),
    ],
    [`${prefix}.read_only_fs`, 'list', (audit) => list(containers(audit).map((c) => at(c, 'securityContext', 'readOnlyRootFilesystem') === true))],
    [`${prefix}.add_capabilities`, 'list', (audit) => list(containers(audit).flatMap((c) => asArray(at(c, 'securityContext', 'capabilities', 'add'))))],
  ];
}

const FIELDS: [string, FieldType, Extract][] = [
  ['ka.auditid', 'string', (a) => scalar(at(a, 'auditID'))],
  ['ka.stage', 'string', (a) => scalar(at(a, 'stage'))],
  ['ka.auth.decision', 'string', (a) => scalar(at(a, 'annotations', 'authorization.k8s.io/decision'))],
  ['ka.auth.reason', 'string', (a) => scalar(at(a, 'annotations', 'authorization.k8s.io/reason'))],
  ['ka.user.name', 'string', (a) => scalar(at(a, 'user', 'username'))],
  ['ka.user.groups', 'list', (a) => list(asArray(at(a, 'user', 'groups')))],
  ['ka.impuser.name', 'string', (a) => scalar(at(a, 'impersonatedUser', 'username'))],
  ['ka.verb', 'string', (a) => scalar(at(a, 'verb'))],
  ['ka.uri', 'string', (a) => scalar(at(a, 'requestURI'))],
  ['ka.useragent', 'string', (a) => scalar(at(a, 'userAgent'))],
  ['ka.sourceips', 'list', (a) => list(asArray(at(a, 'sourceIPs')))],
  ['ka.target.name', 'string', (a) => scalar(at(a, 'objectRef', 'name'))],
  ['ka.target.namespace', 'string', (a) => scalar(at(a, 'objectRef', 'namespace'))],
  ['ka.target.resource', 'string', (a) => scalar(at(a, 'objectRef', 'resource'))],
  ['ka.target.subresource', 'string', (a) => scalar(at(a, 'objectRef', 'subresource'))],
  ['ka.target.pod.name', 'string', (a) => (at(a, 'objectRef', 'resource') === 'pods' ? scalar(at(a, 'objectRef', 'name')) : undefined)],
  ['ka.req.binding.subjects', 'list', (a) => list(asArray(at(a, 'requestObject', 'subjects')).map((s) => at(s, 'name')))],
  ['ka.req.binding.role', 'string', (a) => scalar(at(a, 'requestObject', 'roleRef', 'name'))],
  ['ka.req.configmap.name', 'string', (a) => scalar(at(a, 'objectRef', 'name'))],
  ['ka.req.configmap.obj', 'string', (a) => scalar(at(a, 'requestObject', 'data'))],
  ['ka.req.pod.host_ipc', 'string', (a) => scalar(at(a, 'requestObject', 'spec', 'hostIPC') ?? false)],
  ['ka.req.pod.host_network', 'string', (a) => scalar(at(a, 'requestObject', 'spec', 'hostNetwork') ?? false)],
  ['ka.req.pod.host_pid', 'string', (a) => scalar(at(a, 'requestObject', 'spec', 'hostPID') ?? false)],
  ['ka.req.pod.volumes.hostpath', 'list', (a) => list(asArray(at(a, 'requestObject', 'spec', 'volumes')).map((v) => at(v, 'hostPath', 'path')))],
  ['ka.req.role.rules', 'list', (a) => list(asArray(at(a, 'requestObject', 'rules')))],
  ['ka.req.role.rules.verbs', 'list', (a) => list(asArray(at(a, 'requestObject', 'rules')).flatMap((r) => asArray(at(r, 'verbs'))))],
  ['ka.req.role.rules.resources', 'list', (a) => list(asArray(at(a, 'requestObject', 'rules')).flatMap((r) => asArray(at(r, 'resources'))))],
  ['ka.req.role.rules.apiGroups', 'list', (a) => list(asArray(at(a, 'requestObject', 'rules')).flatMap((r) => asArray(at(r, 'apiGroups'))))],
  ['ka.req.service.type', 'string', (a) => scalar(at(a, 'requestObject', 'spec', 'type'))],
  ['ka.req.service.ports', 'list', (a) => list(asArray(at(a, 'requestObject', 'spec', 'ports')))],
  ['ka.resp.name', 'string', (a) => scalar(at(a, 'responseObject', 'metadata', 'name'))],
  ['ka.response.code', 'string', (a) => scalar(at(a, 'responseStatus', 'code'))],
  ['ka.response.reason', 'string', (a) => scalar(at(a, 'responseStatus', 'reason'))],
  ['ka.uri.param', 'string', (a, arg) => uriParam(at(a, 'requestURI'), arg ?? '')],
  ['jevt.time', 'string', (a) => scalar(at(a, 'stageTimestamp') ?? at(a, 'requestReceivedTimestamp'))],
  ['jevt.rawtime', 'number', (a) => rawTime(a)],
  ['jevt.obj', 'string', (a) => JSON.stringify(a)],
  ['jevt.value', 'string', (a, arg) => scalar(jsonPointer(a, arg ?? ''))],
  ...containerFields('containers'),
  ...containerFields('initContainers'),
  ...containerFields('ephemeralContainers'),
];

const ARG_FIELDS = new Set(['ka.uri.param', 'jevt.value']);

function uriParam(uri: Json, name: string): FieldValue | undefined {
  if (typeof uri !== 'string') return undefined;
  const query = uri.indexOf('?');
  if (query < 0) return undefined;
  const values = new URLSearchParams(uri.slice(query + 1)).getAll(name);
  return values.length === 0 ? undefined : (values[0] as string);
}

function rawTime(audit: Json): number | undefined {
  const stamp = at(audit, 'stageTimestamp') ?? at(audit, 'requestReceivedTimestamp');
  if (typeof stamp !== 'string') return undefined;
  const millis = Date.parse(stamp);
  return Number.isNaN(millis) ? undefined : millis * 1_000_000;
}

/** Builds the catalogue of the `k8s_audit` source. */
export function createK8sAuditFieldCatalogue(): FieldCatalogue {
  const definitions = new Map<string, FieldDefinition>();
  for (const [name, type, extract] of FIELDS) {
    const accessor = (arg: string | undefined): FieldAccessor => (event: RuntimeEvent) => {
      // Events given as flat JSON lines carry values under the field name instead of a document.
      const stored = event.fields[arg === undefined ? name : `${name}[${arg}]`];
      if (stored !== undefined && stored !== null) return stored;
      return event.raw === undefined ? undefined : extract(event.raw, arg);
    };
    definitions.set(name, { name, type, arg: ARG_FIELDS.has(name) ? 'required' : 'none', accessor });
  }
  return { source: 'k8s_audit', lookup: (name) => definitions.get(name) };
}
