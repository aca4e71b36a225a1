import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBulwarkIgnore, parseIsoDate, parseTrivyIgnore } from '../../src/report/ignore-lines.js';

test('bulwarkignore parses id, expiry and statement', () => {
  const parsed = parseBulwarkIgnore('# accepted risks\n\nCVE-2023-45853 exp:2025-01-31 # minizip is not built\n', '.bulwarkignore');
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.rules.length, 1);
  const rule = parsed.rules[0]!;
  assert.equal(rule.id, 'CVE-2023-45853');
  assert.equal(rule.kind, 'any');
  assert.equal(rule.expiresOn, '2025-01-31');
  assert.equal(rule.statement, 'minizip is not built');
  assert.deepEqual(rule.source, { file: '.bulwarkignore', line: 3 });
});

test('bulwarkignore parses scopes', () => {
  const text = 'GHSA-35jh-r3h4-6jhm pkg:npm/lodash@4.17.20 pkg:@scope/name path:app/**/package-lock.json path:tools/*\n';
  const rule = parseBulwarkIgnore(text, '.bulwarkignore').rules[0]!;
  assert.deepEqual(rule.purls.map((purl) => purl.text), ['pkg:npm/lodash@4.17.20']);
  assert.deepEqual(rule.packageNames, ['@scope/name']);
  assert.deepEqual(rule.paths.map((glob) => glob.pattern), ['app/**/package-lock.json', 'tools/*']);
});

test('bulwarkignore pkg with unknown type is a name', () => {
  const rule = parseBulwarkIgnore('CVE-2024-1 pkg:github.com/foo/bar pkg:openssl\n', '.bulwarkignore').rules[0]!;
  assert.deepEqual(rule.purls, []);
  assert.deepEqual(rule.packageNames, ['github.com/foo/bar', 'openssl']);
});

test('bulwarkignore id may contain colons', () => {
  const rule = parseBulwarkIgnore('openSUSE-SU-2024:0123-1\n', '.bulwarkignore').rules[0]!;
  assert.equal(rule.id, 'openSUSE-SU-2024:0123-1');
});

test('bulwarkignore wildcard needs a scope', () => {
  const parsed = parseBulwarkIgnore('* path:vendor/**\n*\n', '.bulwarkignore');
  assert.equal(parsed.rules.length, 1);
  assert.equal(parsed.rules[0]!.id, undefined);
  assert.equal(parsed.diagnostics.length, 1);
  assert.equal(parsed.diagnostics[0]!.target, '.bulwarkignore:2');
  assert.match(parsed.diagnostics[0]!.message, /needs at least one pkg: or path: scope/);
});

test('bulwarkignore errors name file and line', () => {
  const text = [
    'CVE-2024-0001',
    'CVE-2024-0002 exp:2024-02-30',
    'CVE-2024-0003 expires:2025-01-01',
    'exp:2025-01-01 CVE-2024-0004',
    'CVE-2024-0005 path:{a,b',
    'CVE-2024-0006 exp:2025-01-01 exp:2026-01-01',
    'CVE-2024-0007 pkg:',
    'CVE-2024-0008 path:[ab',
    'CVE-2024-0009',
  ].join('\n');
  const parsed = parseBulwarkIgnore(text, 'ci/.bulwarkignore');

  assert.deepEqual(
    parsed.rules.map((rule) => rule.id),
    ['CVE-2024-0001', 'CVE-2024-0009'],
  );

  assert.deepEqual(
    parsed.diagnostics.map((diagnostic) => diagnostic.target),
    ['ci/.bulwarkignore:2', 'ci/.bulwarkignore:3', 'ci/.bulwarkignore:4', 'ci/.bulwarkignore:5', 'ci/.bulwarkignore:6', 'ci/.bulwarkignore:7', 'ci/.bulwarkignore:8'],
  );
  for (const diagnostic of parsed.diagnostics) {
    assert.equal(diagnostic.code, 'FORMAT_INVALID');
    assert.match(diagnostic.message, /the rule on this line is skipped$/);
  }

  assert.match(parsed.diagnostics[0]!.message, /invalid expiry "exp:2024-02-30"/);
  assert.match(parsed.diagnostics[1]!.message, /unknown field "expires:2025-01-01"/);
  assert.match(parsed.diagnostics[2]!.message, /must start with a finding ID/);
  assert.match(parsed.diagnostics[3]!.message, /unclosed "\{"/);
  assert.match(parsed.diagnostics[4]!.message, /more than one exp:/);
  assert.match(parsed.diagnostics[5]!.message, /empty pkg: scope/);
  assert.match(parsed.diagnostics[6]!.message, /unclosed "\["/);
});

