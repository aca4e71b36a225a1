// Prints the layer blob paths of the first image in an OCI layout, in layer order, one per line.
// The image-scan benchmark feeds them to `gzip -dc | tar -t`, the floor a scan is measured against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const layout = process.argv[2];
const blob = (digest) => join(layout, 'blobs', ...digest.split(':'));
const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
for (const layer of manifest.layers) process.stdout.write(`${blob(layer.digest)}\n`);
