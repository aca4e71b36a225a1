import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { USAGE_OR_SCAN_FAILURE_EXIT_CODE, exitCodeFor, validateExitCode } from '../../src/report/exit-code.js';
import { filterReport } from '../../src/report/filter.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { sampleConfigReport, sampleReport } from './fixtures.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function isUsageError(error: unknown): boolean {
  return error instanceof BulwarkError && error.code === 'USAGE';
}

test('exit code zero without --exit-code', () => {
  assert.equal(exitCodeFor(sampleReport()), 0);
  assert.equal(exitCodeFor(sampleReport(), { exitCode: 0 }), 0);
});

test('exit code set when findings remain', () => {
  assert.equal(exitCodeFor(sampleReport(), { exitCode: 1 }), 1);
  assert.equal(exitCodeFor(sampleReport(), { exitCode: 13 }), 13);
});

test('exit code zero when filters remove all', () => {
  const report = sampleReport();
  const ignore = parseIgnoreFile('* path:**\n', { file: '.bulwarkignore' });
  const filtered = filterReport(report, { ignore, now: NOW });
  assert.equal(filtered.filter?.counts.ignored, 9);
  assert.equal(filtered.filter?.counts.devDependency, 1);
  assert.equal(exitCodeFor(filtered, { exitCode: 1 }), 0);
});

test('exit code counts only filtered severities', () => {
  const report = sampleReport();
  const noCritical = filterReport(report, { severities: ['CRITICAL'], ignore: parseIgnoreFile('CVE-2023-45853\n', { file: '.bulwarkignore' }), now: NOW });
  assert.equal(exitCodeFor(noCritical, { exitCode: 1 }), 0);
  const critical = filterReport(report, { severities: ['CRITICAL'], now: NOW });
  assert.equal(exitCodeFor(critical, { exitCode: 1 }), 1);
});

test('exit code severities option', () => {
  const report = sampleReport();
  report.results = report.results.filter((result) => result.target === 'usr/local/bin/caddy');
  assert.equal(exitCodeFor(report, { exitCode: 1, severities: ['CRITICAL', 'HIGH'] }), 0);
  assert.equal(exitCodeFor(report, { exitCode: 1, severities: ['MEDIUM'] }), 1);
});

test('exit code rejects reserved and invalid values', () => {
  assert.equal(USAGE_OR_SCAN_FAILURE_EXIT_CODE, 2);
  for (const value of [2, -1, 256, 1.5, Number.NaN]) {
    assert.throws(() => exitCodeFor(sampleReport(), { exitCode: value }), isUsageError, `value ${value}`);
  }
  assert.throws(() => validateExitCode(2), /2 is reserved for usage errors and failed scans/);
  assert.doesNotThrow(() => validateExitCode(255));
});

test('exit code counts misconfigurations', () => {
  assert.equal(exitCodeFor(sampleConfigReport(), { exitCode: 1 }), 1);
  const low = filterReport(sampleConfigReport(), { severities: ['LOW'], now: NOW });
  assert.equal(exitCodeFor(low, { exitCode: 1 }), 1);
  assert.equal(exitCodeFor(sampleConfigReport(), { exitCode: 1, severities: ['UNKNOWN'] }), 0);
});

test('exit code zero when misconfigurations suppressed', () => {
  const ignore = parseIgnoreFile('* path:services/** # fixed in the next release\n* path:deploy/**\n', { file: '.bulwarkignore' });
  const filtered = filterReport(sampleConfigReport(), { ignore, now: NOW });
  assert.equal(filtered.results.every((result) => (result.misconfigurations ?? []).length === 0), true);
  assert.equal(exitCodeFor(filtered, { exitCode: 1 }), 0);
});
