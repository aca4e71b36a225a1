import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BulwarkError } from '../../src/errors.js';
import type { ScanReport } from '../../src/model/report.js';
import { filterReport } from '../../src/report/filter.js';
import { createFormatRegistry } from '../../src/report/format.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { SARIF_SOURCE_ROOT, artifactUri, writeSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { sharedPath } from '../helpers/shared.js';
import { sampleConfigReport, sampleReport } from './fixtures.js';

// ajv-formats is CommonJS: under ESM its plugin function is the module's default export.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const sarifSchema = sharedPath('schemas', 'sarif-schema-2.1.0.json');

let validator: ValidateFunction | undefined;

/**
 * Compiles the official SARIF 2.1.0 schema once. The schema declares JSON Schema draft-04, which
 * Ajv 8 does not ship, so it is compiled as draft-07 without its `$schema` and `id` keywords. For
 * this schema the two drafts validate alike: its `$ref`s are all local and it uses no boolean
 * `exclusiveMinimum` or `exclusiveMaximum`, the draft-04 forms that draft-07 changed.
 */
function sarifValidator(): ValidateFunction {
  if (validator !== undefined) return validator;
  const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(sarifSchema.path, 'utf8')) as Record<string, unknown>;
  assert.equal(JSON.stringify(schema).includes('"exclusiveMinimum":true'), false);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}

function assertValidSarif(text: string): void {
  const validate = sarifValidator();
  const valid = validate(JSON.parse(text));
  assert.equal(valid, true, JSON.stringify(validate.errors, null, 2));
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; precision: string; 'security-severity': string; aliases?: string[] };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; endLine?: number; startColumn?: number; endColumn?: number };
    };
    logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
  properties?: Record<string, string>;
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version?: string; rules: SarifRule[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    automationDetails?: { id: string };
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications: Array<{ level: string; message: { text: string }; descriptor: { id: string } }>;
    }>;
    results: SarifResult[];
    properties: Record<string, unknown>;
  }>;
}

function parse(report: Report, options: Parameters<typeof writeSarif>[1] = {}): SarifLog {
  return JSON.parse(writeSarif(report, options)) as SarifLog;
}

/** Returns the image sample with a CVSS 3.1 and a 4.0 score on the lodash template injection. */
function imageReportWithCvss(): ScanReport {
  const report = sampleReport();
  const lodash = report.results[0]!.vulnerabilities!.find((vulnerability) => vulnerability.id === 'CVE-2021-23337')!;
  lodash.cvss = {
    '3.1': { vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 7.2 },
    '4.0': { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: 8.6 },
  };
  lodash.references = ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm', 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337'];
  lodash.description = 'Lodash versions prior to 4.17.21 are vulnerable to Command Injection via the template function.';
  return report;
}

/**
 * Checks the properties that GitHub code scanning documents for uploaded SARIF. Every ruleId has
 * a rule, rules and results have text, levels are error, warning or note, artifact URIs are
 * relative to a base ID and regions are 1-based. Rules with a security-severity have the
 * `security` tag. Runs stay within the upload limits of 25,000 results and rules, and rules
 * within 20 tags.
 */
function assertCodeScanningConstraints(log: SarifLog): void {
  assert.equal(log.version, '2.1.0');
  for (const run of log.runs) {
    const rules = run.tool.driver.rules;
    assert.equal(new Set(rules.map((rule) => rule.id)).size, rules.length, 'rule IDs are unique');
    assert.ok(rules.length <= 25_000);
    assert.ok(run.results.length <= 25_000);

    for (const rule of rules) {
      assert.ok(rule.shortDescription.text.length > 0, `${rule.id} shortDescription`);
      assert.ok(rule.fullDescription.text.length > 0, `${rule.id} fullDescription`);
      assert.ok(rule.help.text.length > 0, `${rule.id} help`);
      assert.ok(rule.properties.tags.includes('security'), `${rule.id} tags`);
      assert.ok(rule.properties.tags.length <= 20, `${rule.id} tag count`);
      assert.ok(['very-high', 'high', 'medium', 'low'].includes(rule.properties.precision));
      const score = Number(rule.properties['security-severity']);
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
      assert.ok(score >= 0, `${rule.id} security-severity ${score}`);
      assert.ok(score <= 10, `${rule.id} security-severity ${score}`);
    }

    for (const result of run.results) {
      assert.equal(rules[result.ruleIndex]?.id, result.ruleId, `ruleIndex of ${result.ruleId}`);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      assert.ok(result.message.text.length > 0);
      assert.equal(result.locations.length, 1);
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      assert.doesNotMatch(artifactLocation.uri, /^[a-z][a-z0-9+.-]*:/i, 'URI has no scheme');
      assert.equal(artifactLocation.uri.startsWith('/'), false);
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(region.startLine >= 1);
      assert.ok((region.endLine ?? region.startLine) >= region.startLine);
    }
  }
}

