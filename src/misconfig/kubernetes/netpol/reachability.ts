import type { PolicyPort, PolicyRule } from './network-policy.js';
import { peerMatches, policySelects, type NetworkModel, type Workload } from './network-model.js';
import { addRange, allPorts, emptyPorts, intersectPorts, isEmptyPorts, unionPorts, type PortSet } from './port-set.js';

/** Traffic that NetworkPolicies allow from one workload's pods to another's. */
export interface ReachabilityEdge {
  from: Workload;
  to: Workload;
  ports: PortSet;
}

/** Traffic between a workload and addresses outside the scanned workloads. */
export interface ExternalPeer {
  workload: Workload;
  direction: 'ingress' | 'egress';
  /** A CIDR with its exceptions, or `any` when every address is allowed. */
  peer: string;
  ports: PortSet;
}

export interface Reachability {
  edges: ReachabilityEdge[];
  external: ExternalPeer[];
}

/**
 * Resolves the ports of a rule against the destination workload: numbers and `endPort` ranges as
 * written, named ports through the destination's container ports of the same protocol. A rule
 * without ports allows every port.
 */
export function rulePorts(ports: PolicyPort[] | undefined, destination: Workload | undefined): PortSet {
  if (ports === undefined) return allPorts();
  const set = emptyPorts();
  for (const entry of ports) {
    if (entry.port === undefined) addRange(set, entry.protocol, 1, 65535);
    else if (typeof entry.port === 'number') addRange(set, entry.protocol, entry.port, entry.endPort ?? entry.port);
    else for (const port of destination?.ports ?? []) if (port.name === entry.port && port.protocol === entry.protocol) addRange(set, entry.protocol, port.port, port.port);
  }
  return set;
}

/** Returns the ports on which `to` accepts traffic from `from`. */
export function ingressAllowed(model: NetworkModel, from: Workload, to: Workload): PortSet {
  const policies = model.policies.filter((policy) => policy.ingress && policySelects(policy, to));
  if (policies.length === 0) return allPorts();
  let allowed = emptyPorts();
  for (const policy of policies) {
    for (const rule of policy.ingressRules) {
      if (rule.peers === undefined || rule.peers.some((peer) => peerMatches(peer, policy, from, model))) allowed = unionPorts(allowed, rulePorts(rule.ports, to));
    }
  }
  return allowed;
}

/** Returns the ports on which `from` may open connections to `to`. */
export function egressAllowed(model: NetworkModel, from: Workload, to: Workload): PortSet {
  const policies = model.policies.filter((policy) => policy.egress && policySelects(policy, from));
  if (policies.length === 0) return allPorts();
  let allowed = emptyPorts();
  for (const policy of policies) {
    for (const rule of policy.egressRules) {
      if (rule.peers === undefined || rule.peers.some((peer) => peerMatches(peer, policy, to, model))) allowed = unionPorts(allowed, rulePorts(rule.ports, to));
    }
  }
  return allowed;
}

/**
 * Computes which workloads can reach which, on which ports. A connection needs both the egress
 * policies of the source and the ingress policies of the destination to allow it. A pod that no
 * policy of a direction selects is open in that direction. Pairs with no allowed port are left
 * out. Also lists the external peers (`any` or ipBlocks) each workload accepts from or may connect to.
 */
export function computeReachability(model: NetworkModel): Reachability {
  const edges: ReachabilityEdge[] = [];
  for (const from of model.workloads) {
    for (const to of model.workloads) {
      const ports = intersectPorts(egressAllowed(model, from, to), ingressAllowed(model, from, to));
      if (!isEmptyPorts(ports)) edges.push({ from, to, ports });
    }
  }

  const external: ExternalPeer[] = [];
  for (const workload of model.workloads) {
    for (const direction of ['ingress', 'egress'] as const) {
      const policies = model.policies.filter((policy) => (direction === 'ingress' ? policy.ingress : policy.egress) && policySelects(policy, workload));
      if (policies.length === 0) {
        external.push({ workload, direction, peer: 'any', ports: allPorts() });
        continue;
      }
      const byPeer = new Map<string, PortSet>();
      const add = (peer: string, ports: PortSet) => byPeer.set(peer, unionPorts(byPeer.get(peer) ?? emptyPorts(), ports));
      for (const policy of policies) {
        for (const rule of (direction === 'ingress' ? policy.ingressRules : policy.egressRules) as PolicyRule[]) {
          // Named ports of egress rules name the destination pod's ports, so they match no external address.
          const ports = rulePorts(rule.ports, direction === 'ingress' ? workload : undefined);
          if (isEmptyPorts(ports)) continue;
          if (rule.peers === undefined) add('any', ports);
          for (const peer of rule.peers ?? []) {
            if (peer.type === 'ipBlock') add(peer.except.length === 0 ? peer.cidr : `${peer.cidr} except ${peer.except.join(', ')}`, ports);
          }
        }
      }
      for (const [peer, ports] of [...byPeer].sort((a, b) => a[0].localeCompare(b[0]))) external.push({ workload, direction, peer, ports });
    }
  }
  return { edges, external };
}
