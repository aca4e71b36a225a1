import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayWidth } from '../../src/report/display-width.js';
import { filterReport } from '../../src/report/filter.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { writeTable } from '../../src/report/table.js';
import type { Report } from '../../src/report/types.js';
import { sampleReport } from './fixtures.js';

const NOW = new Date('2024-06-01T00:00:00Z');

function linesOf(report: Report, options: Parameters<typeof writeTable>[1] = {}): string[] {
  return writeTable(report, options).split('\n');
}

/** Returns the lines from the header of one result to the blank line after its table. */
function section(lines: string[], header: string): string[] {
  const start = lines.indexOf(header);
  assert.notEqual(start, -1, `header "${header}" not found`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('└'));
  return lines.slice(start, end + 1);
}

test('table result headers in order', () => {
  const lines = linesOf(sampleReport());
  const headers = lines.filter((_line, index) => lines[index + 1]?.startsWith('===') === true);
  assert.deepEqual(headers, ['debian (debian 12.5)', 'app/package-lock.json (npm)', 'usr/local/bin/caddy (gobinary)', 'Errors (2)']);
  assert.equal(lines[1], '='.repeat('debian (debian 12.5)'.length));
});

test('table total line counts severities', () => {
  const os = section(linesOf(sampleReport()), 'debian (debian 12.5)');
  assert.equal(os[2], 'Total: 5 (CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 2, UNKNOWN: 0)');
});

test('table total follows severity filter', () => {
  const report = filterReport(sampleReport(), { severities: ['CRITICAL', 'HIGH'], now: NOW });
  const npm = section(linesOf(report), 'app/package-lock.json (npm)');
  assert.equal(npm[2], 'Total: 2 (CRITICAL: 0, HIGH: 2)');
});

test('table rows sorted by package severity id', () => {
  const os = section(linesOf(sampleReport()), 'debian (debian 12.5)');
  const rows = os.filter((line) => line.startsWith('│ ') && !line.startsWith('│ Package'));
  const keys = rows.map((row) => row.split('│').slice(1, 4).map((cell) => cell.trim()).join(' '));
  assert.deepEqual(keys, [
    'libc6 CVE-2010-4756 LOW',
    'libssl3 CVE-2024-0727 MEDIUM',
    'libssl3 CVE-2023-5678 LOW',
    'openssl CVE-2024-0727 MEDIUM',
    'zlib1g CVE-2023-45853 CRITICAL',
  ]);
});

test('table columns and package header', () => {
  const lines = linesOf(sampleReport());
  const os = section(lines, 'debian (debian 12.5)');
  assert.equal(os[5], '│ Package │ Vulnerability  │ Severity │ Status   │ Installed Version │ Fixed Version    │ Title                                                        │');
  const npm = section(lines, 'app/package-lock.json (npm)');
  assert.match(npm[5]!, /^│ Library +│ Vulnerability +│ Severity │/);
});

test('table truncates long titles', () => {
  const os = section(linesOf(sampleReport()), 'debian (debian 12.5)');
  const libssl = os.find((line) => line.includes('CVE-2023-5678'))!;
  const title = libssl.split('│')[7]!.trim();
  assert.equal(title, 'openssl: Generating excessively long X9.42 DH keys or check…');
  assert.equal(displayWidth(title), 60);
});

test('table maxTitleWidth option', () => {
  const os = section(linesOf(sampleReport(), { maxTitleWidth: 20 }), 'debian (debian 12.5)');
  const zlib = os.find((line) => line.includes('CVE-2023-45853'))!;
  const title = zlib.split('│')[7]!.trim();
  assert.equal(title, 'zlib: integer overf…');
  assert.equal(displayWidth(title), 20);
});

test('table lines share one width', () => {
  const report = sampleReport();
  report.results[1]!.vulnerabilities![0]!.title = 'lodash のテンプレートによるコマンドインジェクション';
  const npm = section(linesOf(report), 'app/package-lock.json (npm)');
  const tableLines = npm.filter((line) => /^[┌│├└]/.test(line));
  const widths = new Set(tableLines.map(displayWidth));
  assert.equal(widths.size, 1, [...widths].join(','));
});

test('table separates package groups', () => {
  const os = section(linesOf(sampleReport()), 'debian (debian 12.5)');
  const body = os.slice(os.findIndex((line) => line.startsWith('├')) + 1);
  const rules = body.filter((line) => line.startsWith('├')).length;
  assert.equal(rules, 3);
});

test('table without color has no escapes', () => {
  assert.equal(writeTable(sampleReport()).includes('\u001b'), false);
});

test('table color marks severities', () => {
  const text = writeTable(sampleReport(), { color: true });
  assert.ok(text.includes('\u001b[1;31mCRITICAL\u001b[0m'));
  assert.ok(text.includes('\u001b[34mLOW     \u001b[0m'));
  assert.ok(text.includes('\u001b[1mdebian (debian 12.5)\u001b[0m'));
});

