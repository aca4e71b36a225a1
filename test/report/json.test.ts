import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ScanReport } from '../../src/model/report.js';
import { filterReport } from '../../src/report/filter.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { toJsonReport, writeJson } from '../../src/report/json.js';
import type { Report } from '../../src/report/types.js';
import { PROJECT_ROOT } from '../helpers/shared.js';
import { sampleConfigReport, sampleReport } from './fixtures.js';

// ajv-formats is CommonJS: under ESM its plugin function is the module's default export.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'report.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function assertValid(json: string): void {
  const valid = validate(JSON.parse(json));
  assert.equal(valid, true, ajv.errorsText(validate.errors, { separator: '\n' }));
}

/** Returns a copy of the list in a different order, chosen by a seeded generator. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function shuffleReport(report: Report, seed: number): Report {
  return {
    ...report,
    artifact: { ...report.artifact, repoTags: shuffled(report.artifact.repoTags ?? [], seed) },
    results: shuffled(report.results, seed).map((result) => ({
      ...result,
      packages: shuffled(result.packages ?? [], seed + 1),
      vulnerabilities: shuffled(result.vulnerabilities ?? [], seed + 2).map((vulnerability) => ({
        ...vulnerability,
        aliases: shuffled(vulnerability.aliases, seed + 3),
      })),
      ...(result.suppressed ? { suppressed: shuffled(result.suppressed, seed + 4) } : {}),
    })),
    errors: shuffled(report.errors, seed + 5),
  };
}

function filteredSample(): Report {
  const ignore = parseIgnoreFile('CVE-2010-4756 # disputed upstream\n* pkg:zlib exp:2020-01-01\nCVE-2020-28500\n', { file: '.bulwarkignore' });
  return filterReport(sampleReport(), { ignore, now: new Date('2024-06-01T00:00:00Z') });
}

test('json unfiltered report matches schema', () => {
  assertValid(writeJson(sampleReport()));
});

test('json filtered report matches schema', () => {
  const json = writeJson(filteredSample());
  assertValid(json);
  const parsed = JSON.parse(json) as { filter: { counts: { ignored: number }; expiredRules: unknown[] } };
  assert.equal(parsed.filter.counts.ignored, 2);
  assert.equal(parsed.filter.expiredRules.length, 1);
});

test('json minimal report matches schema', () => {
  const minimal: ScanReport = { schemaVersion: 1, artifact: { name: '.', type: 'filesystem' }, results: [], errors: [] };
  const json = writeJson(minimal);
  assertValid(json);
  assert.equal(json, '{\n  "schemaVersion": 1,\n  "artifact": {\n    "name": ".",\n    "type": "filesystem"\n  },\n  "results": [],\n  "errors": []\n}\n');
});

test('json schema rejects an unknown field', () => {
  const document = toJsonReport(sampleReport()) as { results: Array<Record<string, unknown>> };
  document.results[0]!.severityCounts = { HIGH: 1 };
  assert.equal(validate(document), false);
});

test('json schema rejects an invalid severity', () => {
  const report = sampleReport();
  report.results[0]!.vulnerabilities![0]!.severity = 'SEVERE' as never;
  assert.equal(validate(JSON.parse(writeJson(report))), false);
});

test('json shuffled input gives identical bytes', () => {
  const expected = writeJson(sampleReport());
  for (const seed of [1, 7, 42, 1234, 99991]) {
    assert.equal(writeJson(shuffleReport(sampleReport(), seed)), expected, `seed ${seed}`);
  }
});

test('json shuffled filtered input gives identical bytes', () => {
  const expected = writeJson(filteredSample());
  for (const seed of [3, 17, 2024]) {
    assert.equal(writeJson(shuffleReport(filteredSample(), seed)), expected, `seed ${seed}`);
  }
});

test('json results sorted by class then target', () => {
  const parsed = JSON.parse(writeJson(sampleReport())) as { results: Array<{ class: string; target: string }> };
  assert.deepEqual(
    parsed.results.map((result) => `${result.class} ${result.target}`),
    ['os-pkgs debian', 'lang-pkgs app/package-lock.json', 'lang-pkgs usr/local/bin/caddy'],
  );
});

test('json vulnerabilities sorted by package then id', () => {
  const parsed = JSON.parse(writeJson(sampleReport())) as { results: Array<{ vulnerabilities: Array<{ pkgName: string; id: string }> }> };
  assert.deepEqual(
    parsed.results[0]!.vulnerabilities.map((vulnerability) => `${vulnerability.pkgName} ${vulnerability.id}`),
    ['libc6 CVE-2010-4756', 'libssl3 CVE-2023-5678', 'libssl3 CVE-2024-0727', 'openssl CVE-2024-0727', 'zlib1g CVE-2023-45853'],
  );
});

test('json packages sorted by name', () => {
  const parsed = JSON.parse(writeJson(sampleReport())) as { results: Array<{ packages: Array<{ name: string }> }> };
  assert.deepEqual(
    parsed.results[1]!.packages.map((pkg) => pkg.name),
    ['express', 'jest', 'lodash', 'minimist'],
  );
});

test('json field order is fixed', () => {
  const parsed = JSON.parse(writeJson(sampleReport())) as Record<string, unknown> & {
    artifact: Record<string, unknown>;
    results: Array<{ vulnerabilities: Array<Record<string, unknown>> }>;
  };
  assert.deepEqual(Object.keys(parsed), ['schemaVersion', 'artifact', 'db', 'results', 'errors']);
  assert.deepEqual(Object.keys(parsed.artifact), ['name', 'type', 'digest', 'imageId', 'repoTags', 'os', 'layers']);
  assert.deepEqual(Object.keys(parsed.results[0]!.vulnerabilities[0]!), [
    'id',
    'aliases',
    'pkgName',
    'installedVersion',
    'status',
    'severity',
    'severitySource',
    'title',
    'dataSource',
    'purl',
  ]);
});

test('json keeps layer order', () => {
  const report = sampleReport();
  report.artifact.layers = [...report.artifact.layers!].reverse();
  const parsed = JSON.parse(writeJson(report)) as { artifact: { layers: Array<{ digest: string }> } };
  assert.deepEqual(
    parsed.artifact.layers.map((layer) => layer.digest),
    ['sha256:aa22', 'sha256:aa11'],
  );
});

test('json output ends with one newline', () => {
  const json = writeJson(sampleReport());
  assert.equal(json.endsWith('}\n'), true);
  assert.equal(json.endsWith('\n\n'), false);
  assert.equal(json.split('\n')[1], '  "schemaVersion": 1,');
});

interface JsonConfigResult {
  target: string;
  class: string;
  type: string;
  misconfigurations: Array<Record<string, unknown> & { id: string; location?: { path: string; startLine: number } }>;
  suppressedMisconfigurations?: Array<{ ruleId: string; misconfiguration: { id: string } }>;
}

test('json config report matches schema', () => {
  const json = writeJson(sampleConfigReport());
  assertValid(json);
  const parsed = JSON.parse(json) as { artifact: { type: string }; results: JsonConfigResult[]; rules?: unknown };
  assert.equal(parsed.artifact.type, 'config');
  assert.equal(parsed.rules, undefined);
});

test('json lists clean config files', () => {
  const parsed = JSON.parse(writeJson(sampleConfigReport())) as { results: JsonConfigResult[] };
  assert.deepEqual(
    parsed.results.map((result) => `${result.class} ${result.type} ${result.target} ${result.misconfigurations.length}`),
    ['config kubernetes deploy/web.yaml 2', 'config dockerfile services/api/Dockerfile 3', 'config dockerfile services/worker/Dockerfile 0'],
  );
});

test('json misconfigurations sorted by line', () => {
  const parsed = JSON.parse(writeJson(sampleConfigReport())) as { results: JsonConfigResult[] };
  const dockerfile = parsed.results.find((result) => result.target === 'services/api/Dockerfile')!;
  assert.deepEqual(
    dockerfile.misconfigurations.map((entry) => `${entry.location!.startLine} ${entry.id}`),
    ['5 dockerfile/apt-pin-versions', '14 SC2086', '18 dockerfile/root-user'],
  );
});

test('json misconfiguration field order', () => {
  const parsed = JSON.parse(writeJson(sampleConfigReport())) as { results: JsonConfigResult[] };
  const privileged = parsed.results[0]!.misconfigurations.find((entry) => entry.id === 'pss/privileged')!;
  assert.deepEqual(Object.keys(privileged), ['id', 'aliases', 'severity', 'title', 'message', 'location', 'object', 'resolution', 'references']);
  assert.deepEqual(privileged.object, {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    container: 'web',
    fieldPath: 'spec.template.spec.containers[0].securityContext.privileged',
  });
  assert.deepEqual(privileged.location, { path: 'deploy/web.yaml', startLine: 31, endLine: 31, startColumn: 13 });
});

test('json shuffled config input gives identical bytes', () => {
  const expected = writeJson(sampleConfigReport());
  for (const seed of [5, 77, 31337]) {
    const report = sampleConfigReport();
    const shuffledReport = {
      ...report,
      results: shuffled(report.results, seed).map((result) => ({ ...result, misconfigurations: shuffled(result.misconfigurations ?? [], seed + 1) })),
    };
    assert.equal(writeJson(shuffledReport), expected, `seed ${seed}`);
  }
});

test('json suppressed misconfigurations match schema', () => {
  const ignore = parseIgnoreFile('DL3008 # pinned by the snapshot mirror\n', { file: '.bulwarkignore' });
  const json = writeJson(filterReport(sampleConfigReport(), { ignore, now: new Date('2024-06-01T00:00:00Z') }));
  assertValid(json);
  const parsed = JSON.parse(json) as { results: JsonConfigResult[]; filter: { counts: { ignored: number } } };
  const dockerfile = parsed.results.find((result) => result.target === 'services/api/Dockerfile')!;
  assert.deepEqual(
    dockerfile.suppressedMisconfigurations?.map((entry) => `${entry.ruleId} ${entry.misconfiguration.id}`),
    ['DL3008 dockerfile/apt-pin-versions'],
  );
  assert.equal(parsed.filter.counts.ignored, 1);
});

test('json schema rejects misconfiguration without message', () => {
  const document = toJsonReport(sampleConfigReport()) as { results: Array<{ misconfigurations: Array<Record<string, unknown>> }> };
  delete document.results[0]!.misconfigurations[0]!.message;
  assert.equal(validate(document), false);
});

test('json schema rejects line zero', () => {
  const report = sampleConfigReport();
  report.results[0]!.misconfigurations![0]!.location!.startLine = 0;
  assert.equal(validate(JSON.parse(writeJson(report))), false);
});

test('json schema accepts timeout diagnostic', () => {
  const report = sampleConfigReport();
  report.errors.push({ target: 'services/api/Dockerfile:14', message: 'shellcheck timed out after 10 s; the RUN script was not checked', code: 'TIMEOUT' });
  assertValid(writeJson(report));
});

test('json config result always lists misconfigurations', () => {
  const report = sampleConfigReport();
  delete report.results.find((result) => result.target === 'services/worker/Dockerfile')!.misconfigurations;
  const document = toJsonReport(report) as { results: Array<Record<string, unknown>> };
  assert.deepEqual(document.results.find((result) => result.target === 'services/worker/Dockerfile')!.misconfigurations, []);
  assert.equal(validate(document), true);
  delete document.results[0]!.misconfigurations;
  assert.equal(validate(document), false);
});
