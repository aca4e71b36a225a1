import { statSync } from 'node:fs';
import { join } from 'node:path';

import type { AdvisoryRecord } from '../advisory-writer.js';
import { severityFromDebianUrgency } from '../severity.js';
import { listFiles, readFileCapped } from './context.js';
import type { ImportContext } from './context.js';
import { debianEcosystemOf } from './debian-releases.js';

// `[29 Mar 2023] DSA-5380-1 xorg-server - security update`; DTSA dates read `[August 26th, 2005]`.
// Announcements have no package: `[18 Apr 2018] DSA-4205-1 jessie end-of-life`.
const HEADER = /^\[([^\]]+)\]\s+([A-Z]+-[\d-]+)\s+(.*)$/;
// `\t{CVE-2023-1393 CVE-2023-1394}`, indented by a tab or by spaces.
const IDS = /^\s+\{([^}]*)\}\s*$/;
// `\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6`, optionally followed by `(medium)`.
const RELEASE = /^\s+\[([a-z-]+)\]\s+-\s+(\S+)\s+(.*)$/;

/**
 * Imports the Debian security tracker's advisory lists (`data/DSA/list`, `data/DLA/list`,
 * `data/DTSA/list`) from a list file or a directory that contains them. Each advisory block is one
 * record: its CVEs become `related` IDs, and each `[codename] - package version` line an affected
 * range of that source package in that release, fixed in that version. Lines whose version is
 * `<end-of-life>`, `<not-affected>` or another `<…>` marker carry no fix and are left out.
 */
export async function importDebianLists(context: ImportContext, path: string): Promise<void> {
  const files = statSync(path).isDirectory() ? listFiles(path).filter((file) => file.endsWith('/list')) : [path];
  if (files.length === 0) {
    context.skip(path, `no advisory list found; expected ${join(path, 'data', 'DSA', 'list')} or a list file`, 'NOT_FOUND');
    return;
  }
  for (const file of files) {
    importDebianListText(context, file, readFileCapped(file, context.limits).toString('utf8'));
  }
}

/** Imports the text of one list file. */
export function importDebianListText(context: ImportContext, target: string, text: string): void {
  let current: AdvisoryRecord | undefined;
  const flush = (): void => {
    if (current !== undefined) context.store(current);
    current = undefined;
  };

  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.replace(/\s+$/, '');
    const where = `${target}:${index + 1}`;
    if (line === '') continue;

    const header = HEADER.exec(line);
    if (header !== null) {
      flush();
      current = { id: header[2] as string, aliases: [], related: [], references: [], affected: [] };
      current.title = (header[3] as string).trim();
      const published = parseListDate(header[1] as string);
      if (published !== undefined) current.published = published;
      continue;
    }
    if (/^\[/.test(line)) {
      context.report(where, `invalid advisory header ${JSON.stringify(line)}`);
      continue;
    }
    if (current === undefined) {
      context.report(where, 'line outside an advisory block');
      continue;
    }

    const ids = IDS.exec(line);
    if (ids !== null) {
      current.related.push(...(ids[1] as string).split(/\s+/).filter((id) => id !== ''));
      continue;
    }
    const release = RELEASE.exec(line);
    if (release !== null) {
      addReleaseLine(context, where, current, release);
      continue;
    }
    if (/^\s+NOTE:/.test(line)) continue;
    context.report(where, `unrecognized line ${JSON.stringify(line.trim())}`);
  }
  flush();
}

function addReleaseLine(context: ImportContext, where: string, advisory: AdvisoryRecord, match: RegExpExecArray): void {
  const [, codename = '', sourcePackage = '', rest = ''] = match;
  const ecosystem = debianEcosystemOf(codename);
  if (ecosystem === undefined) {
    context.report(where, `unknown Debian release ${JSON.stringify(codename)}`);
    return;
  }

  const remainder = /^(\S+)(?:\s+\(([^)]*)\))?/.exec(rest.trim());
  const version = remainder?.[1] ?? '';
  if (version === '' || version.startsWith('<')) {
    context.ignore(version === '' ? 'no-version' : version);
    return;
  }
  const urgency = remainder?.[2];
  advisory.affected.push({
    ecosystem,
    name: sourcePackage,
    ranges: [[{ introduced: '0' }, { fixed: version }]],
    status: 'affected',
    ...(urgency === undefined ? {} : { severity: severityFromDebianUrgency(urgency) }),
  });
}

/** Returns a list date (`29 Mar 2023`, `August 26th, 2005`) as `YYYY-MM-DD`, or undefined. */
function parseListDate(text: string): string | undefined {
  const time = Date.parse(`${text.replace(/(\d+)(st|nd|rd|th)\b/, '$1')} UTC`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}
