import { writeFile } from 'node:fs/promises';

import { Option, type Command } from 'commander';

import type { ConfigFile } from '../misconfig/config-scanner.js';

interface RawNetpolFlags {
  format: string;
  output?: string;
  namespace: string;
  quiet?: boolean;
}

/** The largest manifest read from a file or stdin, in bytes. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** The maximum number of manifest files read in one run. */
const MAX_MANIFEST_FILES = 10_000;

/**
 * Adds `netpol <path…>`, which reads workloads, Namespaces and NetworkPolicies from manifests and
 * prints which workloads can reach which, on which ports, following NetworkPolicy semantics.
 */
export function addNetpolCommands(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('netpol')
    .argument('<paths...>', 'manifest files or directories (YAML or JSON), or - for stdin (helm template … | bulwark netpol -)')
    .description('show which workloads NetworkPolicies let reach which, on which ports')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write the output to this file instead of stdout')
    .option('-n, --namespace <name>', 'namespace of objects that name none, as kubectl apply -n sets it', 'default')
    .option('-q, --quiet', 'print no warnings on stderr')
    .action(async (paths: string[], raw: RawNetpolFlags) => {
      const files = await readManifests(paths, raw.quiet === true);
      const kubernetes = await import('../misconfig/kubernetes/index.js');
      const objects = files.flatMap((file) => {
        const parsed = kubernetes.parseManifest(file.path, file.content);
        if (raw.quiet !== true) for (const diagnostic of parsed.diagnostics) process.stderr.write(`WARN ${diagnostic.target}: ${diagnostic.message}\n`);
        return parsed.objects;
      });
      const model = kubernetes.buildNetworkModel(objects, raw.namespace);
      if (raw.quiet !== true) {
        for (const policy of model.policies) {
          for (const problem of policy.problems) process.stderr.write(`WARN ${policy.object.path}: NetworkPolicy "${policy.object.name}" ${kubernetes.formatFieldPath(problem.field)}: ${problem.message}\n`);
        }
        if (model.workloads.length === 0) process.stderr.write('WARN no workloads (Pods, Deployments, StatefulSets, DaemonSets, Jobs…) found in the given paths\n');
      }
      const json = kubernetes.reachabilityToJson(kubernetes.computeReachability(model), model.workloads.map((workload) => workload.id));
      const text = raw.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : kubernetes.reachabilityToTable(json);
      if (raw.output !== undefined) await writeFile(raw.output, text);
      else process.stdout.write(text);
      setExitCode(0);
    });
}

/** Reads manifests from files, directories (with the discovery of `bulwark config`) and stdin. */
async function readManifests(paths: string[], quiet: boolean): Promise<ConfigFile[]> {
  const files: ConfigFile[] = [];
  const onDisk = paths.filter((path) => path !== '-');
  if (paths.includes('-')) files.push({ path: '-', content: await readStdin() });
  if (onDisk.length > 0) {
    const [{ discoverConfigFiles }, { kubernetesScanner }] = await Promise.all([import('../scan/config-discovery.js'), import('../misconfig/kubernetes/index.js')]);
    const discovery = await discoverConfigFiles(onDisk, { scanners: [kubernetesScanner], maxFileSize: MAX_MANIFEST_BYTES, maxFiles: MAX_MANIFEST_FILES });
    if (!quiet) for (const diagnostic of discovery.diagnostics) process.stderr.write(`WARN ${diagnostic.target}: ${diagnostic.message}\n`);
    files.push(...discovery.files.map(({ path, content }) => ({ path, content })));
  }
  return files;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES) {
      const { LimitError } = await import('../errors.js');
      throw new LimitError(`stdin is over ${MAX_MANIFEST_BYTES} bytes; split the manifests into files`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
