import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { indexTar, normalizeMemberName } from '../../../src/artifact/sources/tar-index.js';
import { expectCode } from '../../helpers/expect-code.js';

const run = promisify(execFile);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-tar-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface HeaderFields {
  name: string;
  size?: number;
  typeflag?: string;
  linkname?: string;
  /** Raw bytes for the 12-byte size field, to write base-256 sizes. */
  sizeField?: Buffer;
}

/** Writes one ustar header block with a valid checksum. */
function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (fields.sizeField !== undefined) fields.sizeField.copy(block, 124);
  else block.write(`${(fields.size ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(fields.typeflag ?? '0', 156);
  if (fields.linkname !== undefined) block.write(fields.linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function padded(data: Buffer): Buffer {
  const size = Math.ceil(data.length / 512) * 512;
  const out = Buffer.alloc(size);
  data.copy(out);
  return out;
}

function member(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  return Buffer.concat([header({ name, size: data.length }), padded(data)]);
}

const END = Buffer.alloc(1024);

async function writeTar(name: string, ...parts: Buffer[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, Buffer.concat(parts));
  return path;
}

test('index reads ustar, gnu and pax long names', async () => {
  const source = join(dir, 'tree');
  const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
  const longFile = `${'f'.repeat(120)}.txt`;
  await mkdir(join(source, longDir), { recursive: true });
  await writeFile(join(source, longDir, 'short.txt'), 'short\n');
  await writeFile(join(source, longFile), 'long\n');
  for (const format of ['ustar', 'gnu', 'posix']) {
    const path = join(dir, `${format}.tar`);
    const members = format === 'ustar' ? [longDir] : [longDir, longFile];
    await run('tar', [`--format=${format}`, '-cf', path, '-C', source, ...members]);
    const index = await indexTar(path);
    try {
      const short = index.resolve(`${longDir}/short.txt`);
      assert.ok(short, `${format}: member under a long folder`);
      assert.equal((await buffer(index.openStream(short))).toString(), 'short\n');
      if (format !== 'ustar') {
        const long = index.resolve(longFile);
        assert.ok(long, `${format}: long member name`);
        assert.equal((await index.read(long, { maxBytes: 100, limitName: 'x' })).toString(), 'long\n');
      }
    } finally {
      await index.close();
    }
  }
});

test('index reads base-256 size', async () => {
  const sizeField = Buffer.alloc(12);
  sizeField[0] = 0x80;
  sizeField[11] = 5;
  const path = await writeTar('base256.tar', header({ name: 'five', sizeField }), padded(Buffer.from('hello')), END);
  const index = await indexTar(path);
  const entry = index.get('five');
  assert.equal(entry?.size, 5);
  assert.equal(entry?.offset, 512);
  assert.equal((await buffer(index.openStream(entry!))).toString(), 'hello');
  await index.close();
});

test('index strips leading dot slash', async () => {
  const path = await writeTar('dot.tar', header({ name: './', typeflag: '5' }), member('./a/b.txt', 'b'), END);
  const index = await indexTar(path);
  assert.deepEqual(index.entries().map((entry) => entry.name), ['a/b.txt']);
  assert.equal(index.get('./a/b.txt')?.name, 'a/b.txt');
  await index.close();
});

test('index follows symlinks and hardlinks', async () => {
  const path = await writeTar(
    'links.tar',
    member('data/real.tar', 'layer bytes'),
    header({ name: 'abc/layer.tar', typeflag: '2', linkname: '../data/real.tar' }),
    header({ name: 'hard.tar', typeflag: '1', linkname: 'data/real.tar' }),
    header({ name: 'loop-a', typeflag: '2', linkname: 'loop-b' }),
    header({ name: 'loop-b', typeflag: '2', linkname: 'loop-a' }),
    header({ name: 'escape', typeflag: '2', linkname: '../../etc/passwd' }),
    END,
  );
  const index = await indexTar(path);
  try {
    assert.equal(index.resolve('abc/layer.tar')?.name, 'data/real.tar');
    assert.equal(index.resolve('hard.tar')?.name, 'data/real.tar');
    assert.equal(index.resolve('missing'), undefined);
    assert.throws(() => index.resolve('loop-a'), /more than 16 links/);
    assert.throws(() => index.resolve('escape'), /links to "..\/..\/etc\/passwd", which contains a ".." segment/);
  } finally {
    await index.close();
  }
});

test('index skips no data for links', async () => {
  // A symlink that declares 512 bytes is followed directly by the next header, as Go reads it.
  const path = await writeTar('link-size.tar', header({ name: 'link', typeflag: '2', linkname: 'target', size: 512 }), member('target', 'data'), END);
  const index = await indexTar(path);
  assert.equal(index.get('link')?.size, 0);
  assert.equal(index.resolve('link')?.name, 'target');
  assert.equal(index.get('target')?.offset, 1024);
  await index.close();
});

test('index rejects absolute member name', async () => {
  const path = await writeTar('absolute.tar', member('/etc/passwd', 'x'), END);
  await expectCode(indexTar(path), 'FORMAT_INVALID', /offset 0: member name "\/etc\/passwd" is absolute/);
});

test('index rejects dot-dot member name', async () => {
  const path = await writeTar('dotdot.tar', member('ok.txt', 'x'), member('a/../../evil', 'x'), END);
  await expectCode(indexTar(path), 'FORMAT_INVALID', /offset 1024: member name "a\/..\/..\/evil" contains a ".." segment/);
});

test('index rejects duplicate member', async () => {
  const path = await writeTar('duplicate.tar', member('manifest.json', '[]'), member('./manifest.json', '[1]'), END);
  await expectCode(indexTar(path), 'FORMAT_INVALID', /member "manifest.json" appears twice \(first at offset 0\)/);
});

test('index accepts repeated directory', async () => {
  const path = await writeTar('dirs.tar', header({ name: 'blobs/', typeflag: '5' }), header({ name: 'blobs/', typeflag: '5' }), END);
  const index = await indexTar(path);
  assert.equal(index.get('blobs')?.type, 'directory');
  await index.close();
});

test('index rejects truncated data', async () => {
  const whole = Buffer.concat([member('big.bin', 'x'.repeat(2000)), END]);
  const path = await writeTar('truncated.tar', whole.subarray(0, 1000));
  await expectCode(indexTar(path), 'FORMAT_INVALID', /member "big.bin" declares 2000 bytes but the archive ends after 488; the file is truncated/);
});

test('index rejects truncated header', async () => {
  const path = await writeTar('half-header.tar', member('a', 'a'), header({ name: 'b' }).subarray(0, 100));
  await expectCode(indexTar(path), 'FORMAT_INVALID', /offset 1024: the archive is truncated inside a header \(100 of 512 bytes\)/);
});

test('index accepts missing end marker', async () => {
  const path = await writeTar('no-end.tar', member('a', 'a'));
  const index = await indexTar(path);
  assert.equal(index.entries().length, 1);
  await index.close();
});

test('index rejects corrupt checksum', async () => {
  const block = member('a.txt', 'abc');
  block[10] = 0x41;
  const path = await writeTar('checksum.tar', block, END);
  await expectCode(indexTar(path), 'FORMAT_INVALID', /offset 0: the header checksum is \d+ but the block sums to \d+/);
});

test('index names gzip input', async () => {
  const path = await writeTar('plain.tar', member('a', 'a'), END);
  await run('gzip', ['-k', path]);
  await expectCode(indexTar(`${path}.gz`), 'FORMAT_INVALID', /the file is gzip-compressed, not a plain tar/);
});

test('index rejects header after end block', async () => {
  const path = await writeTar('hidden.tar', member('a', 'a'), Buffer.alloc(512), member('hidden', 'h'), END);
  await expectCode(indexTar(path), 'FORMAT_INVALID', /offset 1536: a header follows an end-of-archive block/);
});

test('index caps member count', async () => {
  const members = Array.from({ length: 21 }, (_, i) => member(`f${i}`, ''));
  const path = await writeTar('bomb.tar', ...members, END);
  await expectCode(indexTar(path, { maxEntries: 20 }), 'LIMIT_EXCEEDED', /more than 20 members; raise maxTarEntries/);
  const index = await indexTar(path, { maxEntries: 21 });
  assert.equal(index.entries().length, 21);
  await index.close();
});

test('index caps name length', async () => {
  const source = join(dir, 'names');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'n'.repeat(200)), '');
  const path = join(dir, 'long-name.tar');
  await run('tar', ['--format=gnu', '-cf', path, '-C', source, 'n'.repeat(200)]);
  await expectCode(indexTar(path, { maxNameLength: 100 }), 'FORMAT_INVALID', /an extended header of 201 bytes is above the 101-byte cap/);
  const index = await indexTar(path, { maxNameLength: 200 });
  assert.ok(index.get('n'.repeat(200)));
  await index.close();
});

test('index reads symlink written by tar', async () => {
  const source = join(dir, 'symlinks');
  await mkdir(join(source, 'id'), { recursive: true });
  await writeFile(join(source, 'layer.tar'), 'data');
  await symlink('../layer.tar', join(source, 'id', 'layer.tar'));
  const path = join(dir, 'symlinks.tar');
  await run('tar', ['-cf', path, '-C', source, 'layer.tar', 'id']);
  const index = await indexTar(path);
  assert.equal(index.get('id/layer.tar')?.type, 'symlink');
  assert.equal(index.resolve('id/layer.tar')?.name, 'layer.tar');
  await index.close();
});

test('read rejects member above cap', async () => {
  const path = await writeTar('cap.tar', member('config.json', '{"a":1}'), END);
  const index = await indexTar(path);
  await expectCode(index.read(index.get('config.json')!, { maxBytes: 3, limitName: 'maxConfigBytes' }), 'LIMIT_EXCEEDED', /has 7 bytes, above the 3-byte cap; raise maxConfigBytes/);
  await index.close();
});

test('member name normalization cases', () => {
  assert.equal(normalizeMemberName('./a//b/'), 'a/b');
  assert.equal(normalizeMemberName('a/./b'), 'a/b');
  assert.deepEqual(normalizeMemberName('/a'), { problem: 'is absolute' });
  assert.deepEqual(normalizeMemberName('a/../b'), { problem: 'contains a ".." segment' });
});
