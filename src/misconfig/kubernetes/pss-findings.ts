import { BulwarkError, errorMessage } from '../../errors.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { FindingDraft } from './finding-draft.js';
import type { K8sObject } from './k8s-object.js';
import { containersOf, type PodTemplate } from './pod-template.js';
import { evaluatePod } from './pss/pss-evaluate.js';
import { parsePssLevel, pssVersion, type PssCapabilities, type PssLevel } from './pss/pss-version.js';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** The level and version that pods of a namespace are checked against. */
export interface PssPolicy {
  level: PssLevel;
  version: PssCapabilities;
}

/**
 * Returns the Pod Security Standards policy of a namespace: the level and version from the
 * settings when they are set, else from the `pod-security.kubernetes.io/enforce` and
 * `enforce-version` labels of the Namespace object in the scanned manifests. Undefined when
 * neither names a level. A bad label value becomes a diagnostic.
 */
export function pssPolicyFor(options: { level?: PssLevel; version?: PssCapabilities; namespace?: K8sObject; diagnostics: Diagnostic[] }): PssPolicy | undefined {
  const labels = options.namespace?.labels ?? {};
  let level = options.level;
  if (level === undefined && labels[ENFORCE_LABEL] !== undefined) {
    level = parsePssLevel(labels[ENFORCE_LABEL]);
    if (level === undefined) {
      options.diagnostics.push({ target: options.namespace!.path, code: 'FORMAT_INVALID', message: `Namespace "${options.namespace!.name}": invalid ${ENFORCE_LABEL} label "${labels[ENFORCE_LABEL]}"; expected privileged, baseline or restricted` });
    }
  }
  if (level === undefined) return undefined;

  let version = options.version;
  if (version === undefined) {
    try {
      version = pssVersion(labels[ENFORCE_VERSION_LABEL] ?? 'latest');
    } catch (error) {
      if (!(error instanceof BulwarkError)) throw error;
      options.diagnostics.push({ target: options.namespace!.path, code: 'FORMAT_INVALID', message: `Namespace "${options.namespace!.name}": ${errorMessage(error)}; checking against latest` });
      version = pssVersion('latest');
    }
  }
  return { level, version };
}

/** Returns one `pss/<checkID>` finding per control that the pod violates at the policy's level and version. */
export function checkPodSecurityStandards(pod: PodTemplate, policy: PssPolicy): FindingDraft[] {
  const containers = containersOf(pod);
  return evaluatePod(pod, policy.level, policy.version).map(({ check, violation }) => {
    const field = violation.fields[0] ?? pod.specPath;
    const draft: FindingDraft = {
      ruleId: `pss/${check.id}`,
      object: pod.object,
      field,
      message: `violates PodSecurity "${policy.level}:${policy.version.version}": ${violation.reason} (${violation.detail})`,
    };
    const owner = containers.find((container) => container.path.every((part, index) => field[index] === part));
    if (owner !== undefined) draft.container = owner.name;
    return draft;
  });
}
