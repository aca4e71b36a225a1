import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import { SEVERITIES } from '../model/severity.js';
import type { SbomReadLimits } from '../sbom/read-sbom.js';
import { runScan, scanOptionsFrom } from './run-scan.js';
import { normalizeScanFlags, type RawScanFlags } from './scan-flags.js';

interface RawSbomFlags extends RawScanFlags {
  maxSbomSize?: string;
  maxSbomComponents?: string;
}

/**
 * Adds `sbom <file>`, which scans the packages of a CycloneDX or SPDX SBOM for vulnerabilities
 * as `trivy sbom` does. It takes the report flags of the image scan, but none of the layer flags.
 */
export function addSbomCommands(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('sbom')
    .argument('<file>', 'CycloneDX 1.4-1.7 (JSON or XML) or SPDX 2.2-2.3 (JSON or tag-value) SBOM; - reads standard input')
    .description('scan the packages listed in an SBOM for vulnerabilities')
    .addHelpText(
      'after',
      [
        '',
        'Input formats (detected from the content):',
        '  CycloneDX 1.4 to 1.7      JSON or XML',
        '  SPDX 2.2, 2.3             JSON or tag-value',
        'SPDX 3.0 documents are rejected; convert them to SPDX 2.3 first.',
      ].join('\n'),
    )
    .addOption(new Option('-f, --format <format>', 'report format: table or json').default('table'))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('-s, --severity <list>', `comma-separated severities to report (${SEVERITIES.join(',')})`)
    .option('--ignore-unfixed', 'hide vulnerabilities without a published fix')
    .option('--exit-code <code>', 'exit with this code when vulnerabilities remain after filters (default: 0)')
    .option('--ignorefile <file>', 'ignore file (default: .bulwarkignore, then .trivyignore.yaml and .trivyignore, if present)')
    .option('-q, --quiet', 'print no progress and no warnings on stderr')
    .option('--cache-dir <dir>', 'cache directory holding the vulnerability DB (default: $BULWARK_CACHE_DIR or ~/.cache/bulwark)')
    .option('--skip-db', 'list packages only, without looking up vulnerabilities')
    .option('--max-sbom-size <bytes>', 'largest SBOM file read, in bytes (default: 268435456)')
    .option('--max-sbom-components <count>', 'most components or packages read from the SBOM (default: 500000)')
    .action(async (file: string, raw: RawSbomFlags) => {
      const flags = normalizeScanFlags(raw);
      const sbomLimits: Partial<SbomReadLimits> = {};
      if (raw.maxSbomSize !== undefined) sbomLimits.maxBytes = parseCount('--max-sbom-size', raw.maxSbomSize);
      if (raw.maxSbomComponents !== undefined) sbomLimits.maxEntries = parseCount('--max-sbom-components', raw.maxSbomComponents);
      const { scanSbom } = await import('../sbom/scan-sbom.js');
      const input = file === '-' ? { input: process.stdin as AsyncIterable<Buffer> } : {};
      setExitCode(await runScan(flags, () => scanSbom(file === '-' ? 'standard input' : file, { ...scanOptionsFrom(flags), sbomLimits, ...input })));
    });
}

function parseCount(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`invalid ${flag} value "${text}": use a positive whole number`);
  return value;
}
