import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ALIAS_COUNT, parseTrivyIgnoreYaml } from '../../src/report/trivyignore-yaml.js';

test('trivyignore yaml parses all sections', () => {
  const text = `vulnerabilities:
  - id: CVE-2022-40897
    paths:
      - "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"
    statement: Accept the risk
  - id: CVE-2023-3817
    purls:
      - "pkg:deb/debian/libssl1.1"
  - id: CVE-2020-15114
    expired_at: 2024-08-20
    statement: "Review in 6 months"
misconfigurations:
  - id: AVD-DS-0002
    paths:
      - "docs/Dockerfile"
secrets:
  - id: generic-unwanted-rule
licenses:
  - id: GPL-3.0
`;
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.deepEqual(parsed.diagnostics, []);
  assert.deepEqual(
    parsed.rules.map((rule) => [rule.kind, rule.id, rule.source?.line]),
    [
      ['vulnerability', 'CVE-2022-40897', 2],
      ['vulnerability', 'CVE-2023-3817', 6],
      ['vulnerability', 'CVE-2020-15114', 9],
      ['misconfiguration', 'AVD-DS-0002', 13],
      ['secret', 'generic-unwanted-rule', 17],
      ['license', 'GPL-3.0', 19],
    ],
  );
  assert.equal(parsed.rules[0]!.statement, 'Accept the risk');
  assert.equal(parsed.rules[0]!.paths[0]!.matches('usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA'), true);
  assert.equal(parsed.rules[1]!.purls[0]!.purl.name, 'libssl1.1');
  assert.equal(parsed.rules[2]!.expiresOn, '2024-08-20');
});

test('trivyignore yaml empty sections are fine', () => {
  const parsed = parseTrivyIgnoreYaml('vulnerabilities:\n  - id: CVE-2024-1\nmisconfigurations:\nsecrets:\nlicenses:\n', '.trivyignore.yaml');
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.rules.length, 1);
});

test('trivyignore yaml empty file has no rules', () => {
  const parsed = parseTrivyIgnoreYaml('# nothing ignored yet\n', '.trivyignore.yaml');
  assert.deepEqual(parsed.rules, []);
  assert.deepEqual(parsed.diagnostics, []);
});

test('trivyignore yaml entry without id', () => {
  const text = 'vulnerabilities:\n  - purls:\n      - "pkg:deb/ubuntu/linux-libc-dev"\n    statement: Kernel headers\n  - statement: no scope at all\n';
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.equal(parsed.rules.length, 1);
  assert.equal(parsed.rules[0]!.id, undefined);
  assert.equal(parsed.diagnostics.length, 1);
  assert.equal(parsed.diagnostics[0]!.target, '.trivyignore.yaml:5');
  assert.match(parsed.diagnostics[0]!.message, /needs an id, paths or purls/);
});

test('trivyignore yaml misspelled key skips entry', () => {
  const text = 'vulnerabilities:\n  - id: CVE-2024-1\n    path:\n      - vendor/**\n  - id: CVE-2024-2\n';
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.deepEqual(
    parsed.rules.map((rule) => rule.id),
    ['CVE-2024-2'],
  );
  assert.equal(parsed.diagnostics[0]!.target, '.trivyignore.yaml:2');
  assert.match(parsed.diagnostics[0]!.message, /unknown key "path"/);
});

test('trivyignore yaml invalid values name the line', () => {
  const text = [
    'vulnerabilities:',
    '  - id: CVE-2024-1',
    '    expired_at: tomorrow',
    '  - id: CVE-2024-2',
    '    purls: ["pkg:nosuchtype/x"]',
    '  - id: CVE-2024-3',
    '    paths: "app/*"',
    '  - just-a-string',
    '  - id: CVE-2024-4',
    'vulns:',
    '  - id: CVE-2024-5',
  ].join('\n');
  const parsed = parseTrivyIgnoreYaml(text, 'sec/.trivyignore.yaml');
  assert.deepEqual(
    parsed.rules.map((rule) => rule.id),
    ['CVE-2024-4'],
  );
  assert.deepEqual(
    parsed.diagnostics.map((diagnostic) => diagnostic.target),
    ['sec/.trivyignore.yaml:2', 'sec/.trivyignore.yaml:4', 'sec/.trivyignore.yaml:6', 'sec/.trivyignore.yaml:8', 'sec/.trivyignore.yaml:10'],
  );
  assert.match(parsed.diagnostics[0]!.message, /invalid expired_at "tomorrow"/);
  assert.match(parsed.diagnostics[1]!.message, /unknown purl type "nosuchtype"/);
  assert.match(parsed.diagnostics[2]!.message, /"paths" must be a list of strings/);
  assert.match(parsed.diagnostics[3]!.message, /must be a mapping/);
  assert.match(parsed.diagnostics[4]!.message, /unknown section "vulns"/);
});

test('trivyignore yaml syntax error applies nothing', () => {
  const text = 'vulnerabilities:\n  - id: CVE-2024-1\n  - id: CVE-2024-2\n    id: CVE-2024-3\n';
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.deepEqual(parsed.rules, []);
  assert.equal(parsed.diagnostics.length, 1);
  assert.equal(parsed.diagnostics[0]!.target, '.trivyignore.yaml:4');
  assert.match(parsed.diagnostics[0]!.message, /^invalid YAML: Map keys must be unique/);
});

test('trivyignore yaml non-mapping document', () => {
  const parsed = parseTrivyIgnoreYaml('- CVE-2024-1\n', '.trivyignore.yaml');
  assert.deepEqual(parsed.rules, []);
  assert.match(parsed.diagnostics[0]!.message, /must be a mapping/);
});

test('trivyignore yaml resolves aliases', () => {
  const text = 'vulnerabilities:\n  - id: CVE-2024-1\n    paths: &vendored\n      - vendor/**\n  - id: CVE-2024-2\n    paths: *vendored\n';
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.rules[1]!.paths[0]!.pattern, 'vendor/**');
});

test('trivyignore yaml caps aliases', () => {
  const entries = Array.from({ length: MAX_ALIAS_COUNT + 1 }, (_, index) => `  - id: CVE-2024-${index}\n    paths: *p\n`).join('');
  const text = `misconfigurations:\n  - id: X\n    paths: &p\n      - a/**\nvulnerabilities:\n${entries}`;
  const parsed = parseTrivyIgnoreYaml(text, '.trivyignore.yaml');
  assert.deepEqual(parsed.rules, []);
  assert.match(parsed.diagnostics[0]!.message, /more than the maximum of 100/);
});
