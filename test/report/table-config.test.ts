import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterReport } from '../../src/report/filter.js';
import { parseIgnoreFile } from '../../src/report/ignore-file.js';
import { formatLocation, formatObject } from '../../src/report/table-config.js';
import { writeTable } from '../../src/report/table.js';
import { sampleConfigReport } from './fixtures.js';

const NOW = new Date('2024-06-01T00:00:00Z');

/** Returns the lines from a result header to the next blank line followed by a header, or the end. */
function block(lines: string[], header: string): string[] {
  const start = lines.indexOf(header);
  assert.notEqual(start, -1, `header "${header}" not found`);
  const end = lines.findIndex((_line, index) => index > start + 1 && (lines[index + 1] ?? '').startsWith('==='));
  return lines.slice(start, end === -1 ? lines.length : end - 1);
}

test('table config headers and summary', () => {
  const lines = writeTable(sampleConfigReport()).split('\n');
  const headers = lines.filter((_line, index) => lines[index + 1]?.startsWith('===') === true);
  assert.deepEqual(headers, ['deploy/web.yaml (kubernetes)', 'services/api/Dockerfile (dockerfile)', 'Errors (1)']);

  const dockerfile = block(lines, 'services/api/Dockerfile (dockerfile)');
  assert.equal(dockerfile[2], 'Failures: 3 (CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 1, UNKNOWN: 0)');
});

test('table config finding block', () => {
  const lines = writeTable(sampleConfigReport()).split('\n');
  const start = lines.indexOf('dockerfile/apt-pin-versions (DL3008) [MEDIUM] Pin versions in apt-get install');
  assert.notEqual(start, -1);
  assert.deepEqual(lines.slice(start + 1, start + 4), [
    '  apt-get install names curl and ca-certificates without versions',
    '  at services/api/Dockerfile:5-7',
    '  fix: Write each package as name=version, for example curl=7.88.1-10+deb12u5.',
  ]);
});

test('table config findings in line order', () => {
  const lines = writeTable(sampleConfigReport()).split('\n');
  const titles = block(lines, 'services/api/Dockerfile (dockerfile)').filter((line) => / \[(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\] /.test(line));
  assert.deepEqual(titles, [
    'dockerfile/apt-pin-versions (DL3008) [MEDIUM] Pin versions in apt-get install',
    'SC2086 [LOW] Double quote to prevent globbing and word splitting',
    'dockerfile/root-user (DL3002) [HIGH] Last USER is root',
  ]);
});

test('table config kubernetes object', () => {
  const lines = writeTable(sampleConfigReport()).split('\n');
  const start = lines.indexOf('pss/privileged (KSV017) [CRITICAL] Privileged container');
  assert.notEqual(start, -1);
  assert.equal(lines[start + 2], '  at deploy/web.yaml:31');
  assert.equal(lines[start + 3], '  in Deployment/shop/web, container web, field spec.template.spec.containers[0].securityContext.privileged');
});

test('table lists clean config files', () => {
  const text = writeTable(sampleConfigReport());
  assert.match(text, /\nConfig files without findings \(1\)\n- services\/worker\/Dockerfile \(dockerfile\)\n/);
  assert.equal(text.includes('services/worker/Dockerfile (dockerfile)\n==='), false);
});

test('table config severity filter counts', () => {
  const report = filterReport(sampleConfigReport(), { severities: ['CRITICAL', 'HIGH'], now: NOW });
  const lines = writeTable(report).split('\n');
  assert.equal(block(lines, 'deploy/web.yaml (kubernetes)')[2], 'Failures: 1 (CRITICAL: 1, HIGH: 0)');
  assert.equal(lines.some((line) => line.startsWith('SC2086')), false);
});

test('table config suppressed findings', () => {
  const ignore = parseIgnoreFile('DL3008 # snapshot mirror pins versions\n', { file: '.bulwarkignore' });
  const report = filterReport(sampleConfigReport(), { ignore, now: NOW });

  const hidden = writeTable(report);
  assert.match(hidden, /\nSuppressed by ignore rules: 1 \(show them with --show-suppressed\)\n/);

  const shown = writeTable(report, { showSuppressed: true }).split('\n');
  const start = shown.indexOf('Suppressed misconfigurations (1)');
  assert.notEqual(start, -1);
  assert.equal(
    shown[start + 1],
    '- dockerfile/apt-pin-versions [MEDIUM] at services/api/Dockerfile:5-7, ignored by DL3008 (.bulwarkignore:1): snapshot mirror pins versions',
  );
});

test('table config strips control characters', () => {
  const report = sampleConfigReport();
  report.results[0]!.misconfigurations![0]!.message = 'value "\u001b[31mred\u001b[0m" from the file';
  const text = writeTable(report);
  assert.equal(text.includes('\u001b'), false);
});

test('table config colour only on severity', () => {
  const text = writeTable(sampleConfigReport(), { color: true });
  assert.match(text, /pss\/privileged \(KSV017\) \u001b\[1;31m\[CRITICAL\]\u001b\[0m Privileged container/);
});

test('format location and object', () => {
  assert.equal(formatLocation({ path: 'Dockerfile', startLine: 3, endLine: 3 }), 'Dockerfile:3');
  assert.equal(formatLocation({ path: 'Dockerfile', startLine: 3, endLine: 9 }), 'Dockerfile:3-9');
  assert.equal(formatObject({ kind: 'Namespace', name: 'shop' }), 'Namespace/shop');
  assert.equal(formatObject({ kind: 'Pod', namespace: 'default', name: 'debug', container: 'shell' }), 'Pod/default/debug, container shell');
});

test('table config tests line', () => {
  const lines = writeTable(sampleConfigReport(), { ruleCounts: { dockerfile: 40, kubernetes: 25 } }).split('\n');
  const dockerfile = block(lines, 'services/api/Dockerfile (dockerfile)');
  // SC2086 has no rule metadata, so it is a test on top of the 40 Dockerfile rules.
  assert.equal(dockerfile[2], 'Tests: 41 (SUCCESSES: 38, FAILURES: 3)');
  assert.equal(dockerfile[3], 'Failures: 3 (CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 1, UNKNOWN: 0)');
  assert.equal(block(lines, 'deploy/web.yaml (kubernetes)')[2], 'Tests: 25 (SUCCESSES: 23, FAILURES: 2)');
});

test('table config tests line needs counts', () => {
  const lines = writeTable(sampleConfigReport(), { ruleCounts: { dockerfile: 40 } }).split('\n');
  assert.equal(block(lines, 'deploy/web.yaml (kubernetes)')[2], 'Failures: 2 (CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0)');
  assert.equal(writeTable(sampleConfigReport()).includes('Tests:'), false);
});

test('table image config header', () => {
  const report = sampleConfigReport();
  report.results.push({
    target: 'registry.example/shop/web:1.4.2 (image config)',
    class: 'config',
    type: 'imageconfig',
    misconfigurations: [{ id: 'image/root-user', aliases: ['CIS-DI-0001'], severity: 'HIGH', title: 'Image runs as root', message: 'the config sets no USER' }],
  });
  const lines = writeTable(report).split('\n');
  assert.equal(lines.includes('registry.example/shop/web:1.4.2 (image config)'), true);
  const start = lines.indexOf('image/root-user (CIS-DI-0001) [HIGH] Image runs as root');
  assert.deepEqual(lines.slice(start + 1, start + 3), ['  the config sets no USER', '']);
});
