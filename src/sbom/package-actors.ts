import type { PackageHash, PackageParty } from '../model/package.js';

/** SPDX 2.3 checksum algorithm names by CycloneDX name. */
const SPDX_ALGORITHMS: Record<PackageHash['algorithm'], string> = { MD5: 'MD5', 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-512': 'SHA512' };
const CYCLONEDX_ALGORITHMS = new Map(Object.entries(SPDX_ALGORITHMS).map(([cyclonedx, spdx]) => [spdx, cyclonedx as PackageHash['algorithm']]));

/** Formats a party as `Name <email>`, the form of CycloneDX's `author` and of Debian fields. */
export function partyText(party: PackageParty): string {
  return party.email === undefined || party.email === party.name ? party.name : `${party.name} <${party.email}>`;
}

/** Formats a party as an SPDX 2.3 actor: `Person: Name (email)` or `Organization: Name (email)`. */
export function spdxActor(party: PackageParty): string {
  const kind = party.kind === 'organization' ? 'Organization' : 'Person';
  // Parentheses end the name in this syntax, so they cannot stay inside it.
  const name = party.name.replace(/[()]/g, '');
  return party.email === undefined ? `${kind}: ${name}` : `${kind}: ${name} (${party.email})`;
}

/** Reads an SPDX actor (`Person: Jane (jane@example.com)`). Returns undefined for NOASSERTION, tools and other text. */
export function parseSpdxActor(text: unknown): PackageParty | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(Person|Organization|Tool):\s*(.*?)\s*(?:\(([^()]*)\))?\s*$/.exec(text.trim());
  if (match === null || match[1] === 'Tool' || match[2] === '') return undefined;
  const party: PackageParty = { name: match[2]!, kind: match[1] === 'Organization' ? 'organization' : 'person' };
  if (match[3] !== undefined && match[3].trim() !== '') party.email = match[3].trim();
  return party;
}

/** Returns the SPDX name of a hash algorithm. */
export function spdxAlgorithm(algorithm: PackageHash['algorithm']): string {
  return SPDX_ALGORITHMS[algorithm];
}

/** Returns the CycloneDX name of an SPDX checksum algorithm, or undefined for one Bulwark does not model. */
export function algorithmFromSpdx(algorithm: unknown): PackageHash['algorithm'] | undefined {
  return typeof algorithm === 'string' ? CYCLONEDX_ALGORITHMS.get(algorithm) : undefined;
}

/** True for a hash value that is hex of the algorithm's length, the form both formats require. */
export function isHashValue(algorithm: PackageHash['algorithm'], value: unknown): value is string {
  const length = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128 }[algorithm];
  return typeof value === 'string' && value.length === length && /^[0-9a-fA-F]+$/.test(value);
}
