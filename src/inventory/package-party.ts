import type { PackageParty } from '../model/package.js';

/** The maximum length of text read, in characters, because metadata is untrusted and longer text names no one. */
const MAX_PARTY_LENGTH = 512;

/**
 * Parses `Name <email>` (dpkg, apk and rpm fields, npm's `author` string, which may end in
 * `(url)`) into a party. A bare address is both name and email. Returns undefined for empty text.
 */
export function parseParty(text: string | undefined, kind: PackageParty['kind']): PackageParty | undefined {
  const trimmed = text?.replace(/\s+/g, ' ').trim().slice(0, MAX_PARTY_LENGTH);
  if (!trimmed) return undefined;
  if (/^[^<>\s@]+@[^<>\s@]+$/.test(trimmed)) return { name: trimmed, email: trimmed, kind };
  const match = /^(.*?)\s*<([^<>]*)>\s*(?:\(.*\))?$/.exec(trimmed);
  if (match === null) return { name: trimmed.replace(/\s*\([^()]*\)$/, '') || trimmed, kind };
  const name = match[1]!.trim();
  const bracketed = match[2]!.trim();
  // `<https://www.suse.com/>` in an rpm Vendor is a web address, not a mail address.
  const email = /^[^\s@]+@[^\s@]+$/.test(bracketed) ? bracketed : undefined;
  if (name === '') return email === undefined ? { name: bracketed, kind } : { name: email, email, kind };
  return email === undefined ? { name, kind } : { name, email, kind };
}
