// Writes an SBOM of an image or directory with the library, for the SBOM benchmark, until the CLI
// registers the SBOM formats. It prints on stderr how long the inventory and the SBOM writing took.
// Usage: node --import tsx bench/sbom-generate.ts <image|dir> <format id> <output> [cache dir]
import { statSync, writeFileSync } from 'node:fs';

import { scanDirectory } from '../src/scan/scan-directory.js';
import { scanImage } from '../src/scan/scan-image.js';
import { SBOM_FORMATS } from '../src/sbom/formats.js';

const [target, formatId, output, cacheDir] = process.argv.slice(2);
const format = SBOM_FORMATS.find((candidate) => candidate.id === formatId);
if (!target || !format || !output) {
  console.error(`usage: node --import tsx bench/sbom-generate.ts <image|dir> <${SBOM_FORMATS.map((f) => f.id).join('|')}> <output> [cache dir]`);
  process.exit(2);
}

const options = { skipVulnerabilities: true, noLayerCache: true, ...(cacheDir ? { cacheDir } : {}) };
const started = performance.now();
const isImage = statSync(target).isFile() || statSync(`${target}/index.json`, { throwIfNoEntry: false }) !== undefined;
const { report } = isImage ? await scanImage(target, options) : await scanDirectory(target, 'filesystem', options);
const inventoryMs = performance.now() - started;
const text = format.write(report, {});
const writeMs = performance.now() - started - inventoryMs;
writeFileSync(output, text);
console.error(`inventory ${inventoryMs.toFixed(0)} ms, ${format.id} writer ${writeMs.toFixed(0)} ms, ${text.length} bytes`);
