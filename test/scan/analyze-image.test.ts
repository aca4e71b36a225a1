import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { parseDigest, verifyStream } from '../../src/artifact/digest.js';
import { LayerCache } from '../../src/artifact/layer-cache.js';
import { DEFAULT_WALK_LIMITS } from '../../src/artifact/limits.js';
import type { ImageSource, LayerRef } from '../../src/artifact/source.js';
import { BulwarkError } from '../../src/errors.js';
import { defaultAnalyzers } from '../../src/inventory/registry.js';
import { analyzeImageLayers } from '../../src/scan/analyze-image.js';
import { buildTar } from '../helpers/tar-builder.js';

const work = mkdtempSync(join(tmpdir(), 'bulwark-analyze-'));
after(() => rmSync(work, { recursive: true, force: true }));

function digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An in-memory image whose one layer's blob and claimed diffID the test chooses. */
function imageOf(blob: Buffer, diffId: string): ImageSource {
  const layer: LayerRef = { digest: digest(blob), diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: blob.length };
  return {
    name: 'memory',
    type: 'oci-layout',
    configDigest: digest(Buffer.from(diffId)),
    config: { rootfs: { type: 'layers', diff_ids: [diffId] } },
    repoTags: [],
    layers: [layer],
    openLayer: async () => Readable.from([blob]),
    close: async () => undefined,
  };
}

async function requirementsLayer(pin: string): Promise<Buffer> {
  return buildTar([{ name: 'app/', type: 'directory' }, { name: 'app/requirements.txt', content: `${pin}\n` }]);
}

describe('analyzeImageLayers', () => {
  it('does not trust a cached diffID', async () => {
    const cache = new LayerCache(join(work, 'cache'));
    const options = { analyzers: defaultAnalyzers, limits: DEFAULT_WALK_LIMITS, cache };
    const benignTar = await requirementsLayer('werkzeug==3.0.1');
    const liarTar = await requirementsLayer('werkzeug==2.3.7');

    const benign = await analyzeImageLayers(imageOf(gzipSync(benignTar), digest(benignTar)), options);
    assert.equal(benign[0]!.analyses.length, 1);

    // The second image claims the benign layer's diffID for a different blob.
    await assert.rejects(analyzeImageLayers(imageOf(gzipSync(liarTar), digest(benignTar)), options), (error: BulwarkError) => error.code === 'DIGEST_MISMATCH');
  });

  it('names a changed blob as a digest mismatch', async () => {
    const tar = await requirementsLayer('werkzeug==3.0.1');
    const blob = gzipSync(tar);
    const changed = Buffer.from(blob);
    changed[Math.floor(changed.length / 2)] ^= 0xff;
    const source = imageOf(blob, digest(tar));
    // The blob on disk changed after the manifest named it; the source checks the digest as it streams.
    source.openLayer = async (layer) => verifyStream(Readable.from([changed]), { digest: parseDigest(layer.digest)!, size: layer.size!, subject: 'memory layer' });
    await assert.rejects(analyzeImageLayers(source, { analyzers: defaultAnalyzers, limits: DEFAULT_WALK_LIMITS }), (error: BulwarkError) => error.code === 'DIGEST_MISMATCH');
  });

  it('reuses the cache for the same blob', async () => {
    const cache = new LayerCache(join(work, 'cache-2'));
    const options = { analyzers: defaultAnalyzers, limits: DEFAULT_WALK_LIMITS, cache };
    const tar = await requirementsLayer('flask==2.0.0');
    const blob = gzipSync(tar);
    await analyzeImageLayers(imageOf(blob, digest(tar)), options);

    let opened = 0;
    const source = imageOf(blob, digest(tar));
    source.openLayer = async () => {
      opened += 1;
      return Readable.from([blob]);
    };
    const again = await analyzeImageLayers(source, options);
    assert.equal(opened, 0);
    assert.equal(again[0]!.analyses[0]!.path, 'app/requirements.txt');
  });
});
