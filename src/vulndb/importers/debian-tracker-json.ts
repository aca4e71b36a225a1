import { errorMessage } from '../../errors.js';
import type { AffectedRecord } from '../advisory-writer.js';
import { severityFromDebianUrgency } from '../severity.js';
import { readFileCapped } from './context.js';
import type { ImportContext } from './context.js';
import { debianEcosystemOf } from './debian-releases.js';
import { isObject } from './osv-record.js';

/**
 * Imports the Debian security tracker's JSON export (https://security-tracker.debian.org/tracker/data/json):
 * `{source package: {CVE: {description, releases: {codename: {status, fixed_version, urgency}}}}}`.
 * Each package and CVE pair is one record, stored under the CVE as advisory ID. Per release:
 * `resolved` with `fixed_version` `0` means never affected, `resolved` with a version is fixed in
 * it, `open` is affected with no fix yet, and `undetermined` is left out and counted.
 */
export async function importDebianTrackerJson(context: ImportContext, path: string): Promise<void> {
  let document: unknown;
  try {
    document = JSON.parse(readFileCapped(path, context.limits).toString('utf8'));
  } catch (error) {
    context.skip(path, `invalid Debian tracker JSON: ${errorMessage(error)}`);
    return;
  }
  importDebianTrackerDocument(context, path, document);
}

/** Imports a parsed tracker JSON document. */
export function importDebianTrackerDocument(context: ImportContext, target: string, document: unknown): void {
  if (!isObject(document)) {
    context.skip(target, 'invalid Debian tracker JSON: expected an object keyed by source package');
    return;
  }

  for (const [sourcePackage, cves] of Object.entries(document)) {
    if (!isObject(cves)) {
      context.skip(`${target} ${sourcePackage}`, 'expected an object keyed by CVE');
      continue;
    }
    for (const [cve, entry] of Object.entries(cves)) {
      const where = `${target} ${sourcePackage} ${cve}`;
      if (!isObject(entry) || !isObject(entry['releases'])) {
        context.skip(where, 'tracker entry lacks `releases`');
        continue;
      }
      const affected = convertReleases(context, where, sourcePackage, entry['releases']);
      const description = typeof entry['description'] === 'string' && entry['description'] !== '' ? entry['description'] : undefined;
      context.store({
        id: cve,
        aliases: [],
        related: [],
        references: [`https://security-tracker.debian.org/tracker/${encodeURIComponent(cve)}`],
        affected,
        ...(description === undefined ? {} : { description }),
      });
    }
  }
}

function convertReleases(context: ImportContext, where: string, sourcePackage: string, releases: Record<string, unknown>): AffectedRecord[] {
  const affected: AffectedRecord[] = [];
  for (const [codename, release] of Object.entries(releases)) {
    const ecosystem = debianEcosystemOf(codename);
    if (ecosystem === undefined) {
      context.report(where, `unknown Debian release ${JSON.stringify(codename)}`);
      continue;
    }
    if (!isObject(release)) continue;

    const status = release['status'];
    const fixedVersion = typeof release['fixed_version'] === 'string' ? release['fixed_version'] : undefined;
    const urgency = typeof release['urgency'] === 'string' ? release['urgency'] : undefined;
    const severity = urgency === undefined ? {} : { severity: severityFromDebianUrgency(urgency) };

    if (status === 'resolved' && fixedVersion === '0') {
      affected.push({ ecosystem, name: sourcePackage, ranges: [], status: 'not-affected' });
    } else if (status === 'resolved' && fixedVersion !== undefined && fixedVersion !== '') {
      affected.push({ ecosystem, name: sourcePackage, ranges: [[{ introduced: '0' }, { fixed: fixedVersion }]], status: 'affected', ...severity });
    } else if (status === 'open') {
      affected.push({ ecosystem, name: sourcePackage, ranges: [[{ introduced: '0' }]], status: 'affected', ...severity });
    } else {
      context.ignore(`status-${String(status)}`);
    }
  }
  return affected;
}
