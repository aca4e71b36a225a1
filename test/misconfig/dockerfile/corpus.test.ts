import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { dockerfileScanner } from '../../../src/misconfig/dockerfile/index.js';
import { EMPTY_SETTINGS } from '../../../src/misconfig/settings.js';
import type { ConfigFile, ConfigFileResult } from '../../../src/misconfig/config-scanner.js';
import { sharedPath } from '../../helpers/shared.js';

const corpus = sharedPath('corpus', 'dockerfiles');

function readCorpus(root: string): ConfigFile[] {
  const files: ConfigFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ path: path.slice(root.length + 1), content: readFileSync(path) });
    }
  };
  walk(root);
  return files;
}

let scanned: Promise<{ files: ConfigFile[]; results: ConfigFileResult[] }> | undefined;

/** Scans the corpus once for all tests of this file, because ShellCheck makes a scan take seconds. */
function scanCorpus(): Promise<{ files: ConfigFile[]; results: ConfigFileResult[] }> {
  scanned ??= (async () => {
    const files = readCorpus(corpus.path);
    return { files, results: await dockerfileScanner.scan(files, { settings: EMPTY_SETTINGS }) };
  })();
  return scanned;
}

test('corpus lints without errors', { skip: corpus.skip }, async () => {
  const { files, results } = await scanCorpus();
  assert.ok(files.length >= 100, `only ${files.length} files in the corpus`);

  assert.equal(results.length, files.length);
  const failures = results.flatMap((result) => result.diagnostics.filter((diagnostic) => diagnostic.code !== 'LIMIT_EXCEEDED').map((diagnostic) => `${diagnostic.target}: ${diagnostic.message}`));
  assert.deepEqual(failures, []);
  const syntaxErrors = results.flatMap((result) => result.misconfigurations.filter((finding) => finding.id === 'BW-DF-0001').map((finding) => `${result.path}:${finding.location?.startLine} ${finding.message}`));
  assert.deepEqual(syntaxErrors, []);

  // ShellCheck timeouts depend on machine load, so they are printed, not failed.
  const timeouts = results.flatMap((result) => result.diagnostics.filter((diagnostic) => diagnostic.code === 'LIMIT_EXCEEDED'));
  if (timeouts.length > 0) console.log('ShellCheck timeouts:', timeouts);

  const counts = new Map<string, number>();
  for (const result of results) for (const finding of result.misconfigurations) counts.set(finding.id, (counts.get(finding.id) ?? 0) + 1);
  console.log(`findings per rule over ${files.length} Dockerfiles:`);
  for (const [id, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${id.padEnd(12)} ${count}`);
  assert.ok((counts.get('BW-DF-3008') ?? 0) > 0);
  assert.ok((counts.get('SC2086') ?? 0) > 0);
});

test('corpus finding lines are inside the file', { skip: corpus.skip }, async () => {
  const { files, results } = await scanCorpus();
  const lineCounts = new Map(files.map((file) => [file.path, file.content.toString('utf8').split('\n').length]));
  for (const result of results) {
    for (const finding of result.misconfigurations) {
      const max = lineCounts.get(result.path) ?? 0;
      assert.ok((finding.location?.startLine ?? 0) >= 1 && (finding.location?.endLine ?? 0) <= max, `${result.path}: ${finding.id} at ${finding.location?.startLine}-${finding.location?.endLine} of ${max}`);
    }
  }
});
