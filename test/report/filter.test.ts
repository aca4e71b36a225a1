import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { filterReport } from '../../src/report/filter.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { mergeIgnoreRules } from '../../src/report/ignore-rule.js';
import type { Report } from '../../src/report/types.js';
import { sampleConfigReport, sampleReport } from './fixtures.js';

const NOW = new Date('2024-06-01T12:00:00Z');

function ids(report: Report, target: string): string[] {
  const result = report.results.find((entry) => entry.target === target);
  return (result?.vulnerabilities ?? []).map((vulnerability) => `${vulnerability.pkgName} ${vulnerability.id}`).sort();
}

function suppressedIds(report: Report, target: string): string[] {
  const result = report.results.find((entry) => entry.target === target);
  return (result?.suppressed ?? []).map((entry) => `${entry.vulnerability.pkgName} ${entry.vulnerability.id}`).sort();
}

function bulwarkRules(text: string) {
  return parseIgnoreFile(text, { file: '.bulwarkignore' });
}

test('filter without options keeps all but dev', () => {
  const report = filterReport(sampleReport(), { now: NOW });
  assert.deepEqual(ids(report, 'debian'), [
    'libc6 CVE-2010-4756',
    'libssl3 CVE-2023-5678',
    'libssl3 CVE-2024-0727',
    'openssl CVE-2024-0727',
    'zlib1g CVE-2023-45853',
  ]);
  assert.deepEqual(ids(report, 'app/package-lock.json'), ['express CVE-2022-24999', 'lodash CVE-2020-28500', 'lodash CVE-2021-23337']);
  assert.equal(report.filter?.counts.devDependency, 1);
  assert.equal(report.filter?.counts.devPackages, 2);
});

test('filter does not change its input', () => {
  const input = sampleReport();
  const before = JSON.stringify(input);
  filterReport(input, { severities: ['CRITICAL'], ignore: bulwarkRules('CVE-2023-45853\n'), now: NOW });
  assert.equal(JSON.stringify(input), before);
});

test('filter includeDevDeps keeps dev packages', () => {
  const report = filterReport(sampleReport(), { includeDevDeps: true, now: NOW });
  assert.deepEqual(ids(report, 'app/package-lock.json'), [
    'express CVE-2022-24999',
    'lodash CVE-2020-28500',
    'lodash CVE-2021-23337',
    'minimist CVE-2021-44906',
  ]);
  const lock = report.results.find((result) => result.target === 'app/package-lock.json');
  assert.equal(lock?.packages?.length, 4);
  assert.equal(report.filter?.counts.devPackages, 0);
});

test('filter dev package also runtime stays', () => {
  const input = sampleReport();
  const lock = input.results.find((result) => result.target === 'app/package-lock.json')!;
  lock.packages!.push({ name: 'minimist', version: '1.2.5', path: 'app/package-lock.json', dev: false });
  const report = filterReport(input, { now: NOW });
  assert.ok(ids(report, 'app/package-lock.json').includes('minimist CVE-2021-44906'));
  assert.equal(report.filter?.counts.devDependency, 0);
});

test('filter severities keeps selected only', () => {
  const report = filterReport(sampleReport(), { severities: ['CRITICAL', 'HIGH'], now: NOW });
  assert.deepEqual(ids(report, 'debian'), ['zlib1g CVE-2023-45853']);
  assert.deepEqual(ids(report, 'app/package-lock.json'), ['express CVE-2022-24999', 'lodash CVE-2021-23337']);
  assert.deepEqual(ids(report, 'usr/local/bin/caddy'), []);
  assert.equal(report.filter?.counts.severity, 6);
  assert.deepEqual(report.filter?.severities, ['CRITICAL', 'HIGH']);
});

test('filter severities reports in rank order', () => {
  const report = filterReport(sampleReport(), { severities: ['LOW', 'CRITICAL'], now: NOW });
  assert.deepEqual(report.filter?.severities, ['CRITICAL', 'LOW']);
});

test('filter rejects invalid severity', () => {
  assert.throws(() => filterReport(sampleReport(), { severities: ['SEVERE' as never] }), UsageError);
  assert.throws(() => filterReport(sampleReport(), { severities: [] }), UsageError);
});