test('bulwarkignore handles CRLF and BOM', () => {
  const parsed = parseBulwarkIgnore('\uFEFFCVE-2024-0001\r\n  CVE-2024-0002  \r\n', '.bulwarkignore');
  assert.deepEqual(
    parsed.rules.map((rule) => rule.id),
    ['CVE-2024-0001', 'CVE-2024-0002'],
  );
  assert.deepEqual(parsed.rules[1]!.source, { file: '.bulwarkignore', line: 2 });
});

test('bulwarkignore hash inside purl is kept', () => {
  const rule = parseBulwarkIgnore('CVE-2024-1 pkg:golang/example.com/mod@v1.0.0#sub/dir\n', '.bulwarkignore').rules[0]!;
  assert.equal(rule.purls[0]!.text, 'pkg:golang/example.com/mod@v1.0.0#sub/dir');
  assert.equal(rule.statement, undefined);
});

test('trivyignore real-world file', () => {
  // The layout of .trivyignore files in public repositories: comment blocks, plain IDs, Trivy's
  // exp: field and a field that Trivy skips.
  const text = [
    '# Instructions: add rules here to skip vulnerabilities that are not relevant at runtime.',
    '#',
    '# Package: pip',
    '# Reason: pip is not used in the runtime environment',
    'CVE-2023-5752',
    '',
    '# vulnerabilities',
    'CVE-2019-0001',
    'CVE-2019-0004 exp:2020-01-01',
    'CVE-2019-0006 exp:9999-01-01 key2:value2',
    '',
    '# misconfigurations',
    'AVD-DS-0002',
    '# secrets',
    'generic-unwanted-rule',
  ].join('\n');
  const parsed = parseTrivyIgnore(text, '.trivyignore');
  assert.deepEqual(
    parsed.rules.map((rule) => [rule.id, rule.expiresOn, rule.source?.line]),
    [
      ['CVE-2023-5752', undefined, 5],
      ['CVE-2019-0001', undefined, 8],
      ['CVE-2019-0004', '2020-01-01', 9],
      ['CVE-2019-0006', '9999-01-01', 10],
      ['AVD-DS-0002', undefined, 13],
      ['generic-unwanted-rule', undefined, 15],
    ],
  );
  assert.ok(parsed.rules.every((rule) => rule.kind === 'any'));
  assert.equal(parsed.diagnostics.length, 1);
  assert.equal(parsed.diagnostics[0]!.target, '.trivyignore:10');
  assert.match(parsed.diagnostics[0]!.message, /field "key2:value2" is ignored/);
});

test('trivyignore bad expiry skips line', () => {
  const parsed = parseTrivyIgnore('CVE-2019-0001\nCVE-2019-0002 exp:01/02/2025\n', '.trivyignore');
  assert.deepEqual(
    parsed.rules.map((rule) => rule.id),
    ['CVE-2019-0001'],
  );
  assert.equal(parsed.diagnostics[0]!.target, '.trivyignore:2');
  assert.match(parsed.diagnostics[0]!.message, /invalid expiry "exp:01\/02\/2025"/);
});

test('trivyignore scope fields do not apply', () => {
  const parsed = parseTrivyIgnore('CVE-2024-0727 pkg:deb/debian/libssl3 # base image\n', '.trivyignore');
  const rule = parsed.rules[0]!;
  assert.deepEqual(rule.purls, []);
  assert.equal(rule.statement, 'base image');
  assert.match(parsed.diagnostics[0]!.message, /use \.trivyignore\.yaml or \.bulwarkignore/);
});

test('parseIsoDate checks the calendar', () => {
  assert.equal(parseIsoDate('2024-02-29'), '2024-02-29');
  assert.equal(parseIsoDate('2023-02-29'), undefined);
  assert.equal(parseIsoDate('2024-1-01'), undefined);
  assert.equal(parseIsoDate('2024-01-01T00:00:00Z'), undefined);
});