test('sarif config report is valid', { skip: sarifSchema.skip }, () => {
  const text = writeSarif(sampleConfigReport());
  assertValidSarif(text);
  assertCodeScanningConstraints(JSON.parse(text) as SarifLog);
});

test('sarif image report is valid', { skip: sarifSchema.skip }, () => {
  const text = writeSarif(imageReportWithCvss(), { toolVersion: '0.1.0', sourceRoot: '/srv/checkout', category: 'bulwark-image' });
  assertValidSarif(text);
  assertCodeScanningConstraints(JSON.parse(text) as SarifLog);
});

test('sarif minimal report is valid', { skip: sarifSchema.skip }, () => {
  const minimal: ScanReport = { schemaVersion: 1, artifact: { name: '.', type: 'filesystem' }, results: [], errors: [] };
  const text = writeSarif(minimal);
  assertValidSarif(text);
  const log = JSON.parse(text) as SarifLog;
  assert.deepEqual(log.runs[0]!.results, []);
  assert.deepEqual(log.runs[0]!.tool.driver.rules, []);
});

test('sarif rejects invalid log', { skip: sarifSchema.skip }, () => {
  const log = parse(sampleConfigReport()) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
  log.runs[0]!.results[0]!.level = 'critical';
  assert.equal(sarifValidator()(log), false);
});