test('filter ignoreUnfixed drops affected', () => {
  const report = filterReport(sampleReport(), { ignoreUnfixed: true, now: NOW });
  assert.deepEqual(ids(report, 'debian'), ['libssl3 CVE-2023-5678', 'libssl3 CVE-2024-0727', 'openssl CVE-2024-0727']);
  assert.equal(report.filter?.counts.unfixed, 2);
});

test('filter counts each finding once', () => {
  // zlib1g CVE-2023-45853 is CRITICAL and unfixed: the severity filter keeps it, so "unfixed" counts it.
  const report = filterReport(sampleReport(), { severities: ['CRITICAL'], ignoreUnfixed: true, now: NOW });
  assert.equal(report.filter?.counts.severity, 8);
  assert.equal(report.filter?.counts.unfixed, 1);
  assert.equal(report.filter?.counts.ignored, 0);
});

test('filter ignore by id moves to suppressed', () => {
  const report = filterReport(sampleReport(), { ignore: bulwarkRules('CVE-2024-0727 # PKCS12 files are never parsed\n'), now: NOW });
  assert.deepEqual(ids(report, 'debian'), ['libc6 CVE-2010-4756', 'libssl3 CVE-2023-5678', 'zlib1g CVE-2023-45853']);
  assert.deepEqual(suppressedIds(report, 'debian'), ['libssl3 CVE-2024-0727', 'openssl CVE-2024-0727']);
  const entry = report.results.find((result) => result.target === 'debian')!.suppressed![0]!;
  assert.equal(entry.reason, 'ignored');
  assert.equal(entry.ruleId, 'CVE-2024-0727');
  assert.equal(entry.statement, 'PKCS12 files are never parsed');
  assert.deepEqual(entry.source, { file: '.bulwarkignore', line: 1 });
  assert.equal(report.filter?.counts.ignored, 2);
});

test('filter ignore by alias', () => {
  const report = filterReport(sampleReport(), { ignore: bulwarkRules('GHSA-35jh-r3h4-6jhm\ngo-2024-2687\n'), now: NOW });
  assert.deepEqual(suppressedIds(report, 'app/package-lock.json'), ['lodash CVE-2021-23337']);
  assert.deepEqual(suppressedIds(report, 'usr/local/bin/caddy'), ['golang.org/x/net CVE-2023-45288']);
});

test('filter ignore scoped by path glob', () => {
  const rules = bulwarkRules('CVE-2023-45288 path:usr/local/bin/*\nCVE-2021-23337 path:other/**\n');
  const report = filterReport(sampleReport(), { ignore: rules, now: NOW });
  assert.deepEqual(suppressedIds(report, 'usr/local/bin/caddy'), ['golang.org/x/net CVE-2023-45288']);
  assert.deepEqual(suppressedIds(report, 'app/package-lock.json'), []);
});

test('filter ignore scoped by purl', () => {
  const rules = bulwarkRules('CVE-2024-0727 pkg:deb/debian/libssl3\n');
  const report = filterReport(sampleReport(), { ignore: rules, now: NOW });
  assert.deepEqual(suppressedIds(report, 'debian'), ['libssl3 CVE-2024-0727']);
  assert.ok(ids(report, 'debian').includes('openssl CVE-2024-0727'));
});

test('filter ignore purl qualifier must match', () => {
  const matching = filterReport(sampleReport(), { ignore: bulwarkRules('CVE-2024-0727 pkg:deb/debian/openssl?arch=amd64\n'), now: NOW });
  assert.deepEqual(suppressedIds(matching, 'debian'), ['openssl CVE-2024-0727']);
  const other = filterReport(sampleReport(), { ignore: bulwarkRules('CVE-2024-0727 pkg:deb/debian/openssl?arch=arm64\n'), now: NOW });
  assert.deepEqual(suppressedIds(other, 'debian'), []);
});

