import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAdvisoryYaml } from './advisory-yaml.js';

import { errorMessage } from '../../errors.js';
import { listFiles, readFileCapped } from './context.js';
import type { ImportContext } from './context.js';
import { convertOsvRecord } from './osv-record.js';
import { readZipEntries } from './zip-entries.js';

const RECORD_FILE = /\.(json|ya?ml)$/i;

/**
 * Imports OSV records from a directory tree of `.json`/`.yaml`/`.yml` files, one record file, or
 * a zip such as OSV's per-ecosystem `all.zip`. A file that contains a JSON array is read as a list of
 * records. Malformed records become diagnostics and the import goes on.
 */
export async function importOsv(context: ImportContext, path: string): Promise<void> {
  if (statSync(path).isDirectory()) {
    for (const file of listFiles(path)) {
      if (!isRecordFile(file)) continue;
      importRecordFile(context, file, readFileCapped(file, context.limits));
    }
    return;
  }

  if (/\.zip$/i.test(path)) {
    for await (const entry of readZipEntries(path, context.limits, isRecordFile)) {
      importRecordFile(context, `${path}!${entry.name}`, entry.content);
    }
    return;
  }

  importRecordFile(context, path, readFileCapped(path, context.limits));
}

function isRecordFile(path: string): boolean {
  return RECORD_FILE.test(path) && !/^(readme|license|index|schema)\b/i.test(basename(path));
}

/** Parses one record file and stores its records. */
export function importRecordFile(context: ImportContext, target: string, content: Buffer): void {
  let parsed: unknown;
  try {
    const text = content.toString('utf8');
    // YAML 1.1 turns OSV timestamps into Date objects, which normalizeTimestamp accepts.
    parsed = /\.json$/i.test(target) ? JSON.parse(text) : parseAdvisoryYaml(text, target);
  } catch (error) {
    context.skip(target, `invalid OSV record: ${errorMessage(error)}`);
    return;
  }

  const records = Array.isArray(parsed) ? parsed : [parsed];
  for (const [index, record] of records.entries()) {
    const where = Array.isArray(parsed) ? `${target}[${index}]` : target;
    const conversion = convertOsvRecord(record);
    if (!conversion.ok) {
      context.skip(where, `invalid OSV record: ${conversion.reason}`);
      continue;
    }
    for (const warning of conversion.warnings) context.report(where, warning);
    if (conversion.gitRanges > 0) context.ignore('git-range', conversion.gitRanges);
    context.store(conversion.advisory);
  }
}
