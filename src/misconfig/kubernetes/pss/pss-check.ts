import type { FieldPath, JsonMap } from '../k8s-object.js';
import { containersOf, type ContainerRef, type PodTemplate } from '../pod-template.js';
import type { PssCapabilities } from './pss-version.js';

/** The reason a pod fails one check, in the admission controller's words. */
export interface PssViolation {
  /** The controller's forbidden reason: `privileged`, `unrestricted capabilities`. */
  reason: string;
  /** The controller's detail: which containers set which values. */
  detail: string;
  /** The offending fields, or the fields that must be set, in visiting order. */
  fields: FieldPath[];
}

export interface PssCheck {
  /** The check ID of the admission controller: `runAsNonRoot`, `capabilities_restricted`. */
  id: string;
  level: 'baseline' | 'restricted';
  /** Checks the controller skips at the given level because this check covers them. */
  overrides?: string[];
  /** True when the version has this check. */
  appliesTo(version: PssCapabilities): boolean;
  evaluate(pod: PodTemplate, version: PssCapabilities): PssViolation | undefined;
}

/** Returns `"a", "b"` as the controller quotes lists in its messages. */
export function joinQuote(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Returns `container "a"` or `containers "a", "b"`. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

export function containers(pod: PodTemplate): ContainerRef[] {
  return containersOf(pod);
}

/** Returns the security context of a pod spec or container, or undefined when it is unset. */
export function securityContext(holder: JsonMap): JsonMap | undefined {
  const value = holder.securityContext;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonMap) : undefined;
}

/** True for a pod that declares `spec.os.name: windows`. */
export function isWindowsPod(pod: PodTemplate): boolean {
  const os = pod.spec.os;
  return os !== null && typeof os === 'object' && (os as JsonMap).name === 'windows';
}

/** Returns a sorted list without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
