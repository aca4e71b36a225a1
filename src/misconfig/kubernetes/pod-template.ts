import { getIn, isMap, stringMap, type FieldPath, type JsonMap, type K8sObject } from './k8s-object.js';

/** The pod that a workload object runs: a Pod itself, or the pod template of a controller. */
export interface PodTemplate {
  object: K8sObject;
  /** Paths of the pod's metadata and spec in the object. */
  metadataPath: FieldPath;
  specPath: FieldPath;
  /** The pod's labels and annotations (those of the template, not of the controller). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: JsonMap;
}

/**
 * The three container lists of a pod spec, in the order the pod-security admission controller's
 * visitContainers takes them: init containers, containers, ephemeral containers.
 */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export type ContainerList = (typeof CONTAINER_LISTS)[number];

export interface ContainerRef {
  list: ContainerList;
  index: number;
  name: string;
  value: JsonMap;
  /** The container's path in the object (`spec.template.spec.containers[0]`). */
  path: FieldPath;
}

/** The path of the pod template in each kind that has one. */
const TEMPLATE_PATHS: Record<string, FieldPath> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Returns the kinds that run pods, sorted. */
export function workloadKinds(): string[] {
  return Object.keys(TEMPLATE_PATHS).sort();
}

/**
 * Returns the pod of a workload object, or undefined for kinds without a pod template and for
 * objects whose template has no `spec` mapping.
 */
export function podTemplateOf(object: K8sObject): PodTemplate | undefined {
  if (templates.has(object)) return templates.get(object);
  const template = readPodTemplate(object);
  templates.set(object, template);
  return template;
}

/** Pod templates by object, because every check reads them and objects do not change after parsing. */
const templates = new WeakMap<K8sObject, PodTemplate | undefined>();
const containerLists = new WeakMap<PodTemplate, ContainerRef[]>();

function readPodTemplate(object: K8sObject): PodTemplate | undefined {
  const base = TEMPLATE_PATHS[object.kind];
  if (base === undefined) return undefined;
  const specPath = [...base, 'spec'];
  const spec = getIn(object.value, specPath);
  if (!isMap(spec)) return undefined;
  const metadataPath = [...base, 'metadata'];
  const metadata = getIn(object.value, metadataPath);
  return {
    object,
    metadataPath,
    specPath,
    labels: stringMap(isMap(metadata) ? metadata.labels : undefined),
    annotations: stringMap(isMap(metadata) ? metadata.annotations : undefined),
    spec,
  };
}

/** Returns every container, init container and ephemeral container of a pod. */
export function containersOf(pod: PodTemplate): ContainerRef[] {
  const cached = containerLists.get(pod);
  if (cached !== undefined) return cached;
  const containers: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, index) => {
      if (!isMap(item)) return;
      const name = typeof item.name === 'string' ? item.name : `${list}[${index}]`;
      containers.push({ list, index, name, value: item, path: [...pod.specPath, list, index] });
    });
  }
  containerLists.set(pod, containers);
  return containers;
}

/** Returns `securityContext` of a container or pod spec as a map, empty when it is unset. */
export function securityContextOf(holder: JsonMap): JsonMap {
  return isMap(holder.securityContext) ? holder.securityContext : {};
}
