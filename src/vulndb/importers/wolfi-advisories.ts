import { statSync } from 'node:fs';
import { parseAdvisoryYaml } from './advisory-yaml.js';

import { errorMessage } from '../../errors.js';
import type { AffectedRecord } from '../advisory-writer.js';
import { listFiles, readFileCapped } from './context.js';
import type { ImportContext } from './context.js';
import { isObject, normalizeTimestamp } from './osv-record.js';

/**
 * Imports Wolfi's advisory YAML (`<package>.advisories.yaml`, schema-version 2) from a file or a
 * directory. Each advisory is one record; only its latest event decides its state, as in Wolfi's
 * own secdb generator:
 * - `fixed` is fixed in `data.fixed-version`;
 * - `false-positive-determination` is not affected;
 * - `true-positive-determination`, `pending-upstream-fix` and `fix-not-planned` are affected with no fix;
 * - `detection` is an untriaged scanner hit, stored without an affected row and counted.
 */
export async function importWolfiAdvisories(context: ImportContext, path: string): Promise<void> {
  const files = statSync(path).isDirectory() ? listFiles(path).filter((file) => file.endsWith('.advisories.yaml')) : [path];
  for (const file of files) {
    let document: unknown;
    try {
      document = parseAdvisoryYaml(readFileCapped(file, context.limits).toString('utf8'), file);
    } catch (error) {
      context.skip(file, `invalid Wolfi advisory YAML: ${errorMessage(error)}`);
      continue;
    }
    importWolfiDocument(context, file, document);
  }
}

function importWolfiDocument(context: ImportContext, target: string, document: unknown): void {
  const pkg = isObject(document) && isObject(document['package']) ? document['package'] : undefined;
  const name = pkg?.['name'];
  if (!isObject(document) || typeof name !== 'string' || !Array.isArray(document['advisories'])) {
    context.skip(target, 'invalid Wolfi advisory file: expected `package.name` and an `advisories` list');
    return;
  }

  for (const [index, advisory] of document['advisories'].entries()) {
    const where = `${target} advisories[${index}]`;
    if (!isObject(advisory) || typeof advisory['id'] !== 'string' || !Array.isArray(advisory['events'])) {
      context.skip(where, 'advisory lacks `id` or `events`');
      continue;
    }
    const latest = latestEvent(advisory['events']);
    if (latest === undefined) {
      context.skip(where, 'advisory has no event with a `type`');
      continue;
    }

    const affected = affectedFromEvent(context, where, name, latest);
    const aliases = Array.isArray(advisory['aliases']) ? advisory['aliases'].filter((alias): alias is string => typeof alias === 'string') : [];
    const modified = normalizeTimestamp(latest['timestamp']);
    context.store({
      id: advisory['id'],
      aliases,
      related: [],
      references: [],
      affected: affected === undefined ? [] : [affected],
      ...(modified === undefined ? {} : { modified }),
    });
  }
}

function affectedFromEvent(context: ImportContext, where: string, name: string, event: Record<string, unknown>): AffectedRecord | undefined {
  const data = isObject(event['data']) ? event['data'] : {};
  switch (event['type']) {
    case 'fixed': {
      const fixedVersion = data['fixed-version'];
      if (typeof fixedVersion !== 'string' || fixedVersion === '') {
        context.report(where, '`fixed` event lacks `data.fixed-version`');
        return undefined;
      }
      return { ecosystem: 'wolfi', name, ranges: [[{ introduced: '0' }, { fixed: fixedVersion }]], status: 'affected' };
    }
    case 'false-positive-determination':
      return { ecosystem: 'wolfi', name, ranges: [], status: 'not-affected' };
    case 'true-positive-determination':
    case 'pending-upstream-fix':
    case 'fix-not-planned':
      return { ecosystem: 'wolfi', name, ranges: [[{ introduced: '0' }]], status: 'affected' };
    default:
      context.ignore(`event-${String(event['type'])}`);
      return undefined;
  }
}

/** Returns the event with the latest timestamp; on equal or missing timestamps the later one in the list. */
function latestEvent(events: unknown[]): Record<string, unknown> | undefined {
  let latest: Record<string, unknown> | undefined;
  let latestTime = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    if (!isObject(event) || typeof event['type'] !== 'string') continue;
    const stamp = normalizeTimestamp(event['timestamp']);
    const time = stamp === undefined ? Number.NEGATIVE_INFINITY : Date.parse(stamp);
    if (latest === undefined || time >= latestTime) {
      latest = event;
      latestTime = time;
    }
  }
  return latest;
}