test('table escapes hostile titles', () => {
  const report = sampleReport();
  report.results[1]!.vulnerabilities![0]!.title = 'pwn\u001b[2J\nsecond line';
  const text = writeTable(report);
  assert.equal(text.includes('\u001b'), false);
  assert.ok(text.includes('pwn\uFFFD[2J second line'));
});

test('table suppressed count and listing', () => {
  const ignore = parseIgnoreFile('CVE-2010-4756 # glob DoS disputed upstream\n', { file: '.bulwarkignore' });
  const report = filterReport(sampleReport(), { ignore, now: NOW });
  const hidden = linesOf(report);
  assert.ok(hidden.includes('Suppressed by ignore rules: 1 (show them with --show-suppressed)'));
  assert.ok(hidden.includes('Total: 4 (CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 1, UNKNOWN: 0)'));

  const listed = linesOf(report, { showSuppressed: true });
  const start = listed.indexOf('Suppressed Vulnerabilities (Total: 1)');
  assert.notEqual(start, -1);
  assert.equal(listed[start + 3], '│ Package │ Vulnerability │ Severity │ Status  │ Statement                  │ Source           │');
  assert.equal(listed[start + 5], '│ libc6   │ CVE-2010-4756 │ LOW      │ ignored │ glob DoS disputed upstream │ .bulwarkignore:1 │');
});

test('table lists expired rules', () => {
  const ignore = parseIgnoreFile('CVE-2023-45853 exp:2024-01-01\n', { file: '.bulwarkignore' });
  const lines = linesOf(filterReport(sampleReport(), { ignore, now: NOW }));
  const start = lines.indexOf('Expired ignore rules (1): the findings they covered are reported again');
  assert.notEqual(start, -1);
  assert.equal(lines[start + 1], '- CVE-2023-45853 expired on 2024-01-01 (.bulwarkignore:1)');
});

test('table errors section sorted', () => {
  const lines = linesOf(sampleReport());
  const start = lines.indexOf('Errors (2)');
  assert.deepEqual(lines.slice(start, start + 4), [
    'Errors (2)',
    '==========',
    'app/yarn.lock: yarn.lock v1 entry without a version at line 12 [FORMAT_INVALID]',
    'usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA: invalid METADATA: missing Name header [FORMAT_INVALID]',
  ]);
  assert.equal(lines.at(-1), '');
});

test('table without DB lists packages', () => {
  const report: Report = { ...sampleReport(), db: { status: 'missing', message: 'no DB in the cache; run bulwark db update' } };
  const lines = linesOf(report);
  assert.equal(lines[0], 'NOTE: no vulnerability DB was used: no DB in the cache; run bulwark db update');
  assert.equal(lines.some((line) => line.startsWith('Total:')), false);
  const os = section(lines, 'debian (debian 12.5)');
  assert.equal(os[2], 'Packages: 4');
  assert.equal(os[5], '│ Package │ Version          │ Source Package           │ Path                │');
  assert.equal(os[7], '│ libc6   │ 2.36-9+deb12u4   │ glibc 2.36-9+deb12u4     │ var/lib/dpkg/status │');
});

test('table stale DB note', () => {
  const report: Report = { ...sampleReport(), db: { status: 'stale', builtAt: '2024-01-02T00:00:00Z' } };
  const lines = linesOf(report);
  assert.equal(lines[0], 'NOTE: the vulnerability DB is stale (built 2024-01-02T00:00:00Z)');
  assert.ok(lines.some((line) => line.startsWith('Total: 5')));
});

test('table empty result shows zero total', () => {
  const report: Report = {
    schemaVersion: 1,
    artifact: { name: 'alpine:3.20', type: 'container-image', os: { family: 'alpine', version: '3.20.1' } },
    results: [{ target: 'alpine:3.20', class: 'os-pkgs', type: 'alpine', packages: [], vulnerabilities: [] }],
    errors: [],
  };
  assert.equal(writeTable(report), 'alpine:3.20 (alpine 3.20.1)\n===========================\nTotal: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0)\n');
});

test('table output is stable', () => {
  const first = writeTable(sampleReport());
  const reversed = sampleReport();
  reversed.results.reverse();
  for (const result of reversed.results) result.vulnerabilities?.reverse();
  reversed.errors.reverse();
  assert.equal(writeTable(reversed), first);
});

test('OS header named like Trivy', () => {
  const report = sampleReport();
  const os = report.results.find((result) => result.class === 'os-pkgs')!;
  os.target = 'debian.tar (debian 12.5)';
  const lines = linesOf(report);
  assert.ok(lines.includes('debian.tar (debian 12.5)'));
  assert.ok(!lines.some((line) => line.includes('(debian 12.5) (debian 12.5)')));
});
