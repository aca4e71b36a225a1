import type { K8sObject } from '../k8s-object.js';
import { containersOf, podTemplateOf } from '../pod-template.js';
import { selectorMatches } from './label-selector.js';
import { parseNetworkPolicy, type NetworkPolicyModel, type PolicyPeer } from './network-policy.js';
import { PROTOCOLS, type Protocol } from './port-set.js';

/** The namespace that objects without `metadata.namespace` land in, as kubectl applies them by default. */
export const DEFAULT_NAMESPACE = 'default';

/** The label that the API server puts on every namespace (since Kubernetes 1.21). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** A set of pods: one workload object and the labels its pods carry. */
export interface Workload {
  object: K8sObject;
  /** `namespace/Kind/name`, unique within a scan. */
  id: string;
  namespace: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
}

export interface NetworkModel {
  workloads: Workload[];
  /** Labels of every namespace that a workload, policy or Namespace object names. */
  namespaces: Map<string, Record<string, string>>;
  /** Namespace objects found in the manifests, by name. */
  namespaceObjects: Map<string, K8sObject>;
  policies: NetworkPolicyModel[];
}

/**
 * Builds the network view of a set of manifests: workloads with their pod labels and container
 * ports, namespaces with their labels, and NetworkPolicies. Objects without a namespace go to
 * `defaultNamespace`, as with `kubectl apply` in the default context.
 */
export function buildNetworkModel(objects: readonly K8sObject[], defaultNamespace: string = DEFAULT_NAMESPACE): NetworkModel {
  const model: NetworkModel = { workloads: [], namespaces: new Map(), namespaceObjects: new Map(), policies: [] };
  const touch = (namespace: string) => {
    if (!model.namespaces.has(namespace)) model.namespaces.set(namespace, { [NAMESPACE_NAME_LABEL]: namespace });
  };

  for (const object of objects) {
    if (object.kind === 'Namespace' && object.name !== '') {
      model.namespaceObjects.set(object.name, object);
      model.namespaces.set(object.name, { ...object.labels, [NAMESPACE_NAME_LABEL]: object.name });
    }
  }
  const workloads = new Map<string, Workload>();
  const policies = new Map<string, NetworkModel['policies'][number]>();
  for (const object of objects) {
    // extensions/v1beta1 served NetworkPolicy with the same spec until Kubernetes 1.16.
    if (object.kind === 'NetworkPolicy' && (object.apiVersion.startsWith('networking.k8s.io/') || object.apiVersion === 'extensions/v1beta1')) {
      const policy = parseNetworkPolicy(object, defaultNamespace);
      policies.set(`${policy.namespace}/${object.name}`, policy);
      touch(policy.namespace);
      continue;
    }
    const pod = podTemplateOf(object);
    if (pod === undefined) continue;
    const namespace = object.namespace ?? defaultNamespace;
    touch(namespace);
    const ports: ContainerPort[] = [];
    for (const container of containersOf(pod)) {
      if (container.list !== 'containers' || !Array.isArray(container.value.ports)) continue;
      for (const entry of container.value.ports as unknown[]) {
        if (entry === null || typeof entry !== 'object') continue;
        const { containerPort, name, protocol = 'TCP' } = entry as Record<string, unknown>;
        if (typeof containerPort !== 'number' || !PROTOCOLS.includes(protocol as Protocol)) continue;
        const port: ContainerPort = { port: containerPort, protocol: protocol as Protocol };
        if (typeof name === 'string') port.name = name;
        ports.push(port);
      }
    }
    const id = `${namespace}/${object.kind}/${object.name}`;
    workloads.set(id, { object, id, namespace, labels: pod.labels, ports });
  }
  // The same object in several files (a base and a rendered release) counts once: the last one read
  // wins, as when `kubectl apply` takes the files in order.
  model.workloads = [...workloads.values()].sort((a, b) => a.id.localeCompare(b.id));
  model.policies = [...policies.values()];
  return model;
}

/** True when a policy selects the workload's pods. */
export function policySelects(policy: NetworkPolicyModel, workload: Workload): boolean {
  return policy.namespace === workload.namespace && selectorMatches(policy.podSelector, workload.labels);
}

/**
 * True when a pod peer of a policy's rule matches the workload: a podSelector alone looks in the
 * policy's namespace, a namespaceSelector alone takes every pod of the matching namespaces, and
 * both together take matching pods in matching namespaces. ipBlock peers never match pods here,
 * because manifests do not say which IP addresses pods get.
 */
export function peerMatches(peer: PolicyPeer, policy: NetworkPolicyModel, workload: Workload, model: NetworkModel): boolean {
  if (peer.type === 'ipBlock') return false;
  const namespaceLabels = model.namespaces.get(workload.namespace) ?? { [NAMESPACE_NAME_LABEL]: workload.namespace };
  const namespaceOk = peer.namespaceSelector === undefined ? workload.namespace === policy.namespace : selectorMatches(peer.namespaceSelector, namespaceLabels);
  return namespaceOk && (peer.podSelector === undefined || selectorMatches(peer.podSelector, workload.labels));
}
