import type { FindingDraft } from '../finding-draft.js';
import { formatSelector, isEmptySelector, selectorMatches } from './label-selector.js';
import { isAnyAddress, type NetworkPolicyModel } from './network-policy.js';
import { policySelects, type NetworkModel } from './network-model.js';

const NAME_FIELD = ['metadata', 'name'];

/** True for a policy that selects every pod of its namespace and allows nothing in a direction. */
function deniesAll(policy: NetworkPolicyModel, direction: 'ingress' | 'egress'): boolean {
  if (!isEmptySelector(policy.podSelector)) return false;
  return direction === 'ingress' ? policy.ingress && policy.ingressRules.length === 0 : policy.egress && policy.egressRules.length === 0;
}

/**
 * Returns the NetworkPolicy findings of a set of manifests: workloads that no policy selects per
 * direction, namespaces without default-deny policies, egress rules open to every address, and
 * selectors that match no workload of the scanned manifests.
 */
export function checkNetworkPolicies(model: NetworkModel): FindingDraft[] {
  const drafts: FindingDraft[] = [];

  for (const workload of model.workloads) {
    const selecting = model.policies.filter((policy) => policySelects(policy, workload));
    for (const direction of ['ingress', 'egress'] as const) {
      if (selecting.some((policy) => policy[direction])) continue;
      drafts.push({
        ruleId: `k8s/netpol-${direction}-unselected`,
        object: workload.object,
        field: NAME_FIELD,
        message: `no NetworkPolicy with policyTypes ${direction === 'ingress' ? 'Ingress' : 'Egress'} selects the pods of ${workload.object.kind} "${workload.object.name}" in namespace "${workload.namespace}", so ${direction} is open`,
      });
    }
  }

  for (const namespace of [...model.namespaces.keys()].sort()) {
    const policies = model.policies.filter((policy) => policy.namespace === namespace);
    const missing = (['ingress', 'egress'] as const).filter((direction) => !policies.some((policy) => deniesAll(policy, direction)));
    if (missing.length === 0) continue;
    const anchor = model.namespaceObjects.get(namespace) ?? model.workloads.find((workload) => workload.namespace === namespace)?.object ?? policies[0]?.object;
    if (anchor === undefined) continue;
    drafts.push({
      ruleId: 'k8s/netpol-no-default-deny',
      object: anchor,
      field: NAME_FIELD,
      message: `namespace "${namespace}" has no default-deny NetworkPolicy for ${missing.join(' and ')} (podSelector: {} with no ${missing.join('/')} rules)`,
    });
  }

  for (const policy of model.policies) {
    for (const rule of policy.egressRules) {
      for (const peer of rule.peers ?? []) {
        if (peer.type !== 'ipBlock' || !isAnyAddress(peer.cidr)) continue;
        const except = peer.except.length === 0 ? '' : ` (except ${peer.except.join(', ')})`;
        drafts.push({ ruleId: 'k8s/netpol-egress-any-ip', object: policy.object, field: [...peer.field, 'ipBlock', 'cidr'], message: `egress is allowed to ${peer.cidr}${except}` });
      }
    }

    // Selectors are judged only against namespaces that have workloads in the scan, because a
    // policy file checked alone shows nothing about the pods it will select.
    const namespaceWorkloads = model.workloads.filter((workload) => workload.namespace === policy.namespace);
    if (namespaceWorkloads.length === 0) continue;
    if (!isEmptySelector(policy.podSelector) && !namespaceWorkloads.some((workload) => selectorMatches(policy.podSelector, workload.labels))) {
      drafts.push({ ruleId: 'k8s/netpol-selector-unmatched', object: policy.object, field: ['spec', 'podSelector'], message: `podSelector ${formatSelector(policy.podSelector)} matches no workload in namespace "${policy.namespace}"` });
    }
    for (const rule of [...policy.ingressRules, ...policy.egressRules]) {
      for (const peer of rule.peers ?? []) {
        if (peer.type !== 'pods' || peer.namespaceSelector !== undefined || peer.podSelector === undefined || isEmptySelector(peer.podSelector)) continue;
        const selector = peer.podSelector;
        if (namespaceWorkloads.some((workload) => selectorMatches(selector, workload.labels))) continue;
        drafts.push({ ruleId: 'k8s/netpol-selector-unmatched', object: policy.object, field: [...peer.field, 'podSelector'], message: `peer podSelector ${formatSelector(selector)} matches no workload in namespace "${policy.namespace}"` });
      }
    }
  }
  return drafts;
}
