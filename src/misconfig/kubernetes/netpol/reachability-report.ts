import { formatPorts, PROTOCOLS, type PortSet } from './port-set.js';
import type { Reachability } from './reachability.js';

/** The JSON shape of `bulwark netpol --format json`. */
export interface ReachabilityJson {
  workloads: string[];
  connections: Array<{ from: string; to: string; ports: string; portRanges: PortSet }>;
  external: Array<{ workload: string; direction: 'ingress' | 'egress'; peer: string; ports: string; portRanges: PortSet }>;
}

function ranges(set: PortSet): PortSet {
  const copy = {} as PortSet;
  for (const protocol of PROTOCOLS) copy[protocol] = set[protocol].map(([start, end]) => [start, end]);
  return copy;
}

/** Returns the reachability as plain data, with workloads named `namespace/Kind/name`, in a stable order. */
export function reachabilityToJson(reachability: Reachability, workloadIds: readonly string[]): ReachabilityJson {
  return {
    workloads: [...workloadIds].sort(),
    connections: reachability.edges
      .map((edge) => ({ from: edge.from.id, to: edge.to.id, ports: formatPorts(edge.ports), portRanges: ranges(edge.ports) }))
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    external: reachability.external
      .map((peer) => ({ workload: peer.workload.id, direction: peer.direction, peer: peer.peer, ports: formatPorts(peer.ports), portRanges: ranges(peer.ports) }))
      .sort((a, b) => a.workload.localeCompare(b.workload) || a.direction.localeCompare(b.direction) || a.peer.localeCompare(b.peer)),
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Formats the reachability as two plain-text tables: connections between workloads, and external peers. */
export function reachabilityToTable(json: ReachabilityJson): string {
  const parts: string[] = [];
  parts.push(`Connections between workloads (${json.connections.length}):`);
  parts.push(json.connections.length === 0 ? '  none' : table(['FROM', 'TO', 'PORTS'], json.connections.map((edge) => [edge.from, edge.to, edge.ports])));
  parts.push('');
  parts.push(`External peers (${json.external.length}):`);
  parts.push(json.external.length === 0 ? '  none' : table(['WORKLOAD', 'DIRECTION', 'PEER', 'PORTS'], json.external.map((peer) => [peer.workload, peer.direction, peer.peer, peer.ports])));
  return `${parts.join('\n')}\n`;
}
