import type { RuleMetadata } from '../../model/misconfiguration.js';
import type { Severity } from '../../model/severity.js';

/**
 * Metadata of the Kubernetes rules that are not Pod Security Standards controls. Aliases are the IDs
 * of the same check in kube-linter (`run-as-non-root`), Polaris (`runAsRootAllowed`) and Trivy
 * (`KSV012`), so that ignore lists written for those tools can be carried over.
 */
function rule(id: string, severity: Severity, aliases: string[], title: string, description: string, resolution: string): RuleMetadata {
  return { id, aliases: [...aliases].sort(), severity, title, description, resolution, helpUri: `https://kubernetes.io/docs/concepts/security/pod-security-standards/` };
}

export const SECURITY_CONTEXT_RULES: readonly RuleMetadata[] = [
  rule('k8s/run-as-non-root', 'MEDIUM', ['run-as-non-root', 'runAsRootAllowed', 'KSV012'], 'Container may run as root',
    'Without runAsNonRoot: true or a non-zero runAsUser, the container runs as whatever user the image names, often root, so a breakout starts with root privileges.',
    'Set securityContext.runAsNonRoot: true (pod or container) and build the image with a non-root USER.'),
  rule('k8s/run-as-user-root', 'MEDIUM', ['KSV105'], 'Container runs with UID 0',
    'runAsUser: 0 runs the container as root and overrides runAsNonRoot checks of the image.',
    'Set securityContext.runAsUser to a non-zero UID.'),
  rule('k8s/allow-privilege-escalation', 'MEDIUM', ['privilege-escalation-container', 'privilegeEscalationAllowed', 'KSV001'], 'Privilege escalation is allowed',
    'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities.',
    'Set securityContext.allowPrivilegeEscalation: false on every container.'),
  rule('k8s/read-only-root-filesystem', 'LOW', ['no-read-only-root-fs', 'notReadOnlyRootFilesystem', 'KSV014'], 'Root filesystem is writable',
    'A writable root filesystem lets an attacker change binaries and configuration inside the container.',
    'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application writes.'),
  rule('k8s/drop-all-capabilities', 'LOW', ['KSV003', 'KSV106'], 'Capabilities are not dropped',
    'Containers get the runtime\'s default capabilities (such as NET_RAW and CHOWN) unless they drop them.',
    'Set securityContext.capabilities.drop: ["ALL"] and add back only what the process needs.'),
  rule('k8s/added-capabilities', 'MEDIUM', ['dangerousCapabilities', 'insecureCapabilities', 'KSV022'], 'Capabilities beyond NET_BIND_SERVICE are added',
    'Added capabilities such as SYS_ADMIN or NET_ADMIN give the container powers close to root on the host.',
    'Remove capabilities from securityContext.capabilities.add; only NET_BIND_SERVICE is needed by ordinary services.'),
  rule('k8s/seccomp-profile', 'MEDIUM', ['KSV030', 'KSV104'], 'No seccomp profile is set',
    'Without a RuntimeDefault or Localhost seccomp profile the container can make every system call, which widens the kernel attack surface.',
    'Set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container.'),
  rule('k8s/privileged', 'HIGH', ['privileged-container', 'runAsPrivileged', 'KSV017'], 'Container is privileged',
    'A privileged container has every capability and access to the host\'s devices; escaping it is trivial.',
    'Remove securityContext.privileged: true, and grant only the specific capability the container needs.'),
  rule('k8s/host-network', 'HIGH', ['host-network', 'hostNetworkSet', 'KSV009'], 'Pod uses the host network',
    'hostNetwork: true lets the pod listen on and sniff every interface of the node and bypass NetworkPolicies.',
    'Remove hostNetwork: true and expose the pod through a Service.'),
  rule('k8s/host-pid', 'HIGH', ['host-pid', 'hostPIDSet', 'KSV010'], 'Pod shares the host PID namespace',
    'hostPID: true lets the pod see and signal every process of the node.',
    'Remove hostPID: true.'),
  rule('k8s/host-ipc', 'HIGH', ['host-ipc', 'hostIPCSet', 'KSV008'], 'Pod shares the host IPC namespace',
    'hostIPC: true lets the pod read shared memory of every process of the node.',
    'Remove hostIPC: true.'),
  rule('k8s/host-path-volume', 'MEDIUM', ['sensitive-host-mounts', 'hostPathSet', 'KSV023'], 'Pod mounts a hostPath volume',
    'A hostPath volume exposes the node\'s filesystem to the pod; a writable one is a path to the host.',
    'Use a persistentVolumeClaim, configMap, secret or emptyDir volume instead of hostPath.'),
  rule('k8s/host-port', 'MEDIUM', ['hostPortSet', 'KSV024'], 'Container binds a host port',
    'A hostPort binds a port on the node\'s interfaces, bypasses NetworkPolicies on some plugins and limits scheduling.',
    'Remove ports[].hostPort and expose the container through a Service.'),
  rule('k8s/image-tag-latest', 'MEDIUM', ['latest-tag', 'tagNotSpecified', 'KSV013'], 'Image tag is not pinned',
    'An image without a tag or with the latest tag can change between pulls, so deployments are not reproducible and may pick up an unreviewed image.',
    'Pin the image to a version tag, or better to a digest (image@sha256:…).'),
  rule('k8s/resource-limits', 'LOW', ['cpuLimitsMissing', 'memoryLimitsMissing', 'unset-cpu-requirements', 'unset-memory-requirements', 'KSV011', 'KSV018'], 'CPU or memory limit is not set',
    'A container without limits can use all CPU and memory of its node and starve other workloads.',
    'Set resources.limits.cpu and resources.limits.memory.'),
  rule('k8s/automount-service-account-token', 'LOW', ['automountServiceAccountToken', 'KSV036'], 'Service account token is mounted',
    'The API token of the service account is mounted into every container unless turned off, so a compromised process can talk to the API server.',
    'Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless the workload calls the Kubernetes API.'),
  rule('k8s/liveness-probe', 'LOW', ['livenessProbeMissing', 'no-liveness-probe'], 'Liveness probe is not set',
    'Without a liveness probe, the kubelet does not restart a container that hangs.',
    'Add a livenessProbe to the container.'),
  rule('k8s/readiness-probe', 'LOW', ['no-readiness-probe', 'readinessProbeMissing'], 'Readiness probe is not set',
    'Without a readiness probe, Services send traffic to the container before it can serve it.',
    'Add a readinessProbe to the container.'),
  rule('k8s/namespace-pss-label', 'LOW', [], 'Namespace does not enforce a Pod Security Standard',
    'Without the pod-security.kubernetes.io/enforce label, the pod-security admission controller applies the cluster default, which is privileged unless configured otherwise.',
    'Label the namespace with pod-security.kubernetes.io/enforce: restricted (or baseline) and pin pod-security.kubernetes.io/enforce-version.'),
];

