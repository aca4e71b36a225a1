import type { Command } from 'commander';

import { parsePlatform } from '../artifact/platform.js';
import { UsageError } from '../errors.js';
import type { ImageScanOptions } from '../scan/scan-options.js';
import { runScan, scanOptionsFrom } from './run-scan.js';
import { loadSettings } from './settings-file.js';
import { addScanFlags, normalizeScanFlags, type RawScanFlags } from './scan-flags.js';

/** The --format values that write an SBOM. */
const SBOM_FORMATS = ['cyclonedx', 'cyclonedx-xml', 'spdx-json', 'spdx'];

interface RawImageFlags extends RawScanFlags {
  input?: string;
  config?: string;
  platform?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
}

/**
 * Adds `image`, `rootfs` and `fs`. Each action imports its scan lazily, so `--help` and the other
 * commands do not pay for loading every analyzer.
 */
export function addScanCommands(program: Command, setExitCode: (code: number) => void): void {
  addScanFlags(
    program
      .command('image')
      .argument('[target]', 'image archive, OCI layout or registry reference (host[:port]/repo:tag or @sha256:…)')
      .description('scan a container image for vulnerable OS and language packages')
      .option('-i, --input <path>', 'image archive or OCI layout to scan, as with trivy image --input')
      .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image (default: linux/amd64)')
      .option('--username <name>', 'registry user name (default: from ~/.docker/config.json)')
      .option('--password <secret>', 'registry password or token; prefer BULWARK_PASSWORD to keep it out of the process list')
      .option('--insecure', 'talk plain HTTP to the registry')
      .option('--scanners <list>', 'what to look for: vuln (vulnerable packages), misconfig (image config checks) (default: vuln,misconfig)')
      .option('--config <file>', 'settings file for the image config checks (default: .bulwark.yaml if present)'),
  ).action(async (target: string | undefined, raw: RawImageFlags) => {
    if (raw.input !== undefined && target !== undefined) throw new UsageError(`give the image once: either ${target} or --input ${raw.input}`);
    const chosen = raw.input ?? target;
    if (chosen === undefined) throw new UsageError('missing image: give a registry reference, an archive path or --input <path>');
    const flags = normalizeScanFlags(raw);
    const options: ImageScanOptions = { ...scanOptionsFrom(flags) };
    // An SBOM lists packages and vulnerabilities only, so image config findings it cannot carry must
    // not decide the exit code, unless --scanners requests them.
    if (raw.scanners === undefined && SBOM_FORMATS.includes(flags.format)) flags.scanners = ['vuln'];
    if (!flags.scanners.includes('vuln')) options.skipVulnerabilities = true;
    if (!flags.scanners.includes('misconfig')) options.checkImageConfig = false;
    else options.settings = await loadSettings(raw.config);
    if (raw.platform !== undefined) options.platform = parsePlatform(raw.platform);
    if (raw.insecure) options.insecure = true;
    if (flags.offline) options.offline = true;
    if (!flags.quiet) {
      options.onRetry = (event) => {
        const reason = event.status !== undefined ? `status ${event.status}` : (event.error ?? 'no response');
        process.stderr.write(`WARN ${event.url}: ${reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt + 1})\n`);
      };
    }
    const password = raw.password ?? process.env.BULWARK_PASSWORD;
    if (raw.username !== undefined) {
      if (password === undefined) throw new UsageError('--username needs --password or BULWARK_PASSWORD');
      options.username = raw.username;
      options.password = password;
    }
    const { scanImage } = await import('../scan/scan-image.js');
    setExitCode(await runScan(flags, () => scanImage(chosen, options), { category: 'bulwark-image' }));
  });

  addScanFlags(
    program
      .command('rootfs')
      .argument('<dir>', 'unpacked root filesystem')
      .description('scan an unpacked root filesystem for vulnerable OS and language packages'),
  ).action(async (dir: string, raw: RawScanFlags) => {
    const flags = normalizeScanFlags(raw);
    const { scanDirectory } = await import('../scan/scan-directory.js');
    setExitCode(await runScan(flags, () => scanDirectory(dir, 'rootfs', scanOptionsFrom(flags)), { category: 'bulwark-rootfs' }));
  });

  addScanFlags(
    program
      .command('fs')
      .argument('<dir>', 'project checkout')
      .description('scan a project checkout: its lock files and installed package metadata'),
  ).action(async (dir: string, raw: RawScanFlags) => {
    const flags = normalizeScanFlags(raw);
    const { scanDirectory } = await import('../scan/scan-directory.js');
    setExitCode(await runScan(flags, () => scanDirectory(dir, 'filesystem', scanOptionsFrom(flags)), { category: 'bulwark-fs' }));
  });
}
