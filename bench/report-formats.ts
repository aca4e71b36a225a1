/**
 * Times the report layer on a large synthetic report: the filter with an ignore file, and the
 * JSON, SARIF and table writers. The report has `vulnerabilities` findings spread over 50 lock
 * files and `misconfigurations` findings spread over 500 config files, with 2,000 distinct
 * vulnerability IDs and 100 rules, so rule deduplication in SARIF has work to do.
 *
 *     node --import tsx bench/report-formats.ts [vulnerabilities] [misconfigurations] [rounds]
 *
 * Prints the median wall time of each step over the rounds, and the output sizes.
 */
import type { Misconfiguration, RuleMetadata } from '../src/model/misconfiguration.js';
import type { ScanReport, ScanResult } from '../src/model/report.js';
import { SEVERITIES } from '../src/model/severity.js';
import type { Vulnerability } from '../src/model/vulnerability.js';
import { filterReport } from '../src/report/filter.js';
import { parseIgnoreFile } from '../src/report/ignore-file.js';
import { writeJson } from '../src/report/json.js';
import { writeSarif } from '../src/report/sarif.js';
import { writeTable } from '../src/report/table.js';
import type { Report } from '../src/report/types.js';

const vulnerabilityCount = Number(process.argv[2] ?? 20_000);
const misconfigurationCount = Number(process.argv[3] ?? 5_000);
const rounds = Number(process.argv[4] ?? 5);

function buildReport(): ScanReport {
  const results: ScanResult[] = [];
  for (let file = 0; file < 50; file += 1) results.push({ target: `apps/app-${file}/package-lock.json`, class: 'lang-pkgs', type: 'npm', vulnerabilities: [] });
  for (let file = 0; file < 500; file += 1) results.push({ target: `deploy/service-${file}.yaml`, class: 'config', type: 'kubernetes', misconfigurations: [] });

  for (let index = 0; index < vulnerabilityCount; index += 1) {
    const vulnerability: Vulnerability = {
      id: `CVE-2024-${10_000 + (index % 2_000)}`,
      aliases: [`GHSA-${index % 2_000}-xxxx-yyyy`],
      pkgName: `package-${index % 700}`,
      installedVersion: `1.${index % 13}.0`,
      fixedVersion: `1.${(index % 13) + 1}.0`,
      status: 'fixed',
      severity: SEVERITIES[index % SEVERITIES.length]!,
      title: `Prototype pollution in package-${index % 700} through a crafted merge argument`,
      cvss: { '3.1': { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 } },
      references: [`https://nvd.nist.gov/vuln/detail/CVE-2024-${10_000 + (index % 2_000)}`],
      dataSource: 'osv:npm',
    };
    results[index % 50]!.vulnerabilities!.push(vulnerability);
  }

  for (let index = 0; index < misconfigurationCount; index += 1) {
    const file = index % 500;
    const misconfiguration: Misconfiguration = {
      id: `k8s/rule-${index % 100}`,
      aliases: [`KSV${String(index % 100).padStart(3, '0')}`],
      severity: SEVERITIES[index % SEVERITIES.length]!,
      title: `Rule ${index % 100}`,
      message: `container "app" sets securityContext field ${index % 100} to an unsafe value`,
      location: { path: `deploy/service-${file}.yaml`, startLine: 10 + (index % 80), endLine: 10 + (index % 80) },
      object: { kind: 'Deployment', namespace: 'shop', name: `service-${file}`, container: 'app', fieldPath: 'spec.template.spec.containers[0].securityContext' },
    };
    results[50 + file]!.misconfigurations!.push(misconfiguration);
  }

  const rules: RuleMetadata[] = Array.from({ length: 100 }, (_, index) => ({
    id: `k8s/rule-${index}`,
    aliases: [`KSV${String(index).padStart(3, '0')}`],
    severity: SEVERITIES[index % SEVERITIES.length]!,
    title: `Rule ${index}`,
    description: 'A hardened workload sets this field, because the default lets a compromised container reach more of its node.',
    resolution: 'Set the field in the container securityContext.',
    examples: { bad: 'securityContext: {}', good: 'securityContext:\n  runAsNonRoot: true' },
  }));
  return { schemaVersion: 1, artifact: { name: '.', type: 'filesystem' }, results, errors: [], rules };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time<T>(label: string, run: () => T): T {
  const durations: number[] = [];
  let output: T | undefined;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    output = run();
    durations.push(performance.now() - start);
  }
  const size = typeof output === 'string' ? ` (${(output.length / 1_048_576).toFixed(1)} MiB)` : '';
  process.stdout.write(`${label.padEnd(8)} ${median(durations).toFixed(1).padStart(8)} ms${size}\n`);
  return output!;
}

const report = buildReport();
const ignore = parseIgnoreFile('CVE-2024-10007\nKSV007 path:deploy/**\n* path:apps/app-1/**\n', { file: '.bulwarkignore' });
process.stdout.write(`${vulnerabilityCount} vulnerabilities, ${misconfigurationCount} misconfigurations, median of ${rounds} rounds\n`);
const filtered: Report = time('filter', () => filterReport(report, { ignore }));
time('json', () => writeJson(filtered));
time('sarif', () => writeSarif(filtered));
time('table', () => writeTable(filtered));
