import type { AdvisoryRecord, AffectedRecord, RangeEvent } from '../advisory-writer.js';
import { normalizeEcosystem, normalizePackageName } from '../ecosystem.js';
import { scoreCvssVector, severityFromCvss, severityFromGhsa } from '../severity.js';
import type { CvssScore } from '../severity.js';

/** The result of converting one OSV record: an advisory, or the reason it was skipped. */
export type OsvConversion =
  | { ok: true; advisory: AdvisoryRecord; gitRanges: number; warnings: string[] }
  | { ok: false; reason: string };

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/**
 * Converts one parsed OSV record (from JSON or YAML) into an advisory. Malformed parts that do not
 * stop the record (an event with no version, an unscorable vector) become warnings. GIT ranges
 * name commits, not versions, so they are counted and dropped. A record without an `id` or with
 * no usable `affected` entry is skipped with a reason.
 */
export function convertOsvRecord(value: unknown): OsvConversion {
  if (!isObject(value)) return { ok: false, reason: 'the record is not an object' };
  const id = value['id'];
  if (typeof id !== 'string' || id.trim() === '') return { ok: false, reason: 'the record has no `id`' };

  const warnings: string[] = [];
  let gitRanges = 0;
  const affected: AffectedRecord[] = [];
  const affectedList = Array.isArray(value['affected']) ? value['affected'] : [];

  for (const [index, entry] of affectedList.entries()) {
    if (!isObject(entry) || !isObject(entry['package'])) {
      warnings.push(`affected[${index}] has no \`package\``);
      continue;
    }
    const ecosystemName = entry['package']['ecosystem'];
    const packageName = entry['package']['name'];
    if (typeof ecosystemName !== 'string' || typeof packageName !== 'string' || packageName === '') {
      warnings.push(`affected[${index}].package lacks \`ecosystem\` or \`name\``);
      continue;
    }

    const ecosystem = normalizeEcosystem(ecosystemName);
    const ranges: RangeEvent[][] = [];
    for (const range of Array.isArray(entry['ranges']) ? entry['ranges'] : []) {
      if (!isObject(range)) continue;
      if (range['type'] === 'GIT') {
        gitRanges += 1;
        continue;
      }
      const events = convertEvents(range['events'], warnings, `${id} affected[${index}]`);
      if (events.length > 0) ranges.push(events);
    }

    const versions = Array.isArray(entry['versions'])
      ? entry['versions'].filter((version): version is string => typeof version === 'string' && version !== '')
      : [];
    if (ranges.length === 0 && versions.length === 0) continue;

    affected.push({
      ecosystem,
      name: normalizePackageName(ecosystem, packageName),
      ranges,
      ...(versions.length > 0 ? { versions } : {}),
      status: 'affected',
    });
  }

  const cvss = convertSeverities(value['severity'], warnings, id);
  const databaseSpecific = isObject(value['database_specific']) ? value['database_specific'] : {};
  const ghsaSeverity = severityFromGhsa(databaseSpecific['severity']);
  const computed = severityFromCvss(cvss);
  // RustSec writes `informational` per affected entry; other databases may write it at the top level.
  const informational = [databaseSpecific['informational'], ...affectedList.map((entry) => (isObject(entry) && isObject(entry['database_specific']) ? entry['database_specific']['informational'] : undefined))].find(
    (kind) => typeof kind === 'string' && kind !== '',
  );

  const advisory: AdvisoryRecord = {
    id,
    aliases: stringList(value['aliases']),
    related: stringList(value['related']),
    references: referenceUrls(value['references']),
    affected,
  };
  const title = optionalString(value['summary']);
  if (title !== undefined) advisory.title = title;
  const description = optionalString(value['details']);
  if (description !== undefined) advisory.description = description;
  if (ghsaSeverity !== undefined) {
    advisory.severity = ghsaSeverity;
    advisory.severitySource = 'ghsa';
  } else if (computed !== undefined) {
    advisory.severity = computed.severity;
    advisory.severitySource = computed.source;
  }
  if (cvss !== undefined) advisory.cvss = cvss;
  const published = normalizeTimestamp(value['published']);
  if (published !== undefined) advisory.published = published;
  const modified = normalizeTimestamp(value['modified']);
  if (modified !== undefined) advisory.modified = modified;
  const withdrawn = normalizeTimestamp(value['withdrawn']);
  if (withdrawn !== undefined) advisory.withdrawn = withdrawn;
  if (typeof informational === 'string') advisory.informational = informational;

  return { ok: true, advisory, gitRanges, warnings };
}

/**
 * Converts the events of one range. An event with an empty version (`"fixed": ""`, an old GHSA
 * export bug) is dropped with a warning, so it can never read as "fixed in every version".
 */
function convertEvents(events: unknown, warnings: string[], where: string): RangeEvent[] {
  const result: RangeEvent[] = [];
  if (!Array.isArray(events)) return result;
  for (const event of events) {
    if (!isObject(event)) continue;
    for (const key of EVENT_KEYS) {
      const version = event[key];
      if (version === undefined) continue;
      if (typeof version !== 'string' || version.trim() === '') {
        warnings.push(`${where}: dropped the \`${key}\` event with an empty version`);
        continue;
      }
      result.push({ [key]: version.trim() });
    }
  }
  return result;
}

/** Scores the CVSS vectors of `severity[]`, keyed by CVSS version. */
function convertSeverities(severity: unknown, warnings: string[], id: string): Record<string, CvssScore> | undefined {
  if (!Array.isArray(severity)) return undefined;
  const result: Record<string, CvssScore> = {};
  for (const entry of severity) {
    if (!isObject(entry) || typeof entry['score'] !== 'string') continue;
    const type = entry['type'];
    if (type !== 'CVSS_V2' && type !== 'CVSS_V3' && type !== 'CVSS_V4') continue;
    const scored = scoreCvssVector(entry['score']);
    if (scored === undefined) {
      warnings.push(`${id}: cannot score the ${type} vector ${JSON.stringify(entry['score'])}`);
      continue;
    }
    result[scored.version] = scored.score;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A YAML datetime with a space before the time, as PyPI's advisory files write it. */
const YAML_DATETIME = /^\d{4}-\d{2}-\d{2} +\d{1,2}:\d{2}:\d{2}(\.\d+)?( *(Z|[+-]\d{1,2}(:\d{2})?))?$/;

/**
 * Returns a timestamp as an RFC 3339 string. A YAML datetime string or a Date object (from a YAML
 * loader) becomes UTC with millisecond precision. The zero date (`0001-01-01T00:00:00Z`, which
 * golang/vulndb's git copy writes) means unknown.
 */
export function normalizeTimestamp(value: unknown): string | undefined {
  let text: string | undefined;
  if (value instanceof Date) text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  else if (typeof value === 'string' && value.trim() !== '') text = value.trim();
  if (text === undefined || text.startsWith('0001-01-01')) return undefined;
  if (YAML_DATETIME.test(text)) {
    const [date, ...rest] = text.split(/ +/);
    const time = rest.join('');
    const parsed = new Date(`${date}T${/(Z|[+-]\d{1,2}(:\d{2})?)$/.test(time) ? time : `${time}Z`}`);
    if (!Number.isNaN(parsed.getTime())) return parsed.toISOString();
  }
  return text;
}

function referenceUrls(references: unknown): string[] {
  if (!Array.isArray(references)) return [];
  const urls = new Set<string>();
  for (const reference of references) {
    if (isObject(reference) && typeof reference['url'] === 'string') urls.add(reference['url']);
  }
  return [...urls];
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item !== '');
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
