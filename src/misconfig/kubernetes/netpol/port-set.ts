/** Protocols that NetworkPolicy ports can name; TCP is the default. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export type Protocol = (typeof PROTOCOLS)[number];

/** Inclusive port ranges per protocol, sorted and merged. */
export type PortSet = Record<Protocol, Array<[number, number]>>;

export function emptyPorts(): PortSet {
  return { TCP: [], UDP: [], SCTP: [] };
}

export function allPorts(): PortSet {
  return { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };
}

export function isEmptyPorts(set: PortSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 0);
}

export function isAllPorts(set: PortSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 1 && set[protocol][0]![0] === 1 && set[protocol][0]![1] === 65535);
}

function normalize(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = ranges.filter(([start, end]) => start <= end).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export function addRange(set: PortSet, protocol: Protocol, start: number, end: number): void {
  set[protocol] = normalize([...set[protocol], [start, end]]);
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  const result = emptyPorts();
  for (const protocol of PROTOCOLS) result[protocol] = normalize([...a[protocol], ...b[protocol]]);
  return result;
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  const result = emptyPorts();
  for (const protocol of PROTOCOLS) {
    const ranges: Array<[number, number]> = [];
    for (const [startA, endA] of a[protocol]) {
      for (const [startB, endB] of b[protocol]) {
        const start = Math.max(startA, startB);
        const end = Math.min(endA, endB);
        if (start <= end) ranges.push([start, end]);
      }
    }
    result[protocol] = normalize(ranges);
  }
  return result;
}

/** Formats a port set as `TCP/80, TCP/8000-8100, UDP/53`, or `all` for every port of every protocol. */
export function formatPorts(set: PortSet): string {
  if (isAllPorts(set)) return 'all';
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const ranges = set[protocol];
    if (ranges.length === 1 && ranges[0]![0] === 1 && ranges[0]![1] === 65535) parts.push(`${protocol}/all`);
    else for (const [start, end] of ranges) parts.push(start === end ? `${protocol}/${start}` : `${protocol}/${start}-${end}`);
  }
  return parts.join(', ');
}
