import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { openDockerArchive } from '../../../src/artifact/sources/docker-archive.js';
import { buildImages, sha256, tarDirectory, type BuiltImages } from './build-images.js';
import { expectCode } from '../../helpers/expect-code.js';

const run = promisify(execFile);
let images: BuiltImages;
let copies = 0;

before(async () => {
  images = await buildImages();
});

after(async () => {
  await images.cleanup();
});

/** Extracts the legacy archive, lets `edit` change the folder, and tars it again. */
async function editLegacy(edit: (dir: string, ids: string[]) => Promise<void>): Promise<string> {
  const dir = join(images.root, `legacy-edit-${copies++}`);
  await mkdir(dir);
  await run('tar', ['-xf', images.legacyArchive, '-C', dir]);
  const repositories = JSON.parse(await readFile(join(dir, 'repositories'), 'utf8'));
  const top: string = repositories['example.test/legacy'].old;
  const ids = [top];
  for (;;) {
    const json = JSON.parse(await readFile(join(dir, ids[0]!, 'json'), 'utf8'));
    if (json.parent === undefined) break;
    ids.unshift(json.parent);
  }
  await edit(dir, ids);
  const output = `${dir}.tar`;
  await tarDirectory(dir, output, await readdir(dir));
  return output;
}

test('legacy archive walks parent chain', async () => {
  const source = await openDockerArchive(images.legacyArchive);
  try {
    assert.equal(source.type, 'docker-archive');
    assert.deepEqual(source.repoTags, ['example.test/legacy:old']);
    assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
    assert.deepEqual(source.config.rootfs, { type: 'layers', diff_ids: images.diffIds });
    assert.equal(source.config.architecture, 'amd64');
    assert.deepEqual(source.config.config?.Cmd, ['/bin/true']);
    assert.equal(source.config.id, undefined);
    assert.equal(source.config.parent, undefined);
    assert.deepEqual(source.config.history?.map((entry) => entry.created_by), ['/bin/sh -c #(nop) layer 0', '/bin/sh -c #(nop) layer 1', '/bin/sh -c #(nop) layer 2']);
    assert.equal(source.configDigest, sha256(Buffer.from(JSON.stringify(source.config))));
    for (const layer of source.layers) {
      assert.equal(sha256(await buffer(await source.openLayer(layer))), layer.diffId);
    }
  } finally {
    await source.close();
  }
});

test('legacy selector by repo tag', async () => {
  const source = await openDockerArchive(images.legacyArchive, { image: 'example.test/legacy:old' });
  assert.equal(source.layers.length, 3);
  await source.close();
  await expectCode(
    openDockerArchive(images.legacyArchive, { image: 'legacy:new' }),
    'NOT_FOUND',
    /no image tagged "legacy:new" \(compared as docker.io\/library\/legacy:new\); available: example.test\/legacy:old/,
  );
});

test('legacy empty repositories finds head', async () => {
  const path = await editLegacy(async (dir) => {
    await writeFile(join(dir, 'repositories'), '{}');
  });
  const source = await openDockerArchive(path);
  assert.deepEqual(source.repoTags, []);
  assert.deepEqual(source.layers.map((layer) => layer.diffId), images.diffIds);
  await source.close();
});

test('legacy missing parent json', async () => {
  const path = await editLegacy(async (dir, ids) => {
    await rm(join(dir, ids[0]!), { recursive: true });
  });
  await expectCode(openDockerArchive(path), 'NOT_FOUND', /is in the parent chain of [a-f0-9]{64} but [a-f0-9]{64}\/json is missing/);
});

test('legacy parent loop', async () => {
  const path = await editLegacy(async (dir, ids) => {
    const jsonPath = join(dir, ids[0]!, 'json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    json.parent = ids[2];
    await writeFile(jsonPath, JSON.stringify(json));
  });
  await expectCode(openDockerArchive(path), 'FORMAT_INVALID', /the parent chain of [a-f0-9]{64} loops at [a-f0-9]{64}/);
});

test('legacy missing layer tar', async () => {
  const path = await editLegacy(async (dir, ids) => {
    await rm(join(dir, ids[1]!, 'layer.tar'));
  });
  await expectCode(openDockerArchive(path), 'NOT_FOUND', /[a-f0-9]{64}\/layer.tar is missing; the archive is incomplete/);
});

test('legacy invalid layer id', async () => {
  const path = await editLegacy(async (dir) => {
    await writeFile(join(dir, 'repositories'), JSON.stringify({ app: { v1: '../etc' } }));
  });
  await expectCode(openDockerArchive(path), 'FORMAT_INVALID', /"app:v1" must map to a 64-character hex layer ID/);
});
