import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';

import { UsageError } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { AdvisoryWriter } from './advisory-writer.js';
import { buildDbAtomically } from './atomic-build.js';
import { importSecdb } from './importers/alpine-secdb.js';
import type { SecdbDistro } from './importers/alpine-secdb.js';
import { DEFAULT_IMPORT_LIMITS, ImportContext, listFiles } from './importers/context.js';
import type { ImportLimits } from './importers/context.js';
import { importDebianLists } from './importers/debian-lists.js';
import { importDebianTrackerJson } from './importers/debian-tracker-json.js';
import { importOsv } from './importers/osv.js';
import { importWolfiAdvisories } from './importers/wolfi-advisories.js';

import { SOURCE_KINDS, type SourceKind } from './source-kind.js';

export { SOURCE_KINDS, type SourceKind };

/** One input of `importSources`, when the path alone is not enough. */
export interface ImportInput {
  path: string;
  /** The format; detected from the file names and content when absent. */
  kind?: SourceKind;
  /** The source name stored in the DB and reported as `dataSource`. Default: `<kind>:<file name>`. */
  name?: string;
  /** The distribution of an `alpine-secdb` input (`wolfi`, `chainguard`); detected when absent. */
  distro?: SecdbDistro;
  /** The origin of the data, such as the download URL. Default: the path. */
  location?: string;
}

/** Options of `importSources`. */
export interface ImportOptions {
  /**
   * `merge` (the default) starts from a copy of the current DB and replaces only the sources
   * being imported, matched by name, so `bulwark db import` can add one feed at a time.
   * `replace` starts from an empty DB.
   */
  mode?: 'merge' | 'replace';
  /** Caps on untrusted input; unset fields keep their defaults. */
  limits?: Partial<ImportLimits>;
  /** The time recorded as import and build time. Default: now. */
  now?: Date;
}

/** The import result of one source. */
export interface SourceSummary {
  name: string;
  kind: SourceKind;
  /** Records stored. */
  records: number;
  /** Records rejected as malformed, each with a diagnostic. */
  skipped: number;
  /** Facts left out on purpose (`git-range`, `<end-of-life>`, `event-detection`), by reason. */
  ignored: Record<string, number>;
  diagnostics: Diagnostic[];
  /** Diagnostics beyond the cap, counted but not kept. */
  droppedDiagnostics: number;
}

export interface ImportSummary {
  sources: SourceSummary[];
}

/**
 * Imports advisory sources into the DB at `dbPath`, atomically: the new DB is built in a
 * temporary file and renamed over the old one, so a failed import leaves the old DB working.
 * Malformed records become diagnostics; a missing input or a cap that is hit fails the import.
 */
export async function importSources(dbPath: string, inputs: Array<string | ImportInput>, options: ImportOptions = {}): Promise<ImportSummary> {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const now = options.now ?? new Date();
  const resolved = inputs.map((input) => resolveInput(typeof input === 'string' ? { path: input } : input));

  const names = new Set<string>();
  for (const input of resolved) {
    if (names.has(input.name)) throw new UsageError(`two inputs have the source name ${JSON.stringify(input.name)}; give each a distinct name`);
    names.add(input.name);
  }

  return buildDbAtomically(dbPath, { mode: options.mode ?? 'merge', now }, async (db) => {
    const sources: SourceSummary[] = [];
    for (const input of resolved) sources.push(await importOne(db, input, limits, now));
    return { sources };
  });
}