test('sarif header and driver', () => {
  const log = parse(sampleConfigReport(), { toolVersion: '0.1.0' });
  assert.equal(log.$schema, 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
  assert.equal(log.runs.length, 1);
  assert.equal(log.runs[0]!.tool.driver.name, 'Bulwark');
  assert.equal(log.runs[0]!.tool.driver.version, '0.1.0');
  assert.deepEqual(log.runs[0]!.properties, { artifactName: '.', artifactType: 'config' });
  assert.equal(log.runs[0]!.originalUriBaseIds, undefined);
});

test('sarif rules sorted by id', () => {
  const log = parse(sampleConfigReport());
  assert.deepEqual(
    log.runs[0]!.tool.driver.rules.map((rule) => rule.id),
    ['SC2086', 'dockerfile/apt-pin-versions', 'dockerfile/root-user', 'k8s/no-resource-limits', 'pss/privileged'],
  );
});

test('sarif dockerfile rule from metadata', () => {
  const rule = parse(sampleConfigReport()).runs[0]!.tool.driver.rules.find((entry) => entry.id === 'dockerfile/apt-pin-versions')!;
  assert.equal(rule.name, 'PinVersionsInAptGetInstall');
  assert.equal(rule.shortDescription.text, 'Pin versions in apt-get install');
  assert.equal(rule.fullDescription.text.startsWith('Unpinned packages make builds unrepeatable'), true);
  assert.equal(rule.helpUri, 'https://github.com/hadolint/hadolint/wiki/DL3008');
  assert.equal(rule.defaultConfiguration.level, 'warning');
  assert.deepEqual(rule.properties, {
    tags: ['misconfiguration', 'security', 'dockerfile', 'MEDIUM'],
    precision: 'very-high',
    'security-severity': '5.5',
    aliases: ['DL3008'],
  });
  assert.match(rule.help.text, /How to fix: Write each package as name=version\./);
  assert.match(rule.help.markdown, /Bad:\n\n```dockerfile\nRUN apt-get install -y curl\n```/);
  assert.match(rule.help.markdown, /Good:\n\n```dockerfile\nRUN apt-get install -y curl=7\.88\.1-10\+deb12u5\n```/);
  assert.match(rule.help.markdown, /Aliases: `DL3008`/);
});

test('sarif shellcheck rule from finding', () => {
  const log = parse(sampleConfigReport());
  const rule = log.runs[0]!.tool.driver.rules.find((entry) => entry.id === 'SC2086')!;
  assert.equal(rule.shortDescription.text, 'Double quote to prevent globbing and word splitting');
  assert.equal(rule.helpUri, 'https://www.shellcheck.net/wiki/SC2086');
  assert.equal(rule.defaultConfiguration.level, 'note');
  assert.equal(rule.properties['security-severity'], '2.0');

  const result = log.runs[0]!.results.find((entry) => entry.ruleId === 'SC2086')!;
  assert.deepEqual(result.locations[0]!.physicalLocation, {
    artifactLocation: { uri: 'services/api/Dockerfile', uriBaseId: '%SRCROOT%' },
    region: { startLine: 14, endLine: 14, startColumn: 22, endColumn: 31 },
  });
});

test('sarif kubernetes result names object', () => {
  const log = parse(sampleConfigReport());
  const result = log.runs[0]!.results.find((entry) => entry.ruleId === 'pss/privileged')!;
  assert.equal(result.level, 'error');
  assert.equal(
    result.message.text,
    'container "web" sets securityContext.privileged to true (Deployment/shop/web, container web, field spec.template.spec.containers[0].securityContext.privileged)',
  );
  assert.deepEqual(result.locations[0]!.logicalLocations, [{ name: 'web', fullyQualifiedName: 'Deployment/shop/web', kind: 'object' }]);
  assert.deepEqual(result.locations[0]!.physicalLocation.region, { startLine: 31, endLine: 31, startColumn: 13 });
  assert.equal(result.properties?.fieldPath, 'spec.template.spec.containers[0].securityContext.privileged');
  assert.equal(result.properties?.container, 'web');

  const rule = log.runs[0]!.tool.driver.rules[result.ruleIndex]!;
  assert.equal(rule.properties['security-severity'], '9.5');
  assert.match(rule.help.markdown, /```yaml\nsecurityContext:\n {2}privileged: true\n```/);
});

test('sarif results in report order', () => {
  const log = parse(sampleConfigReport());
  assert.deepEqual(
    log.runs[0]!.results.map((result) => `${result.locations[0]!.physicalLocation.artifactLocation.uri}:${result.locations[0]!.physicalLocation.region.startLine} ${result.ruleId}`),
    [
      'deploy/web.yaml:22 k8s/no-resource-limits',
      'deploy/web.yaml:31 pss/privileged',
      'services/api/Dockerfile:5 dockerfile/apt-pin-versions',
      'services/api/Dockerfile:14 SC2086',
      'services/api/Dockerfile:18 dockerfile/root-user',
    ],
  );
});

test('sarif errors become notifications', () => {
  const invocation = parse(sampleConfigReport()).runs[0]!.invocations[0]!;
  assert.equal(invocation.executionSuccessful, true);
  assert.deepEqual(invocation.toolExecutionNotifications, [
    {
      level: 'error',
      message: { text: 'deploy/broken.yaml: invalid YAML at line 4, column 3: bad indentation of a mapping entry' },
      descriptor: { id: 'FORMAT_INVALID' },
    },
  ]);
});

test('sarif vulnerability rule and result', () => {
  const log = parse(imageReportWithCvss());
  const rule = log.runs[0]!.tool.driver.rules.find((entry) => entry.id === 'CVE-2021-23337')!;
  assert.equal(rule.name, 'LanguageSpecificPackageVulnerability');
  assert.equal(rule.helpUri, 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337');
  assert.equal(rule.properties['security-severity'], '8.6');
  assert.deepEqual(rule.properties.tags, ['vulnerability', 'security', 'HIGH']);
  assert.match(rule.help.text, /^Vulnerability CVE-2021-23337\nSeverity: HIGH\nAliases: GHSA-35jh-r3h4-6jhm\n/);
  assert.match(rule.help.markdown, /\| CVE-2021-23337 \| HIGH \| GHSA-35jh-r3h4-6jhm \|/);

  const result = log.runs[0]!.results.find((entry) => entry.ruleId === 'CVE-2021-23337')!;
  assert.equal(result.level, 'error');
  assert.equal(
    result.message.text,
    'Package lodash 4.17.20 in app/package-lock.json is affected by CVE-2021-23337 (HIGH): nodejs-lodash: command injection via template. Fixed version: 4.17.21.',
  );
  assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uri, 'app/package-lock.json');
  assert.deepEqual(result.locations[0]!.physicalLocation.region, { startLine: 1 });
  assert.equal(result.properties?.purl, 'pkg:npm/lodash@4.17.20');
});

test('sarif os package points at dpkg status', () => {
  const log = parse(sampleReport());
  const zlib = log.runs[0]!.results.find((entry) => entry.ruleId === 'CVE-2023-45853')!;
  assert.equal(zlib.locations[0]!.physicalLocation.artifactLocation.uri, 'var/lib/dpkg/status');
  assert.match(zlib.message.text, /^Package zlib1g 1:1\.2\.13\.dfsg-1 in var\/lib\/dpkg\/status is affected by CVE-2023-45853 \(CRITICAL\)/);
  assert.match(zlib.message.text, /No fixed version is published\.$/);

  const rule = log.runs[0]!.tool.driver.rules[zlib.ruleIndex]!;
  assert.equal(rule.name, 'OsPackageVulnerability');
  assert.equal(rule.properties['security-severity'], '9.5');
});

test('sarif one rule per vulnerability id', () => {
  const log = parse(sampleReport());
  const rules = log.runs[0]!.tool.driver.rules.map((rule) => rule.id);
  assert.equal(rules.filter((id) => id === 'CVE-2024-0727').length, 1);
  assert.equal(log.runs[0]!.results.filter((result) => result.ruleId === 'CVE-2024-0727').length, 2);
  assert.equal(log.runs[0]!.results.length, 10);
});

test('sarif leaves out suppressed findings', () => {
  const ignore = parseIgnoreFile('DL3008\nCVE-2024-0727\n', { file: '.bulwarkignore' });
  const now = new Date('2024-06-01T00:00:00Z');
  const config = parse(filterReport(sampleConfigReport(), { ignore, now }));
  assert.equal(config.runs[0]!.results.some((result) => result.ruleId === 'dockerfile/apt-pin-versions'), false);
  assert.equal(config.runs[0]!.tool.driver.rules.some((rule) => rule.id === 'dockerfile/apt-pin-versions'), false);
  const image = parse(filterReport(sampleReport(), { ignore, now }));
  assert.equal(image.runs[0]!.results.some((result) => result.ruleId === 'CVE-2024-0727'), false);
});

test('sarif shuffled input gives identical bytes', () => {
  const expected = writeSarif(sampleConfigReport());
  const report = sampleConfigReport();
  const reversed: ScanReport = {
    ...report,
    results: [...report.results].reverse().map((result) => ({ ...result, misconfigurations: [...(result.misconfigurations ?? [])].reverse() })),
    rules: [...report.rules!].reverse(),
  };
  assert.equal(writeSarif(reversed), expected);
  assert.equal(writeSarif(sampleConfigReport()), expected);
});

test('sarif source root base id', () => {
  const log = parse(sampleConfigReport(), { sourceRoot: '/srv/checkout' });
  assert.deepEqual(log.runs[0]!.originalUriBaseIds, { [SARIF_SOURCE_ROOT]: { uri: 'file:///srv/checkout/' } });
  assert.throws(
    () => writeSarif(sampleConfigReport(), { sourceRoot: 'checkout' }),
    (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE',
  );
});

test('sarif category', () => {
  assert.equal(parse(sampleConfigReport()).runs[0]!.automationDetails, undefined);
  assert.deepEqual(parse(sampleConfigReport(), { category: 'bulwark-config' }).runs[0]!.automationDetails, { id: 'bulwark-config/' });
  assert.deepEqual(parse(sampleConfigReport(), { category: 'image/web/' }).runs[0]!.automationDetails, { id: 'image/web/' });
  assert.throws(
    () => writeSarif(sampleConfigReport(), { category: ' ' }),
    (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE',
  );
});

test('sarif location without line', () => {
  const report = sampleConfigReport();
  const dockerfile = report.results.find((result) => result.target === 'services/api/Dockerfile')!;
  delete dockerfile.misconfigurations!.find((entry) => entry.id === 'dockerfile/apt-pin-versions')!.location;
  dockerfile.misconfigurations!.find((entry) => entry.id === 'SC2086')!.location!.startLine = 0;
  const log = parse(report);

  const unlocated = log.runs[0]!.results.find((entry) => entry.ruleId === 'dockerfile/apt-pin-versions')!;
  assert.deepEqual(unlocated.locations[0]!.physicalLocation, {
    artifactLocation: { uri: 'services/api/Dockerfile', uriBaseId: '%SRCROOT%' },
    region: { startLine: 1, endLine: 1 },
  });
  const lineZero = log.runs[0]!.results.find((entry) => entry.ruleId === 'SC2086')!;
  assert.equal(lineZero.locations[0]!.physicalLocation.region.startLine, 1);
  assert.equal(lineZero.locations[0]!.physicalLocation.region.endLine, 14);
});

test('artifact uri encodes segments', () => {
  assert.equal(artifactUri('services/api/Dockerfile'), 'services/api/Dockerfile');
  assert.equal(artifactUri('./deploy/web.yaml'), 'deploy/web.yaml');
  assert.equal(artifactUri('/var/lib/dpkg/status'), 'var/lib/dpkg/status');
  assert.equal(artifactUri('alpine:3.19/Dockerfile'), 'alpine%3A3.19/Dockerfile');
  assert.equal(artifactUri('node_modules/@babel/core/package.json'), 'node_modules/@babel/core/package.json');
  assert.equal(artifactUri('docs/my file#1.yaml'), 'docs/my%20file%231.yaml');
  assert.equal(artifactUri('odd\\name/Dockerfile'), 'odd%5Cname/Dockerfile');
  assert.equal(artifactUri(''), '.');
});

test('registry sarif writes sarif', () => {
  const format = createFormatRegistry().get('sarif');
  assert.equal(format.contentType, 'application/sarif+json');
  assert.equal(format.write(sampleConfigReport(), { toolVersion: '0.1.0', color: true }), writeSarif(sampleConfigReport(), { toolVersion: '0.1.0' }));
});
