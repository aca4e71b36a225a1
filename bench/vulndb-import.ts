/**
 * Imports every advisory source of the shared vulndata corpus into a fresh DB and prints the
 * record count, the time and the rate. Run it with
 * `node --import tsx bench/vulndb-import.ts [output.sqlite]`.
 * The data folder defaults to ../shared/vulndata; BULWARK_SHARED_DIR overrides the parent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { importSources } from '../src/vulndb/import.js';

const SOURCES = [
  'osv-go',
  'osv-crates',
  'osv-pypi',
  'osv-almalinux',
  'osv-bitnami',
  'osv-npm-malicious',
  'osv-ghsa-npm-sample',
  'osv-oss-fuzz',
  'alpine-secdb',
  'debian-security-tracker',
  'wolfi-advisories',
];

const sharedDir = process.env.BULWARK_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared');
const vulndata = join(sharedDir, 'vulndata');
if (!existsSync(vulndata)) {
  process.stderr.write(`vulndata not found at ${vulndata}; set BULWARK_SHARED_DIR\n`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
const dbPath = process.argv[2] ?? join(scratch, 'vulndb.sqlite');
try {
  const start = performance.now();
  const summary = await importSources(
    dbPath,
    SOURCES.map((folder) => join(vulndata, folder)),
    { mode: 'replace' },
  );
  const seconds = (performance.now() - start) / 1000;

  let total = 0;
  for (const source of summary.sources) {
    total += source.records;
    process.stdout.write(`${source.name.padEnd(40)} ${String(source.records).padStart(7)} records ${String(source.skipped).padStart(4)} skipped\n`);
  }
  process.stdout.write(`total ${total} records in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} records/s\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