async function importOne(db: Database.Database, input: Required<Omit<ImportInput, 'distro'>> & ImportInput, limits: ImportLimits, now: Date): Promise<SourceSummary> {
  db.prepare('DELETE FROM sources WHERE name = ?').run(input.name);
  const sourceId = Number(
    db.prepare('INSERT INTO sources (name, kind, location, imported_at) VALUES (?, ?, ?, ?)').run(input.name, input.kind, input.location, now.toISOString())
      .lastInsertRowid,
  );
  const context = new ImportContext(new AdvisoryWriter(db, sourceId), limits);

  switch (input.kind) {
    case 'osv':
      await importOsv(context, input.path);
      break;
    case 'alpine-secdb':
      await importSecdb(context, input.path, input.distro === undefined ? {} : { distro: input.distro });
      break;
    case 'debian-tracker-json':
      await importDebianTrackerJson(context, input.path);
      break;
    case 'debian-lists':
      await importDebianLists(context, input.path);
      break;
    case 'wolfi-advisories':
      await importWolfiAdvisories(context, input.path);
      break;
  }

  db.prepare('UPDATE sources SET records = ?, skipped = ? WHERE id = ?').run(context.records, context.skipped, sourceId);
  return {
    name: input.name,
    kind: input.kind,
    records: context.records,
    skipped: context.skipped,
    ignored: context.ignored,
    diagnostics: context.diagnostics,
    droppedDiagnostics: context.droppedDiagnostics,
  };
}

function resolveInput(input: ImportInput): Required<Omit<ImportInput, 'distro'>> & ImportInput {
  if (!existsSync(input.path)) throw new UsageError(`import input not found: ${input.path}`);
  const kind = input.kind ?? detectSourceKind(input.path);
  const name = input.name ?? defaultSourceName(kind, input.path);
  return { ...input, kind, name, location: input.location ?? input.path };
}

/** File names that feeds reuse in every folder, so the folder must be part of the source name. */
const GENERIC_NAMES = new Set(['list', 'main', 'community', 'all', 'data', 'json', 'index', 'security', 'vulns', 'advisories']);

/**
 * Names a source after its file, adding the parent folder when the file name is one that feeds reuse
 * (`DSA/list` and `DLA/list`, `v3.20/main.json` and `v3.21/main.json`), so importing both keeps both.
 */
export function defaultSourceName(kind: SourceKind, path: string): string {
  const base = basename(path, extname(path));
  if (!GENERIC_NAMES.has(base.toLowerCase())) return `${kind}:${base}`;
  const parent = basename(dirname(path));
  return `${kind}:${parent === '' || parent === '.' ? base : `${parent}/${base}`}`;
}

/**
 * Detects the format of an input from its name and its first bytes. A directory takes the kind of
 * the first file in it that identifies a format. Throws UsageError when nothing matches.
 */
export function detectSourceKind(path: string): SourceKind {
  if (statSync(path).isDirectory()) {
    for (const file of listFiles(path)) {
      const kind = detectFileKind(file);
      if (kind !== undefined) return kind;
    }
    throw new UsageError(`cannot tell the format of the files in ${path}; pass the kind explicitly (${SOURCE_KINDS.join(', ')})`);
  }
  const kind = detectFileKind(path);
  if (kind === undefined) throw new UsageError(`cannot tell the format of ${path}; pass the kind explicitly (${SOURCE_KINDS.join(', ')})`);
  return kind;
}

function detectFileKind(path: string): SourceKind | undefined {
  const name = basename(path);
  if (/\.zip$/i.test(name)) return 'osv';
  if (name === 'list' && /\/(DSA|DLA|DTSA)\/list$/.test(path)) return 'debian-lists';
  if (name.endsWith('.advisories.yaml')) return 'wolfi-advisories';
  if (!/\.(json|ya?ml)$/i.test(name) || /^(readme|license|index)\b/i.test(name)) return undefined;

  const head = readHead(path, 4096);
  if (/"(distroversion|secfixes)"/.test(head)) return 'alpine-secdb';
  if (/"releases"\s*:/.test(head) && !/"affected"\s*:/.test(head)) return 'debian-tracker-json';
  if (/^\s*schema-version:/m.test(head) && /^advisories:/m.test(head)) return 'wolfi-advisories';
  if (/"?id"?\s*:/.test(head)) return 'osv';
  return undefined;
}

function readHead(path: string, length: number): string {
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
