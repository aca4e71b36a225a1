import type { FieldPath, JsonMap } from '../k8s-object.js';
import type { PodTemplate } from '../pod-template.js';
import { containers, containersPhrase, joinQuote, pluralize, securityContext, sortedUnique, type PssCheck, type PssViolation } from './pss-check.js';
import type { PssCapabilities } from './pss-version.js';

/** Baseline checks of profiles and handlers: AppArmor, seccomp, procMount, probe and lifecycle hosts. */

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function profileType(context: JsonMap | undefined, field: string): string | undefined {
  const profile = context?.[field];
  if (profile === null || typeof profile !== 'object') return undefined;
  return String((profile as JsonMap).type ?? '');
}

const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  appliesTo: () => true,
  evaluate(pod) {
    const setters: string[] = [];
    const badValues = new Set<string>();
    const fields: FieldPath[] = [];
    const allowedType = (type: string) => type === 'RuntimeDefault' || type === 'Localhost';

    const podType = profileType(securityContext(pod.spec), 'appArmorProfile');
    if (podType !== undefined && !allowedType(podType)) {
      setters.push('pod');
      badValues.add(podType);
      fields.push([...pod.specPath, 'securityContext', 'appArmorProfile', 'type']);
    }
    const names: string[] = [];
    for (const container of containers(pod)) {
      const type = profileType(securityContext(container.value), 'appArmorProfile');
      if (type !== undefined && !allowedType(type)) {
        names.push(container.name);
        badValues.add(type);
        fields.push([...container.path, 'securityContext', 'appArmorProfile', 'type']);
      }
    }
    if (names.length > 0) setters.push(containersPhrase(names));

    const annotations: string[] = [];
    for (const [key, value] of Object.entries(pod.annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
      if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
      annotations.push(`${key}="${value}"`);
      fields.push([...pod.metadataPath, 'annotations', key]);
    }
    annotations.sort();
    if (annotations.length > 0) setters.push(pluralize('annotation', 'annotations', annotations.length));
    if (setters.length === 0) return undefined;
    const values = [...sortedUnique(badValues), ...annotations];
    return {
      reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
      detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
      fields,
    };
  },
};

/** Returns the violation of `procMount` values other than Default, as the restricted check reports it. */
function procMountViolation(pod: PodTemplate): PssViolation | undefined {
  const names: string[] = [];
  const types = new Set<string>();
  const fields: FieldPath[] = [];
  for (const container of containers(pod)) {
    const value = securityContext(container.value)?.procMount;
    if (value === undefined || value === null || value === 'Default') continue;
    names.push(container.name);
    types.add(String(value));
    fields.push([...container.path, 'securityContext', 'procMount']);
  }
  if (names.length === 0) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(names)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`, fields };
}

const procMountBaseline: PssCheck = {
  id: 'procMount_baseline',
  level: 'baseline',
  appliesTo: () => true,
  evaluate(pod, version) {
    // Since 1.35, pods in a user namespace may unmask /proc because the masks no longer protect the host.
    if (version.procMountUserNamespaces && pod.spec.hostUsers === false) return undefined;
    return procMountViolation(pod);
  },
};

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  overrides: ['procMount_baseline'],
  appliesTo: (version) => version.procMountUserNamespaces,
  evaluate: (pod) => procMountViolation(pod),
};

function seccompBaselineAnnotations(pod: PodTemplate): PssViolation | undefined {
  const forbidden: string[] = [];
  const fields: FieldPath[] = [];
  for (const [key, value] of Object.entries(pod.annotations)) {
    if ((key === SECCOMP_POD_ANNOTATION || key.startsWith(SECCOMP_CONTAINER_ANNOTATION_PREFIX)) && value === 'unconfined') {
      forbidden.push(`${key}="${value}"`);
      fields.push([...pod.metadataPath, 'annotations', key]);
    }
  }
  if (forbidden.length === 0) return undefined;
  forbidden.sort();
  return { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', forbidden.length)} ${forbidden.join(', ')}`, fields };
}

function seccompBaselineFields(pod: PodTemplate): PssViolation | undefined {
  const setters: string[] = [];
  const fields: FieldPath[] = [];
  if (profileType(securityContext(pod.spec), 'seccompProfile') === 'Unconfined') {
    setters.push('pod');
    fields.push([...pod.specPath, 'securityContext', 'seccompProfile', 'type']);
  }
  const names: string[] = [];
  for (const container of containers(pod)) {
    if (profileType(securityContext(container.value), 'seccompProfile') === 'Unconfined') {
      names.push(container.name);
      fields.push([...container.path, 'securityContext', 'seccompProfile', 'type']);
    }
  }
  if (names.length > 0) setters.push(containersPhrase(names));
  if (setters.length === 0) return undefined;
  return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"`, fields };
}

const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  appliesTo: () => true,
  evaluate: (pod, version: PssCapabilities) => (version.seccompProfileFields ? seccompBaselineFields(pod) : seccompBaselineAnnotations(pod)),
};

const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  appliesTo: (version) => version.hostProbesAndHostLifecycle,
  evaluate(pod) {
    const names: string[] = [];
    const hosts = new Set<string>();
    const fields: FieldPath[] = [];
    const handlers: FieldPath[] = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']];
    for (const container of containers(pod)) {
      let bad = false;
      for (const handler of handlers) {
        for (const action of ['httpGet', 'tcpSocket']) {
          let value: unknown = container.value;
          for (const part of [...handler, action, 'host']) value = value !== null && typeof value === 'object' ? (value as JsonMap)[part as string] : undefined;
          if (typeof value === 'string' && value !== '') {
            bad = true;
            hosts.add(value);
            fields.push([...container.path, ...handler, action, 'host']);
          }
        }
      }
      if (bad) names.push(container.name);
    }
    if (names.length === 0) return undefined;
    const list = sortedUnique(hosts);
    return {
      reason: 'probe or lifecycle host',
      detail: `${containersPhrase(sortedUnique(names))} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${joinQuote(list)}`,
      fields,
    };
  },
};

export const BASELINE_CHECKS_PROFILES: readonly PssCheck[] = [appArmorProfile, procMountBaseline, seccompProfileBaseline, hostProbesAndHostLifecycle];