export const NETWORK_POLICY_RULES: readonly RuleMetadata[] = [
  rule('k8s/netpol-ingress-unselected', 'LOW', [], 'No NetworkPolicy restricts ingress to the workload',
    'Pods that no Ingress policy selects accept connections from every pod in the cluster.',
    'Add a NetworkPolicy that selects the workload with policyTypes: [Ingress], or a default-deny policy in its namespace.'),
  rule('k8s/netpol-egress-unselected', 'LOW', [], 'No NetworkPolicy restricts egress from the workload',
    'Pods that no Egress policy selects can connect anywhere, which helps an attacker move laterally and exfiltrate data.',
    'Add a NetworkPolicy that selects the workload with policyTypes: [Egress], or a default-deny policy in its namespace.'),
  rule('k8s/netpol-no-default-deny', 'MEDIUM', [], 'Namespace has no default-deny NetworkPolicy',
    'Without a policy that selects every pod and allows nothing, each new workload in the namespace starts open.',
    'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] and no rules, then allow traffic per workload.'),
  rule('k8s/netpol-egress-any-ip', 'MEDIUM', [], 'Egress is open to every IP address',
    'An egress rule to 0.0.0.0/0 or ::/0 allows connections to the whole internet and every cluster address.',
    'Name the CIDRs the workload needs, or exclude cluster and metadata ranges with ipBlock.except.'),
  rule('k8s/netpol-selector-unmatched', 'LOW', [], 'NetworkPolicy selector matches no workload',
    'A selector that matches no workload in the scanned manifests often has a typo in a label, so the policy protects nothing.',
    'Fix the labels in the selector, or remove the policy.'),
];
