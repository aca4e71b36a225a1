import type { FindingDraft } from './finding-draft.js';
import { isMap, type FieldPath, type JsonMap } from './k8s-object.js';
import { containersOf, securityContextOf, type ContainerRef, type PodTemplate } from './pod-template.js';

/** Kinds whose pods run to completion, so probes are not expected. */
const BATCH_KINDS = new Set(['Job', 'CronJob']);

export interface SecurityContextCheckOptions {
  /** True when the pod's ServiceAccount, found in the scanned manifests, sets automountServiceAccountToken: false. */
  serviceAccountDisablesToken: boolean;
}

/** Returns the security-context and hygiene findings of one pod and its containers. */
export function checkPodSecurity(pod: PodTemplate, options: SecurityContextCheckOptions): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  const object = pod.object;
  const add = (ruleId: string, field: FieldPath, message: string, container?: string) => {
    const draft: FindingDraft = { ruleId, object, field, message };
    if (container !== undefined) draft.container = container;
    drafts.push(draft);
  };
  const podContext = securityContextOf(pod.spec);
  const podPath = pod.specPath;

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod.spec[key] === true) add(`k8s/host-${key.slice(4).toLowerCase()}`, [...podPath, key], `pod sets ${key}: true`);
  }
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  volumes.forEach((volume: unknown, index) => {
    if (!isMap(volume) || !isMap(volume.hostPath)) return;
    add('k8s/host-path-volume', [...podPath, 'volumes', index, 'hostPath'], `volume "${String(volume.name)}" mounts host path ${JSON.stringify(volume.hostPath.path ?? '')}`);
  });
  if (pod.spec.automountServiceAccountToken !== false && !(pod.spec.automountServiceAccountToken === undefined && options.serviceAccountDisablesToken)) {
    const account = typeof pod.spec.serviceAccountName === 'string' ? pod.spec.serviceAccountName : 'default';
    add('k8s/automount-service-account-token', [...podPath, 'automountServiceAccountToken'], `the token of service account "${account}" is mounted; automountServiceAccountToken is not false`);
  }

  for (const container of containersOf(pod)) checkContainer(container, pod, podContext, add);
  return drafts;
}

function checkContainer(container: ContainerRef, pod: PodTemplate, podContext: JsonMap, add: (ruleId: string, field: FieldPath, message: string, container?: string) => void): void {
  const context = securityContextOf(container.value);
  const contextPath = [...container.path, 'securityContext'];
  const name = container.name;
  const label = `${container.list === 'containers' ? 'container' : container.list.replace(/Containers$/, ' container')} "${name}"`;

  const runAsUser = context.runAsUser ?? podContext.runAsUser;
  const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
  if (runAsNonRoot !== true && !(typeof runAsUser === 'number' && runAsUser > 0)) {
    add('k8s/run-as-non-root', [...contextPath, 'runAsNonRoot'], `${label} does not set runAsNonRoot: true or a non-zero runAsUser`, name);
  }
  if (runAsUser === 0) {
    const field = context.runAsUser === 0 ? [...contextPath, 'runAsUser'] : [...pod.specPath, 'securityContext', 'runAsUser'];
    add('k8s/run-as-user-root', field, `${label} runs as UID 0`, name);
  }
  if (context.privileged === true) add('k8s/privileged', [...contextPath, 'privileged'], `${label} sets privileged: true`, name);
  if (context.allowPrivilegeEscalation !== false) {
    add('k8s/allow-privilege-escalation', [...contextPath, 'allowPrivilegeEscalation'], `${label} does not set allowPrivilegeEscalation: false`, name);
  }
  if (context.readOnlyRootFilesystem !== true) {
    add('k8s/read-only-root-filesystem', [...contextPath, 'readOnlyRootFilesystem'], `${label} does not set readOnlyRootFilesystem: true`, name);
  }

  const capabilities = isMap(context.capabilities) ? context.capabilities : {};
  const drop = Array.isArray(capabilities.drop) ? capabilities.drop.map(String) : [];
  if (!drop.includes('ALL')) add('k8s/drop-all-capabilities', [...contextPath, 'capabilities', 'drop'], `${label} does not drop ALL capabilities`, name);
  const added = (Array.isArray(capabilities.add) ? capabilities.add.map(String) : []).filter((capability) => capability !== 'NET_BIND_SERVICE');
  if (added.length > 0) add('k8s/added-capabilities', [...contextPath, 'capabilities', 'add'], `${label} adds capabilities ${added.join(', ')}`, name);

  const seccomp = isMap(context.seccompProfile) ? context.seccompProfile : isMap(podContext.seccompProfile) ? podContext.seccompProfile : undefined;
  if (seccomp?.type !== 'RuntimeDefault' && seccomp?.type !== 'Localhost') {
    const detail = seccomp === undefined ? 'sets no seccomp profile' : `sets seccomp profile type ${JSON.stringify(seccomp.type ?? '')}`;
    add('k8s/seccomp-profile', [...contextPath, 'seccompProfile', 'type'], `${label} ${detail}; expected RuntimeDefault or Localhost`, name);
  }

  const ports = Array.isArray(container.value.ports) ? container.value.ports : [];
  ports.forEach((port: unknown, index) => {
    if (isMap(port) && typeof port.hostPort === 'number' && port.hostPort !== 0) {
      add('k8s/host-port', [...container.path, 'ports', index, 'hostPort'], `${label} binds host port ${port.hostPort}`, name);
    }
  });

  const image = typeof container.value.image === 'string' ? container.value.image : '';
  if (image !== '' && !isPinned(image)) add('k8s/image-tag-latest', [...container.path, 'image'], `${label} uses image "${image}" without a version tag or digest`, name);

  // Ephemeral containers cannot set resources or probes.
  if (container.list === 'ephemeralContainers') return;
  const limits = isMap(container.value.resources) && isMap(container.value.resources.limits) ? container.value.resources.limits : {};
  const missing = ['cpu', 'memory'].filter((resource) => limits[resource] === undefined || limits[resource] === null);
  if (missing.length > 0) add('k8s/resource-limits', [...container.path, 'resources', 'limits'], `${label} sets no ${missing.join(' or ')} limit`, name);

  if (container.list !== 'containers' || BATCH_KINDS.has(pod.object.kind)) return;
  if (!isMap(container.value.livenessProbe)) add('k8s/liveness-probe', [...container.path, 'livenessProbe'], `${label} has no livenessProbe`, name);
  if (!isMap(container.value.readinessProbe)) add('k8s/readiness-probe', [...container.path, 'readinessProbe'], `${label} has no readinessProbe`, name);
}

/** True for an image reference with a digest or a tag other than `latest`. */
export function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return false;
  const tag = image.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}
