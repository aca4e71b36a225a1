import type { FieldPath, JsonMap } from '../k8s-object.js';
import { containers, containersPhrase, isWindowsPod, joinQuote, pluralize, securityContext, sortedUnique, type PssCheck } from './pss-check.js';
import { volumes } from './pss-checks-baseline.js';
import { procMountRestricted } from './pss-checks-profiles.js';

/**
 * Volume sources that restricted allows. The controller added `image` (OCI image volumes) to the
 * list in Kubernetes 1.33 without a new check version, so it is allowed at every version. A volume
 * with no source is defaulted to emptyDir by the API server.
 */
const ALLOWED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  overrides: ['hostPathVolumes'],
  appliesTo: () => true,
  evaluate(pod) {
    const names: string[] = [];
    const types = new Set<string>();
    const fields: FieldPath[] = [];
    volumes(pod).forEach((volume, index) => {
      const sources = Object.keys(volume).filter((key) => key !== 'name' && volume[key] !== null && volume[key] !== undefined);
      if (sources.length === 0 || sources.some((source) => ALLOWED_VOLUME_SOURCES.has(source))) return;
      names.push(String(volume.name));
      types.add(sources[0]!);
      fields.push([...pod.specPath, 'volumes', index, sources[0]!]);
    });
    if (names.length === 0) return undefined;
    const list = sortedUnique(types);
    return {
      reason: 'restricted volume types',
      detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
      fields,
    };
  },
};

