import { statSync } from 'node:fs';

import { errorMessage } from '../../errors.js';
import type { AffectedRecord } from '../advisory-writer.js';
import { isObject } from './osv-record.js';
import { listFiles, readFileCapped } from './context.js';
import type { ImportContext } from './context.js';

/** The distributions that publish Alpine-style secdb JSON. */
export type SecdbDistro = 'alpine' | 'wolfi' | 'chainguard';

export interface SecdbImportOptions {
  /** The distribution; detected from `urlprefix` when absent (`wolfi.dev`, `cgr.dev`, else Alpine). */
  distro?: SecdbDistro;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
// Other schemes seen in secdb: XSA-207, ALPINE-14094, GHSA-…, RUSTSEC-…, ZDI-CAN-22300, wnpa-sec-2017-18.
const OTHER_ID = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/;

/**
 * Imports secdb JSON files (one per branch and repository, such as `v3.18/main.json`) from a file
 * or a directory tree. Each `secfixes` key is one record: the apk version that fixed the listed IDs
 * in the origin package. The key `"0"` means that the package was never affected on this
 * distribution, so it becomes a `not-affected` row. An entry may contain several IDs separated by
 * whitespace. Each token must look like an advisory ID, and a token that does not
 * (`CVE_2019-2426`) gets a diagnostic.
 */
export async function importSecdb(context: ImportContext, path: string, options: SecdbImportOptions = {}): Promise<void> {
  const files = statSync(path).isDirectory() ? listFiles(path).filter((file) => file.endsWith('.json')) : [path];
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse(readFileCapped(file, context.limits).toString('utf8'));
    } catch (error) {
      context.skip(file, `invalid secdb JSON: ${errorMessage(error)}`);
      continue;
    }
    importSecdbDocument(context, file, document, options);
  }
}

/** Imports one parsed secdb document. */
export function importSecdbDocument(context: ImportContext, target: string, document: unknown, options: SecdbImportOptions = {}): void {
  if (!isObject(document) || !Array.isArray(document['packages'])) {
    context.skip(target, 'invalid secdb document: expected an object with a `packages` array');
    return;
  }
  const distro = options.distro ?? detectDistro(document);
  const ecosystem = secdbEcosystem(distro, document['distroversion']);
  if (ecosystem === undefined) {
    context.skip(target, `invalid secdb document: \`distroversion\` ${JSON.stringify(document['distroversion'])} is not a branch such as v3.18 or edge`);
    return;
  }

  for (const [index, item] of document['packages'].entries()) {
    const pkg = isObject(item) ? item['pkg'] : undefined;
    if (!isObject(pkg) || typeof pkg['name'] !== 'string' || !isObject(pkg['secfixes'])) {
      context.skip(`${target} packages[${index}]`, 'secdb package entry lacks `pkg.name` or `pkg.secfixes`');
      continue;
    }
    const name = pkg['name'];
    for (const [fixedVersion, ids] of Object.entries(pkg['secfixes'])) {
      importFix(context, `${target} ${name} ${fixedVersion}`, { ecosystem, name, fixedVersion, ids });
    }
  }
}

function importFix(context: ImportContext, where: string, fix: { ecosystem: string; name: string; fixedVersion: string; ids: unknown }): void {
  if (!Array.isArray(fix.ids)) {
    context.skip(where, 'secfixes value is not a list of IDs');
    return;
  }

  // Each string names one flaw. A second ID in the same string (`CVE-2017-2887 TALOS-2017-0394`)
  // is another name for it, so the IDs of one string become each other's aliases.
  const flaws: string[][] = [];
  for (const entry of fix.ids) {
    if (typeof entry !== 'string') continue;
    const ids: string[] = [];
    for (const token of entry.split(/\s+/)) {
      if (token === '') continue;
      if (isAdvisoryId(token)) ids.push(token);
      else context.report(where, `ignored ${JSON.stringify(token)}: not an advisory ID`);
    }
    if (ids.length > 0) flaws.push(ids);
  }
  if (flaws.length === 0) {
    context.skip(where, 'secfixes entry has no valid advisory ID');
    return;
  }

  const neverAffected = fix.fixedVersion === '0';
  const affected: AffectedRecord = neverAffected
    ? { ecosystem: fix.ecosystem, name: fix.name, ranges: [], status: 'not-affected' }
    : { ecosystem: fix.ecosystem, name: fix.name, ranges: [[{ introduced: '0' }, { fixed: fix.fixedVersion }]], status: 'affected' };

  for (const ids of flaws) {
    for (const id of ids) {
      // Two CVEs in one string are treated as two flaws, because a flaw normally has one CVE ID.
      const cveCount = ids.filter((other) => CVE_ID.test(other)).length;
      const aliases = cveCount > 1 ? [] : ids.filter((other) => other !== id);
      context.writer.write({ id, aliases, related: [], references: [], affected: [affected] });
    }
  }
  context.records += 1;
}

function isAdvisoryId(token: string): boolean {
  if (token.toUpperCase().startsWith('CVE')) return CVE_ID.test(token);
  return OTHER_ID.test(token);
}

function detectDistro(document: Record<string, unknown>): SecdbDistro {
  const prefix = typeof document['urlprefix'] === 'string' ? document['urlprefix'] : '';
  if (prefix.includes('wolfi.dev')) return 'wolfi';
  if (prefix.includes('cgr.dev')) return 'chainguard';
  return 'alpine';
}

/** Returns the DB ecosystem of a secdb file: `alpine:3.18`, `alpine:edge`, `wolfi`, `chainguard`. */
function secdbEcosystem(distro: SecdbDistro, distroversion: unknown): string | undefined {
  if (distro !== 'alpine') return distro;
  if (typeof distroversion !== 'string') return undefined;
  if (distroversion === 'edge') return 'alpine:edge';
  const match = /^v?(\d+\.\d+)$/.exec(distroversion);
  return match === null ? undefined : `alpine:${match[1]}`;
}
