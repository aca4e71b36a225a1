import type { FieldPath, JsonMap } from '../k8s-object.js';
import type { PodTemplate } from '../pod-template.js';
import { containers, containersPhrase, joinQuote, pluralize, securityContext, sortedUnique, type PssCheck, type PssViolation } from './pss-check.js';

/** Capabilities that baseline lets containers add: the container runtime's defaults. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

const always = () => true;

function violation(reason: string, detail: string, fields: FieldPath[]): PssViolation {
  return { reason, detail, fields };
}

/** Runs `visit` on the security context of every container that has one. */
function eachContainerContext(pod: PodTemplate, visit: (context: JsonMap, name: string, path: FieldPath) => void): void {
  for (const container of containers(pod)) {
    const context = securityContext(container.value);
    if (context !== undefined) visit(context, container.name, [...container.path, 'securityContext']);
  }
}

const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const names: string[] = [];
    const fields: FieldPath[] = [];
    eachContainerContext(pod, (context, name, path) => {
      if (context.privileged === true) { names.push(name); fields.push([...path, 'privileged']); }
    });
    return names.length === 0 ? undefined : violation('privileged', `${containersPhrase(names)} must not set securityContext.privileged=true`, fields);
  },
};

const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((key) => pod.spec[key] === true);
    return set.length === 0 ? undefined : violation('host namespaces', set.map((key) => `${key}=true`).join(', '), set.map((key) => [...pod.specPath, key]));
  },
};

const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const names: string[] = [];
    const fields: FieldPath[] = [];
    volumes(pod).forEach((volume, index) => {
      if (volume.hostPath !== undefined && volume.hostPath !== null) { names.push(String(volume.name)); fields.push([...pod.specPath, 'volumes', index, 'hostPath']); }
    });
    return names.length === 0 ? undefined : violation('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, fields);
  },
};

const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const names: string[] = [];
    const ports: string[] = [];
    const fields: FieldPath[] = [];
    for (const container of containers(pod)) {
      const list = Array.isArray(container.value.ports) ? container.value.ports : [];
      let bad = false;
      list.forEach((port: unknown, index) => {
        const hostPort = (port as JsonMap | null)?.hostPort;
        if (typeof hostPort === 'number' && hostPort !== 0) { bad = true; ports.push(String(hostPort)); fields.push([...container.path, 'ports', index, 'hostPort']); }
      });
      if (bad) names.push(container.name);
    }
    if (names.length === 0) return undefined;
    const unique = sortedUnique(ports);
    return violation('hostPort', `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`, fields);
  },
};

const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const setters: string[] = [];
    const fields: FieldPath[] = [];
    const podContext = securityContext(pod.spec);
    if ((podContext?.windowsOptions as JsonMap | undefined)?.hostProcess === true) { setters.push('pod'); fields.push([...pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess']); }
    const names: string[] = [];
    eachContainerContext(pod, (context, name, path) => {
      if ((context.windowsOptions as JsonMap | undefined)?.hostProcess === true) { names.push(name); fields.push([...path, 'windowsOptions', 'hostProcess']); }
    });
    if (names.length > 0) setters.push(containersPhrase(names));
    return setters.length === 0 ? undefined : violation('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, fields);
  },
};

const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const names: string[] = [];
    const forbidden: string[] = [];
    const fields: FieldPath[] = [];
    eachContainerContext(pod, (context, name, path) => {
      const add = (context.capabilities as JsonMap | undefined)?.add;
      if (!Array.isArray(add)) return;
      let bad = false;
      add.forEach((capability: unknown, index) => {
        if (!BASELINE_CAPABILITIES.has(String(capability))) { bad = true; forbidden.push(String(capability)); fields.push([...path, 'capabilities', 'add', index]); }
      });
      if (bad) names.push(name);
    });
    return names.length === 0 ? undefined : violation('non-default capabilities', `${containersPhrase(names)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`, fields);
  },
};

const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod, version) {
    const list = securityContext(pod.spec)?.sysctls;
    if (!Array.isArray(list)) return undefined;
    const forbidden: string[] = [];
    const fields: FieldPath[] = [];
    list.forEach((sysctl: unknown, index) => {
      const name = String((sysctl as JsonMap | null)?.name ?? '');
      if (!version.allowedSysctls.has(name)) { forbidden.push(name); fields.push([...pod.specPath, 'securityContext', 'sysctls', index, 'name']); }
    });
    return forbidden.length === 0 ? undefined : violation('forbidden sysctls', forbidden.join(', '), fields);
  },
};

const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  appliesTo: always,
  evaluate(pod) {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const fields: FieldPath[] = [];
    const valid = (options: unknown, path: FieldPath): boolean => {
      if (options === null || typeof options !== 'object') return true;
      const { type = '', user = '', role = '' } = options as JsonMap;
      let ok = true;
      if (!SELINUX_TYPES.has(String(type))) { ok = false; badTypes.add(String(type)); fields.push([...path, 'type']); }
      if (String(user).length > 0) { ok = false; setUser = true; fields.push([...path, 'user']); }
      if (String(role).length > 0) { ok = false; setRole = true; fields.push([...path, 'role']); }
      return ok;
    };
    const setters: string[] = [];
    if (!valid(securityContext(pod.spec)?.seLinuxOptions, [...pod.specPath, 'securityContext', 'seLinuxOptions'])) setters.push('pod');
    const names: string[] = [];
    eachContainerContext(pod, (context, name, path) => {
      if (!valid(context.seLinuxOptions, [...path, 'seLinuxOptions'])) names.push(name);
    });
    if (names.length > 0) setters.push(containersPhrase(names));
    if (setters.length === 0) return undefined;
    const details: string[] = [];
    if (badTypes.size > 0) details.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedUnique(badTypes))}`);
    if (setUser) details.push('user may not be set');
    if (setRole) details.push('role may not be set');
    return violation('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${details.join('; ')}`, fields);
  },
};

/** Returns the pod's volumes that are mappings. */
export function volumes(pod: PodTemplate): JsonMap[] {
  const list = pod.spec.volumes;
  return Array.isArray(list) ? list.map((volume: unknown) => (volume !== null && typeof volume === 'object' ? (volume as JsonMap) : {})) : [];
}

export const BASELINE_CHECKS_HOST: readonly PssCheck[] = [privileged, hostNamespaces, hostPathVolumes, hostPorts, windowsHostProcess, capabilitiesBaseline, sysctls, seLinuxOptions];