const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  appliesTo: (version) => version.allowPrivilegeEscalation,
  evaluate(pod, version) {
    if (version.windowsExemptions && isWindowsPod(pod)) return undefined;
    const names: string[] = [];
    const fields: FieldPath[] = [];
    for (const container of containers(pod)) {
      if (securityContext(container.value)?.allowPrivilegeEscalation === false) continue;
      names.push(container.name);
      fields.push([...container.path, 'securityContext', 'allowPrivilegeEscalation']);
    }
    return names.length === 0 ? undefined : { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false`, fields };
  },
};

/**
 * Builds the runAsNonRoot and seccompProfile_restricted logic, which share a shape: the pod-level
 * value covers containers that leave the field unset, a container may set it itself, and an
 * explicit bad value anywhere fails.
 */
function podOrContainerCheck(options: {
  id: string;
  field: string;
  isSet: (context: JsonMap | undefined) => boolean;
  isGood: (context: JsonMap) => boolean;
  reason: string;
  /** The detail for explicit bad values, given the setters and the bad values. */
  explicitDetail: (setters: string, values: string[]) => string;
  implicitDetail: string;
  badValue: (context: JsonMap) => string;
  exemptWindows: boolean;
  appliesTo: PssCheck['appliesTo'];
  overrides?: string[];
}): PssCheck {
  const check: PssCheck = {
    id: options.id,
    level: 'restricted',
    appliesTo: options.appliesTo,
    evaluate(pod, version) {
      if (options.exemptWindows && version.windowsExemptions && isWindowsPod(pod)) return undefined;
      const badSetters: string[] = [];
      const badValues = new Set<string>();
      const fields: FieldPath[] = [];
      const podContext = securityContext(pod.spec);
      let podGood = false;
      if (options.isSet(podContext)) {
        if (options.isGood(podContext!)) podGood = true;
        else { badSetters.push('pod'); badValues.add(options.badValue(podContext!)); fields.push([...pod.specPath, 'securityContext', options.field]); }
      }
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const container of containers(pod)) {
        const context = securityContext(container.value);
        const path = [...container.path, 'securityContext', options.field];
        if (options.isSet(context)) {
          if (!options.isGood(context!)) { explicit.push(container.name); badValues.add(options.badValue(context!)); fields.push(path); }
        } else if (!podGood) {
          implicit.push(container.name);
          fields.push(path);
        }
      }
      if (explicit.length > 0) badSetters.push(containersPhrase(explicit));

      // As upstream, explicit bad values are reported alone; missing values only when there are none.
      if (badSetters.length > 0) return { reason: options.reason, detail: options.explicitDetail(badSetters.join(' and '), sortedUnique(badValues)), fields };
      if (implicit.length > 0) return { reason: options.reason, detail: `pod or ${containersPhrase(implicit)} ${options.implicitDetail}`, fields };
      return undefined;
    },
  };
  if (options.overrides !== undefined) check.overrides = options.overrides;
  return check;
}

// NOTE: upstream skips runAsNonRoot and runAsUser for pods with hostUsers: false only when the
// cluster opts in (RelaxPolicyForUserNamespacePods); this models the default, without the opt-in.
const runAsNonRoot = podOrContainerCheck({
  id: 'runAsNonRoot',
  field: 'runAsNonRoot',
  isSet: (context) => context?.runAsNonRoot !== undefined && context.runAsNonRoot !== null,
  isGood: (context) => context.runAsNonRoot === true,
  reason: 'runAsNonRoot != true',
  explicitDetail: (setters) => `${setters} must not set securityContext.runAsNonRoot=false`,
  badValue: () => 'false',
  implicitDetail: 'must set securityContext.runAsNonRoot=true',
  exemptWindows: false,
  appliesTo: () => true,
});

function seccompType(context: JsonMap | undefined): unknown {
  const profile = context?.seccompProfile;
  return profile !== null && typeof profile === 'object' ? (profile as JsonMap).type : undefined;
}

const seccompProfileRestricted = podOrContainerCheck({
  id: 'seccompProfile_restricted',
  field: 'seccompProfile',
  isSet: (context) => context?.seccompProfile !== undefined && context.seccompProfile !== null,
  isGood: (context) => seccompType(context) === 'RuntimeDefault' || seccompType(context) === 'Localhost',
  reason: 'seccompProfile',
  explicitDetail: (setters, values) => `${setters} must not set securityContext.seccompProfile.type to ${joinQuote(values)}`,
  badValue: (context) => String(seccompType(context) ?? ''),
  implicitDetail: 'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
  exemptWindows: true,
  appliesTo: (version) => version.seccompProfileRestricted,
  overrides: ['seccompProfile_baseline'],
});

const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  appliesTo: (version) => version.runAsUser,
  evaluate(pod) {
    const setters: string[] = [];
    const fields: FieldPath[] = [];
    if (securityContext(pod.spec)?.runAsUser === 0) { setters.push('pod'); fields.push([...pod.specPath, 'securityContext', 'runAsUser']); }
    const names: string[] = [];
    for (const container of containers(pod)) {
      if (securityContext(container.value)?.runAsUser === 0) { names.push(container.name); fields.push([...container.path, 'securityContext', 'runAsUser']); }
    }
    if (names.length > 0) setters.push(containersPhrase(names));
    return setters.length === 0 ? undefined : { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, fields };
  },
};

const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  appliesTo: (version) => version.capabilitiesRestricted,
  evaluate(pod, version) {
    if (version.windowsExemptions && isWindowsPod(pod)) return undefined;
    const missingDropAll: string[] = [];
    const adding: string[] = [];
    const forbidden = new Set<string>();
    const fields: FieldPath[] = [];
    for (const container of containers(pod)) {
      const path = [...container.path, 'securityContext', 'capabilities'];
      const capabilities = securityContext(container.value)?.capabilities as JsonMap | undefined | null;
      const drop = Array.isArray(capabilities?.drop) ? capabilities.drop : [];
      const add = Array.isArray(capabilities?.add) ? capabilities.add : [];
      if (!drop.includes('ALL')) { missingDropAll.push(container.name); fields.push([...path, 'drop']); }
      const bad = add.filter((capability: unknown) => capability !== 'NET_BIND_SERVICE').map(String);
      if (bad.length > 0) { adding.push(container.name); bad.forEach((capability) => forbidden.add(capability)); fields.push([...path, 'add']); }
    }
    const details: string[] = [];
    if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
    if (adding.length > 0) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`);
    return details.length === 0 ? undefined : { reason: 'unrestricted capabilities', detail: details.join('; '), fields };
  },
};

export const RESTRICTED_CHECKS: readonly PssCheck[] = [restrictedVolumes, allowPrivilegeEscalation, runAsNonRoot, runAsUser, seccompProfileRestricted, capabilitiesRestricted, procMountRestricted];