test('filter ignore by source package name', () => {
  const report = filterReport(sampleReport(), { ignore: bulwarkRules('* pkg:openssl # handled by the base image team\n'), now: NOW });
  assert.deepEqual(suppressedIds(report, 'debian'), ['libssl3 CVE-2023-5678', 'libssl3 CVE-2024-0727', 'openssl CVE-2024-0727']);
  assert.equal(report.results.find((result) => result.target === 'debian')!.suppressed![0]!.ruleId, '*');
});

test('filter ignore expired rule applies again', () => {
  const rules = bulwarkRules('CVE-2023-45853 exp:2024-06-01\nCVE-2010-4756 exp:2024-06-02\n');
  const report = filterReport(sampleReport(), { ignore: rules, now: NOW });
  assert.deepEqual(suppressedIds(report, 'debian'), ['libc6 CVE-2010-4756']);
  assert.deepEqual(report.filter?.expiredRules, [{ ruleId: 'CVE-2023-45853', expiresOn: '2024-06-01', source: { file: '.bulwarkignore', line: 1 } }]);
});

test('filter ignore expiry compares with now', () => {
  const rules = bulwarkRules('CVE-2023-45853 exp:2024-06-01\n');
  const before = filterReport(sampleReport(), { ignore: rules, now: new Date('2024-05-31T23:59:59Z') });
  assert.deepEqual(suppressedIds(before, 'debian'), ['zlib1g CVE-2023-45853']);
  const after = filterReport(sampleReport(), { ignore: rules, now: new Date('2024-06-01T00:00:01Z') });
  assert.deepEqual(suppressedIds(after, 'debian'), []);
});

test('filter severity applies before ignore', () => {
  const report = filterReport(sampleReport(), { severities: ['CRITICAL'], ignore: bulwarkRules('CVE-2010-4756\n'), now: NOW });
  assert.deepEqual(suppressedIds(report, 'debian'), []);
  assert.equal(report.filter?.counts.ignored, 0);
});

test('filter first matching rule wins', () => {
  const first = parseIgnoreFile('CVE-2010-4756 # first\n', { file: 'a/.bulwarkignore' });
  const second = parseIgnoreFile('vulnerabilities:\n  - id: CVE-2010-4756\n    statement: second\n', { file: '.trivyignore.yaml' });
  const report = filterReport(sampleReport(), { ignore: mergeIgnoreRules(first, second), now: NOW });
  const entry = report.results.find((result) => result.target === 'debian')!.suppressed![0]!;
  assert.equal(entry.statement, 'first');
  assert.deepEqual(report.filter?.ignoreFiles, ['a/.bulwarkignore', '.trivyignore.yaml']);

  const reversed = filterReport(sampleReport(), { ignore: mergeIgnoreRules(second, first), now: NOW });
  assert.equal(reversed.results.find((result) => result.target === 'debian')!.suppressed![0]!.statement, 'second');
});

test('filter appends ignore diagnostics to errors', () => {
  const rules = bulwarkRules('CVE-2010-4756 exp:2024-13-01\n');
  const report = filterReport(sampleReport(), { ignore: rules, now: NOW });
  assert.equal(report.errors.length, 3);
  assert.equal(report.errors[2]!.target, '.bulwarkignore:1');
  assert.deepEqual(suppressedIds(report, 'debian'), []);
});

test('filter refiltering narrows further', () => {
  const once = filterReport(sampleReport(), { ignore: bulwarkRules('CVE-2010-4756\n'), now: NOW });
  const twice = filterReport(once, { severities: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], ignoreUnfixed: true, now: NOW });
  assert.deepEqual(suppressedIds(twice, 'debian'), ['libc6 CVE-2010-4756']);
  assert.equal(twice.filter?.counts.ignored, 1);
  assert.equal(twice.filter?.counts.unfixed, 1);
});

test('filter wildcard and id rules keep order', () => {
  const wildcardFirst = bulwarkRules('* pkg:glibc # wildcard\nCVE-2010-4756 # by id\n');
  const first = filterReport(sampleReport(), { ignore: wildcardFirst, now: NOW });
  assert.equal(first.results.find((result) => result.target === 'debian')!.suppressed![0]!.statement, 'wildcard');

  const idFirst = bulwarkRules('CVE-2010-4756 # by id\n* pkg:glibc # wildcard\n');
  const second = filterReport(sampleReport(), { ignore: idFirst, now: NOW });
  assert.equal(second.results.find((result) => result.target === 'debian')!.suppressed![0]!.statement, 'by id');
});

