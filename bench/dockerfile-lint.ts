// Dockerfile lint benchmark: the whole corpus in one process, without and with ShellCheck, and three
// ways of feeding RUN scripts to ShellCheck. Usage:
//   node --import tsx bench/dockerfile-lint.ts [corpus-dir] [rounds]
// The corpus defaults to ../shared/corpus/dockerfiles. One Dockerfile as a whole process is measured
// with hyperfine, see docs/benchmarks.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';

import { lintDockerfile, parseDockerfile, type DockerfileSettings } from '../src/misconfig/dockerfile/index.js';
import { runScript } from '../src/misconfig/dockerfile/script.js';
import { runShellCheck, type ShellCheckRequest } from '../src/misconfig/dockerfile/shellcheck.js';
import type { ConfigFile } from '../src/misconfig/config-scanner.js';

const corpusDir = resolve(process.argv[2] ?? '../shared/corpus/dockerfiles');
const rounds = Number(process.argv[3] ?? 20);
const settings: DockerfileSettings = { trustedRegistries: [], requiredLabels: {}, strictLabels: false, requireDigest: false, enable: [], disableIgnorePragma: false };
const global = { ignore: [], severity: {} };

function readFiles(dir: string, root = dir): ConfigFile[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? readFiles(path, root) : [{ path: path.slice(root.length + 1), content: readFileSync(path) }];
  });
}

async function timeIt(label: string, work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label}: ${seconds.toFixed(3)} s`);
  return seconds;
}

const files = readFiles(corpusDir);
const bytes = files.reduce((sum, file) => sum + file.content.length, 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB; CPU: ${cpus()[0]?.model ?? 'unknown'} x${availableParallelism()}`);

// Warm-up round, so that module loading and JIT compilation do not count.
for (const file of files) await lintDockerfile(file, { settings, global, shellcheck: false });
const cpuBefore = process.cpuUsage();
const rulesSeconds = await timeIt(`rules only, ${rounds} rounds`, async () => {
  for (let round = 0; round < rounds; round++) for (const file of files) await lintDockerfile(file, { settings, global, shellcheck: false });
});
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// Wall time suffers when other processes share the CPUs; CPU time shows the cost of the lint itself.
console.log(`rules only: ${((files.length * rounds) / rulesSeconds).toFixed(0)} files/s wall, ${((files.length * rounds) / cpuSeconds).toFixed(0)} files per CPU second`);

await timeIt('rules and ShellCheck, one round (process pool, the shipped path)', () => Promise.all(files.map((file) => lintDockerfile(file, { settings, global }))));

// The ShellCheck feeding strategies, on the same scripts.
const perFile: ShellCheckRequest[][] = files.map((file) => {
  const parsed = parseDockerfile(file.content.toString('utf8'));
  return parsed.instructions.flatMap((instruction) => {
    const script = instruction.keyword === 'RUN' ? runScript(parsed, instruction) : undefined;
    return script === undefined ? [] : [{ script, shell: 'sh', variables: [] }];
  });
});
const requests = perFile.flat();
console.log(`ShellCheck scripts: ${requests.length}`);
await timeIt('ShellCheck, one process per script, one at a time', async () => {
  for (const request of requests) await runShellCheck(request);
});
await timeIt(`ShellCheck, one process per script, pool of ${Math.max(2, availableParallelism())}`, () => Promise.all(requests.map((request) => runShellCheck(request))));
await timeIt('ShellCheck, one process per file with its scripts concatenated, pool', () =>
  Promise.all(perFile.filter((scripts) => scripts.length > 0).map((scripts) => runShellCheck({ shell: 'sh', variables: [], script: scripts.flatMap((request) => [...request.script, { text: ':', line: 0 }]) }))),
);
