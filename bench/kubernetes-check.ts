/**
 * Measures the Kubernetes checks on the shared manifest corpus in one process: every file is
 * parsed and checked with restricted Pod Security Standards and NetworkPolicy checks, as
 * `bulwark config --pss restricted` runs them. The first round includes JIT warm-up; later rounds
 * show the steady state. Wall-clock rates depend on other load on the machine, so the CPU time of
 * the process is printed too. Run: `node --import tsx bench/kubernetes-check.ts [rounds]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parseManifest, scanManifests } from '../src/misconfig/kubernetes/index.js';
import { EMPTY_SETTINGS } from '../src/misconfig/settings.js';

const corpus = resolve(process.env.BULWARK_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared'), 'corpus', 'k8s');
const rounds = Number(process.argv[2] ?? 10);
const files = readdirSync(corpus).sort().map((name) => ({ path: name, content: readFileSync(join(corpus, name)) }));
const objectCount = files.reduce((sum, file) => sum + parseManifest(file.path, file.content).objects.length, 0);
const settings = { ...EMPTY_SETTINGS, kubernetes: { pssLevel: 'restricted' } };

const times: number[] = [];
const cpuTimes: number[] = [];
let findings = 0;
for (let round = 0; round < rounds; round += 1) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const results = scanManifests(files, settings);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  const cpu = process.cpuUsage(cpuStart);
  // User plus system CPU time, which includes garbage collection on helper threads.
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  findings = results.reduce((sum, result) => sum + result.misconfigurations.length, 0);
}

const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const rate = (ms: number) => Math.round((objectCount / ms) * 1000).toLocaleString('en-US');
console.log(`${files.length} files, ${objectCount} objects, ${findings} findings per round`);
console.log(`first round: ${times[0]!.toFixed(1)} ms (${rate(times[0]!)} objects/s)`);
console.log(`median of ${rounds} rounds: ${median.toFixed(1)} ms (${rate(median)} objects/s); fastest ${sorted[0]!.toFixed(1)} ms`);
const cpuMedian = [...cpuTimes].sort((a, b) => a - b)[Math.floor(cpuTimes.length / 2)]!;
console.log(`median CPU time per round: ${cpuMedian.toFixed(1)} ms (${rate(cpuMedian)} objects per CPU second)`);
console.log(`all ${rounds} rounds: ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms (${rate(times.reduce((a, b) => a + b, 0) / rounds)} objects/s on average)`);
