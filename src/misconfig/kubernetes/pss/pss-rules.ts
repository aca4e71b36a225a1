import type { RuleMetadata } from '../../../model/misconfiguration.js';
import type { Severity } from '../../../model/severity.js';

const PSS_PAGE = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Titles and fixes of the Pod Security Standards controls, keyed by the admission controller's check ID. */
const CONTROLS: Record<string, { severity: Severity; title: string; resolution: string; aliases?: string[] }> = {
  privileged: { severity: 'HIGH', title: 'Privileged containers are disallowed', resolution: 'Remove securityContext.privileged: true.', aliases: ['KSV017'] },
  hostNamespaces: { severity: 'HIGH', title: 'Host namespaces must not be shared', resolution: 'Remove hostNetwork, hostPID and hostIPC.', aliases: ['KSV008', 'KSV009', 'KSV010'] },
  hostPathVolumes: { severity: 'HIGH', title: 'HostPath volumes are forbidden', resolution: 'Replace hostPath volumes with another volume type.', aliases: ['KSV023'] },
  hostPorts: { severity: 'MEDIUM', title: 'Host ports are disallowed', resolution: 'Remove ports[].hostPort.', aliases: ['KSV024'] },
  windowsHostProcess: { severity: 'HIGH', title: 'Windows HostProcess containers are disallowed', resolution: 'Remove securityContext.windowsOptions.hostProcess: true.', aliases: ['KSV103'] },
  capabilities_baseline: { severity: 'MEDIUM', title: 'Only default capabilities may be added', resolution: 'Add only capabilities from the runtime default set (such as NET_BIND_SERVICE, CHOWN, SETUID).', aliases: ['KSV022'] },
  sysctls: { severity: 'MEDIUM', title: 'Only safe sysctls are allowed', resolution: 'Remove sysctls outside the safe set from spec.securityContext.sysctls.', aliases: ['KSV026'] },
  seLinuxOptions: { severity: 'MEDIUM', title: 'Custom SELinux options are forbidden', resolution: 'Leave seLinuxOptions.user and role unset and use a container_t, container_init_t or container_kvm_t type.', aliases: ['KSV025'] },
  appArmorProfile: { severity: 'MEDIUM', title: 'The default AppArmor profile must not be disabled', resolution: 'Use AppArmor profile type RuntimeDefault or Localhost.', aliases: ['KSV002'] },
  procMount_baseline: { severity: 'MEDIUM', title: 'The default /proc masks are required', resolution: 'Remove securityContext.procMount or set it to Default.', aliases: ['KSV027', 'procMount'] },
  seccompProfile_baseline: { severity: 'MEDIUM', title: 'Seccomp must not be set to Unconfined', resolution: 'Set seccompProfile.type to RuntimeDefault or Localhost.', aliases: ['KSV104'] },
  hostProbesAndHostLifecycle: { severity: 'MEDIUM', title: 'Probes and lifecycle handlers must not name a host', resolution: 'Remove host from httpGet and tcpSocket probes and lifecycle handlers.' },
  restrictedVolumes: { severity: 'MEDIUM', title: 'Only restricted volume types are allowed', resolution: 'Use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes.', aliases: ['KSV028'] },
  allowPrivilegeEscalation: { severity: 'MEDIUM', title: 'Privilege escalation must be disallowed', resolution: 'Set securityContext.allowPrivilegeEscalation: false on every container.', aliases: ['KSV001'] },
  runAsNonRoot: { severity: 'MEDIUM', title: 'Containers must run as non-root', resolution: 'Set securityContext.runAsNonRoot: true on the pod or on every container.', aliases: ['KSV012'] },
  runAsUser: { severity: 'MEDIUM', title: 'Containers must not run as UID 0', resolution: 'Set securityContext.runAsUser to a non-zero UID, or leave it unset.', aliases: ['KSV105'] },
  seccompProfile_restricted: { severity: 'MEDIUM', title: 'A seccomp profile must be set', resolution: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.', aliases: ['KSV030'] },
  capabilities_restricted: { severity: 'MEDIUM', title: 'Containers must drop ALL capabilities', resolution: 'Set capabilities.drop: ["ALL"] and add back only NET_BIND_SERVICE.', aliases: ['KSV106'] },
  procMount_restricted: { severity: 'MEDIUM', title: 'The default /proc masks are required', resolution: 'Remove securityContext.procMount or set it to Default.', aliases: ['procMount'] },
};

/** Returns the rule metadata of the `pss/<checkID>` findings, sorted by ID. */
export function pssRules(): RuleMetadata[] {
  return Object.entries(CONTROLS)
    .map(([id, control]) => ({
      id: `pss/${id}`,
      aliases: [...(control.aliases ?? [])].sort(),
      severity: control.severity,
      title: control.title,
      description: `Pod Security Standards control "${id}", checked as the Kubernetes pod-security admission controller checks it.`,
      resolution: control.resolution,
      helpUri: PSS_PAGE,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
