import type { Command } from 'commander';

import { UsageError } from '../errors.js';
import { resolveCacheDir } from '../scan/cache-dir.js';
import { vulnDbPath } from '../scan/detect-vulnerabilities.js';
import type { ImportSummary } from '../vulndb/import.js';
import { SOURCE_KINDS, type SourceKind } from '../vulndb/source-kind.js';
import type { UpdateSourceUrl } from '../vulndb/update.js';

interface DbFlags {
  cacheDir?: string;
  quiet?: boolean;
}

/** Adds `db update`, `db import` and `db status`. */
export function addDbCommands(program: Command, setExitCode: (code: number) => void): void {
  const db = program.command('db').description('manage the local vulnerability DB');

  db.command('update')
    .description('download the advisory feeds and rebuild the DB; a failed update keeps the previous DB')
    .option('--cache-dir <dir>', 'cache directory holding the DB')
    .option('--source <kind=url...>', `feed to download instead of the defaults, repeatable; kind is one of ${SOURCE_KINDS.join(', ')}`)
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (raw: DbFlags & { source?: string[] }) => {
      const { DEFAULT_UPDATE_URLS, updateDb } = await import('../vulndb/update.js');
      const urls = raw.source === undefined ? DEFAULT_UPDATE_URLS : raw.source.map(parseSourceFlag);
      const result = await updateDb({
        cacheDir: resolveCacheDir(raw.cacheDir),
        urls,
        onRetry: (event) => {
          if (!raw.quiet) process.stderr.write(`WARN ${JSON.stringify(event)}\n`);
        },
      });
      if (!raw.quiet) printSummary(result.summary, result.dbPath);
      setExitCode(0);
    });

  db.command('import')
    .description('build the DB from local files: OSV records (directories, JSON, YAML, all.zip), Alpine secdb JSON, Debian tracker JSON or DSA/DLA lists')
    .argument('<path...>', 'files or directories to import')
    .option('--cache-dir <dir>', 'cache directory holding the DB')
    .option('--kind <kind>', `format of every path (default: detected); one of ${SOURCE_KINDS.join(', ')}`)
    .option('--replace', 'start from an empty DB instead of replacing only the imported sources')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (paths: string[], raw: DbFlags & { kind?: string; replace?: boolean }) => {
      const kind = raw.kind === undefined ? undefined : parseKind(raw.kind);
      const dbPath = vulnDbPath(resolveCacheDir(raw.cacheDir));
      const { importSources } = await import('../vulndb/import.js');
      const summary = await importSources(
        dbPath,
        paths.map((path) => (kind ? { path, kind } : path)),
        { mode: raw.replace ? 'replace' : 'merge' },
      );
      if (!raw.quiet) printSummary(summary, dbPath);
      setExitCode(0);
    });

  db.command('status')
    .description('show the DB sources, record counts, build time and age')
    .option('--cache-dir <dir>', 'cache directory holding the DB')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (raw: DbFlags & { format: string }) => {
      const { dbStatus } = await import('../vulndb/status.js');
      const status = dbStatus(vulnDbPath(resolveCacheDir(raw.cacheDir)));
      if (raw.format === 'json') {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      } else if (raw.format === 'table') {
        const days = status.ageMs === undefined ? 'unknown' : (status.ageMs / 86_400_000).toFixed(1);
        process.stdout.write(`DB: ${status.path}\nSchema version: ${status.schemaVersion}\nBuilt: ${status.builtAt ?? 'unknown'} (${days} days ago)\nAdvisories: ${status.advisoryCount}\n`);
        process.stdout.write('Sources:\n');
        for (const source of status.sources) {
          process.stdout.write(`  ${source.name}  ${source.records} records, ${source.skipped} skipped, imported ${source.importedAt} from ${source.location}\n`);
        }
        if (status.isStale) process.stderr.write('WARN the DB is older than 5 days; run `bulwark db update`\n');
      } else {
        throw new UsageError(`unknown --format "${raw.format}": use table or json`);
      }
      setExitCode(0);
    });
}

function parseKind(text: string): SourceKind {
  if (!(SOURCE_KINDS as readonly string[]).includes(text)) throw new UsageError(`unknown source kind "${text}": use one of ${SOURCE_KINDS.join(', ')}`);
  return text as SourceKind;
}

function parseSourceFlag(text: string): UpdateSourceUrl {
  const equals = text.indexOf('=');
  if (equals < 0) throw new UsageError(`invalid --source "${text}": use KIND=URL, for example osv=https://example.org/Go/all.zip`);
  const kind = parseKind(text.slice(0, equals));
  const url = text.slice(equals + 1);
  if (!/^https?:\/\//.test(url)) throw new UsageError(`invalid --source URL "${url}": use an http or https URL`);
  const name = `${kind}:${new URL(url).host}${new URL(url).pathname}`;
  return { name, kind, url };
}

function printSummary(summary: ImportSummary, dbPath: string): void {
  for (const source of summary.sources) {
    process.stderr.write(`${source.name}: ${source.records} records, ${source.skipped} skipped\n`);
    for (const diagnostic of source.diagnostics.slice(0, 5)) process.stderr.write(`  WARN ${diagnostic.target}: ${diagnostic.message}\n`);
    if (source.diagnostics.length > 5 || source.droppedDiagnostics > 0) {
      process.stderr.write(`  … ${source.diagnostics.length - 5 + source.droppedDiagnostics} more warnings\n`);
    }
  }
  process.stderr.write(`DB written to ${dbPath}\n`);
}
