/**
 * Compares strings by UTF-16 code units. Unlike `localeCompare`, the order does not depend on
 * the locale of the machine, so sorted output is the same everywhere.
 */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Orders packages by name, then architecture, then version. */
export function comparePackages(a: { name: string; arch?: string; version: string }, b: { name: string; arch?: string; version: string }): number {
  return compareText(a.name, b.name) || compareText(a.arch ?? '', b.arch ?? '') || compareText(a.version, b.version);
}
