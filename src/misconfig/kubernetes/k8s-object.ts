import type { Location, ObjectRef } from '../../model/misconfiguration.js';

/** A path into a Kubernetes object: map keys and sequence indexes (`['spec', 'containers', 0]`). */
export type FieldPath = ReadonlyArray<string | number>;

/** A JSON-like mapping as the YAML parser returns it. */
export type JsonMap = Record<string, unknown>;

/** One Kubernetes object read from a manifest, with what is needed to locate its fields. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** The namespace from `metadata.namespace`, or undefined when the manifest leaves it to kubectl. */
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The whole object as plain values. */
  value: JsonMap;
  /** The file the object came from, relative to the scanned root. */
  path: string;
  /** Returns the location of a field of this object, or of its nearest existing parent. */
  locate(field: FieldPath): Location;
}

/** Formats a field path the way kubectl and the API server do: `spec.containers[0].image`. */
export function formatFieldPath(field: FieldPath): string {
  let text = '';
  for (const part of field) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}

/** Returns the object reference of a finding, with the container and the field when given. */
export function objectRef(object: K8sObject, field?: FieldPath, container?: string): ObjectRef {
  const ref: ObjectRef = { kind: object.kind, name: object.name };
  if (object.namespace !== undefined) ref.namespace = object.namespace;
  if (container !== undefined) ref.container = container;
  if (field !== undefined && field.length > 0) ref.fieldPath = formatFieldPath(field);
  return ref;
}

/** Returns the value at a path of a plain object, or undefined where a step is missing. */
export function getIn(value: unknown, field: FieldPath): unknown {
  let current = value;
  for (const part of field) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Returns the string entries of a map such as `metadata.labels`, dropping values of other types. */
export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isMap(value)) return result;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') result[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') result[key] = String(entry);
  }
  return result;
}
