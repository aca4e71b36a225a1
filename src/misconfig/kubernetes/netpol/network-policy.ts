import { isIP } from 'node:net';

import { isMap, type FieldPath, type K8sObject } from '../k8s-object.js';
import { parseSelector, type LabelSelector } from './label-selector.js';
import { PROTOCOLS, type Protocol } from './port-set.js';

/** A peer of a NetworkPolicy rule. */
export type PolicyPeer =
  | {
      type: 'pods';
      /** Absent: pods of the policy's own namespace. */
      namespaceSelector?: LabelSelector;
      /** Absent: every pod of the selected namespaces. */
      podSelector?: LabelSelector;
      field: FieldPath;
    }
  | { type: 'ipBlock'; cidr: string; except: string[]; field: FieldPath };

export interface PolicyPort {
  protocol: Protocol;
  /** A number, a container port name, or absent for every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyRule {
  /** `undefined` when the rule has no `from`/`to` (or an empty list), which allows every peer. */
  peers: PolicyPeer[] | undefined;
  /** `undefined` when the rule has no `ports` (or an empty list), which allows every port. */
  ports: PolicyPort[] | undefined;
  field: FieldPath;
}

export interface NetworkPolicyModel {
  object: K8sObject;
  namespace: string;
  podSelector: LabelSelector;
  /** The effective policyTypes, with the API server's defaults applied. */
  ingress: boolean;
  egress: boolean;
  ingressRules: PolicyRule[];
  egressRules: PolicyRule[];
  /** Fields that the API server would reject, with the reason. */
  problems: Array<{ field: FieldPath; message: string }>;
}

/**
 * Reads a networking.k8s.io/v1 NetworkPolicy. `policyTypes` defaults as the API server sets it:
 * Ingress always, Egress when the policy has at least one egress rule.
 */
export function parseNetworkPolicy(object: K8sObject, defaultNamespace: string): NetworkPolicyModel {
  const spec = isMap(object.value.spec) ? object.value.spec : {};
  const problems: NetworkPolicyModel['problems'] = [];
  const ingressRules = parseRules(spec.ingress, 'ingress', 'from', problems);
  const egressRules = parseRules(spec.egress, 'egress', 'to', problems);

  let ingress = true;
  let egress = egressRules.length > 0;
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) {
    ingress = spec.policyTypes.includes('Ingress');
    egress = spec.policyTypes.includes('Egress');
  }
  return {
    object,
    namespace: object.namespace ?? defaultNamespace,
    podSelector: parseSelector(spec.podSelector),
    ingress,
    egress,
    ingressRules,
    egressRules,
    problems,
  };
}

function parseRules(value: unknown, direction: 'ingress' | 'egress', peerKey: 'from' | 'to', problems: NetworkPolicyModel['problems']): PolicyRule[] {
  if (!Array.isArray(value)) return [];
  return value.map((rule: unknown, index) => {
    const field: FieldPath = ['spec', direction, index];
    const body = isMap(rule) ? rule : {};
    const peerList = Array.isArray(body[peerKey]) ? (body[peerKey] as unknown[]) : [];
    const portList = Array.isArray(body.ports) ? (body.ports as unknown[]) : [];
    return {
      peers: peerList.length === 0 ? undefined : peerList.map((peer, position) => parsePeer(peer, [...field, peerKey, position], problems)),
      ports: portList.length === 0 ? undefined : portList.map((port, position) => parsePort(port, [...field, 'ports', position], problems)),
      field,
    };
  });
}

function parsePeer(value: unknown, field: FieldPath, problems: NetworkPolicyModel['problems']): PolicyPeer {
  const peer = isMap(value) ? value : {};
  if (isMap(peer.ipBlock)) {
    const cidr = String(peer.ipBlock.cidr ?? '');
    if (!isCidr(cidr)) problems.push({ field: [...field, 'ipBlock', 'cidr'], message: `invalid CIDR ${JSON.stringify(cidr)}; the API server rejects this policy, so write an address with a prefix length, such as 10.0.0.0/8` });
    const except = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except.map(String) : [];
    except.forEach((entry, index) => {
      if (!isCidr(entry)) problems.push({ field: [...field, 'ipBlock', 'except', index], message: `invalid CIDR ${JSON.stringify(entry)}; the API server rejects this policy, so write an address with a prefix length, such as 10.0.0.0/24` });
    });
    return { type: 'ipBlock', cidr, except, field };
  }
  const result: PolicyPeer = { type: 'pods', field };
  if (peer.namespaceSelector !== undefined && peer.namespaceSelector !== null) result.namespaceSelector = parseSelector(peer.namespaceSelector);
  if (peer.podSelector !== undefined && peer.podSelector !== null) result.podSelector = parseSelector(peer.podSelector);
  if (result.namespaceSelector === undefined && result.podSelector === undefined) {
    problems.push({ field, message: 'peer sets none of podSelector, namespaceSelector and ipBlock' });
  }
  return result;
}

function parsePort(value: unknown, field: FieldPath, problems: NetworkPolicyModel['problems']): PolicyPort {
  const entry = isMap(value) ? value : {};
  const protocol = (entry.protocol ?? 'TCP') as Protocol;
  const port: PolicyPort = { protocol: PROTOCOLS.includes(protocol) ? protocol : 'TCP' };
  if (!PROTOCOLS.includes(protocol)) problems.push({ field: [...field, 'protocol'], message: `unknown protocol ${JSON.stringify(entry.protocol)}; expected TCP, UDP or SCTP` });
  if (typeof entry.port === 'number' || typeof entry.port === 'string') port.port = entry.port;
  if (typeof entry.endPort === 'number') {
    if (typeof entry.port !== 'number') problems.push({ field: [...field, 'endPort'], message: 'endPort needs a numeric port; the API server rejects this policy, and endPort was ignored here' });
    else if (entry.endPort < entry.port) problems.push({ field: [...field, 'endPort'], message: `endPort ${entry.endPort} is below port ${entry.port}; the API server rejects this policy, and endPort was ignored here` });
    else port.endPort = entry.endPort;
  }
  return port;
}

/** True for an IPv4 or IPv6 CIDR such as `10.0.0.0/8`. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const family = isIP(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** True for a CIDR that covers every address of its family: `0.0.0.0/0` or `::/0`. */
export function isAnyAddress(cidr: string): boolean {
  return isCidr(cidr) && cidr.endsWith('/0');
}