function misconfigurationIds(report: Report, target: string): string[] {
  const result = report.results.find((entry) => entry.target === target);
  return (result?.misconfigurations ?? []).map((misconfiguration) => misconfiguration.id).sort();
}

function suppressedMisconfigurationIds(report: Report, target: string): string[] {
  const result = report.results.find((entry) => entry.target === target);
  return (result?.suppressedMisconfigurations ?? []).map((entry) => `${entry.misconfiguration.id} ${entry.ruleId}`).sort();
}

test('filter severity applies to misconfigurations', () => {
  const report = filterReport(sampleConfigReport(), { severities: ['CRITICAL', 'HIGH'], now: NOW });
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), ['dockerfile/root-user']);
  assert.deepEqual(misconfigurationIds(report, 'deploy/web.yaml'), ['pss/privileged']);
  assert.equal(report.filter?.counts.severity, 3);
});

test('filter keeps clean config results', () => {
  const report = filterReport(sampleConfigReport(), { severities: ['CRITICAL'], now: NOW });
  const clean = report.results.find((result) => result.target === 'services/worker/Dockerfile');
  assert.deepEqual(clean?.misconfigurations, []);
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), []);
});

test('filter ignores misconfiguration by alias', () => {
  const ignore = bulwarkRules('dl3008 # versions come from the base image snapshot\nsc2086\n');
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), ['dockerfile/root-user']);
  assert.deepEqual(suppressedMisconfigurationIds(report, 'services/api/Dockerfile'), ['SC2086 sc2086', 'dockerfile/apt-pin-versions dl3008']);
  const entry = report.results[0]!.suppressedMisconfigurations!.find((item) => item.ruleId === 'dl3008');
  assert.equal(entry?.statement, 'versions come from the base image snapshot');
  assert.deepEqual(entry?.source, { file: '.bulwarkignore', line: 1 });
  assert.equal(report.filter?.counts.ignored, 2);
});

test('filter misconfiguration path scope', () => {
  const ignore = bulwarkRules('pss/privileged path:deploy/other.yaml\n* path:services/api/**\n');
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.deepEqual(misconfigurationIds(report, 'deploy/web.yaml'), ['k8s/no-resource-limits', 'pss/privileged']);
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), []);
  assert.equal(report.results[0]!.suppressedMisconfigurations?.length, 3);
});

test('filter package scope never matches misconfiguration', () => {
  const ignore = bulwarkRules('DL3008 pkg:curl\n');
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), ['SC2086', 'dockerfile/apt-pin-versions', 'dockerfile/root-user']);
});

test('filter trivyignore yaml misconfigurations section', () => {
  const text = [
    'vulnerabilities:',
    '  - id: pss/privileged',
    'misconfigurations:',
    '  - id: KSV017',
    '    paths: ["deploy/*.yaml"]',
    '    statement: node debugging daemon',
    '  - id: DL3002',
    '    expired_at: 2024-01-01',
    '',
  ].join('\n');
  const ignore = parseIgnoreFile(text, { file: '.trivyignore.yaml' });
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.deepEqual(suppressedMisconfigurationIds(report, 'deploy/web.yaml'), ['pss/privileged KSV017']);
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), ['SC2086', 'dockerfile/apt-pin-versions', 'dockerfile/root-user']);
  assert.deepEqual(report.filter?.expiredRules.map((rule) => rule.ruleId), ['DL3002']);
});

test('filter vulnerability section skips misconfigurations', () => {
  const ignore = parseIgnoreFile('vulnerabilities:\n  - id: DL3008\n', { file: '.trivyignore.yaml' });
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.deepEqual(misconfigurationIds(report, 'services/api/Dockerfile'), ['SC2086', 'dockerfile/apt-pin-versions', 'dockerfile/root-user']);
  assert.equal(report.filter?.counts.ignored, 0);
});
