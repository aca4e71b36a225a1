import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import { runScan } from './run-scan.js';
import { DEFAULT_SETTINGS_FILE, loadSettings } from './settings-file.js';
import { addReportFlags, normalizeScanFlags, type RawScanFlags } from './scan-flags.js';

interface RawConfigFlags extends RawScanFlags {
  config?: string;
  skipDirs?: string;
  skipFiles?: string;
  pss?: string;
}

/** Adds `bulwark config`: Dockerfile and Kubernetes checks. */
export function addConfigCommands(program: Command, setExitCode: (code: number) => void): void {
  addReportFlags(
    program
      .command('config')
      .argument('<path...>', 'files or directories to check; - reads one file from stdin')
      .description('check Dockerfiles and Kubernetes manifests for insecure and wasteful practices')
      .option('--config <file>', `settings file: ignored rules, severity overrides, trusted registries, required labels (default: ${DEFAULT_SETTINGS_FILE} if present)`)
      .option('--skip-dirs <list>', 'comma-separated directory names or relative paths not to enter')
      .option('--skip-files <list>', 'comma-separated relative file paths not to check')
      .addOption(new Option('--pss <level>', 'also check Kubernetes Pod Security Standards at this level').choices(['baseline', 'restricted'])),
  ).action(async (paths: string[], raw: RawConfigFlags) => {
    const flags = normalizeScanFlags(raw);
    const settings = await loadSettings(raw.config);
    if (raw.pss !== undefined) settings.kubernetes = { ...settings.kubernetes, pssLevel: raw.pss };
    const stdin = paths.includes('-') ? await readStdin() : undefined;

    const [{ scanConfig }, { configScanners }] = await Promise.all([import('../scan/scan-config.js'), import('../misconfig/scanners.js')]);
    setExitCode(
      await runScan(flags, () =>
        scanConfig(paths, {
          scanners: configScanners,
          settings,
          skipDirs: splitList(raw.skipDirs),
          skipFiles: splitList(raw.skipFiles),
          ...(stdin ? { stdin } : {}),
        }),
        {
          category: 'bulwark-config',
          ruleCounts: Object.fromEntries(configScanners.map((scanner) => [scanner.id, scanner.rules().length])),
        },
      ),
    );
  });
}

function splitList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** The maximum number of bytes read from stdin, the same cap as for a config file on disk. */
const MAX_STDIN_BYTES = 4 * 1024 * 1024;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    length += (chunk as Buffer).length;
    if (length > MAX_STDIN_BYTES) throw new UsageError(`stdin is over ${MAX_STDIN_BYTES} bytes; write it to a file and give its path`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
