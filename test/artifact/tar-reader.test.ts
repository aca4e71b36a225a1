import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { BulwarkError } from '../../src/errors.js';
import { readTar, type TarMember } from '../../src/artifact/tar-reader.js';
import { buildTar } from '../helpers/tar-builder.js';

const work = mkdtempSync(join(tmpdir(), 'bulwark-tar-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A tree with a 150-byte path, a long symlink target and a file whose size is not a block multiple. */
function makeTree(): string {
  const root = join(work, 'tree');
  if (existsSync(root)) return root;
  const deep = join(root, 'd'.repeat(60), 'e'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'long-file-name.txt'), 'x'.repeat(1000));
  writeFileSync(join(root, 'small'), 'hello\n');
  symlinkSync(`../${'t'.repeat(120)}`, join(root, 'link'));
  return root;
}

/** Builds a tar with GNU tar in the given format, the way image builders write layers. */
function gnuTar(format: 'gnu' | 'pax'): Buffer {
  const root = makeTree();
  return execFileSync('tar', ['--format', format, '--sort=name', '-C', root, '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
}

/** Reads a tar in chunks of a given size and returns the members with their data. */
async function readAll(tar: Buffer, chunkSize: number) {
  const members: Array<TarMember & { data: string }> = [];
  async function* chunks() {
    for (let i = 0; i < tar.length; i += chunkSize) yield tar.subarray(i, i + chunkSize);
  }
  await readTar(chunks(), {
    label: 'test.tar',
    maxMetaSize: 1024 * 1024,
    onMember(member) {
      const parts: Buffer[] = [];
      const entry = { ...member, data: '' };
      members.push(entry);
      return {
        write: (chunk) => parts.push(Buffer.from(chunk)),
        end: () => {
          entry.data = Buffer.concat(parts).toString();
        },
      };
    },
  });
  return members;
}

describe('readTar', () => {
  for (const format of ['gnu', 'pax'] as const) {
    it(`reads GNU tar ${format} long names`, async () => {
      const tar = gnuTar(format);
      for (const chunkSize of [tar.length, 4096, 511, 1]) {
        const members = await readAll(tar, chunkSize);
        const file = members.find((member) => member.name.endsWith('long-file-name.txt'));
        assert.ok(file, `no long-named file at chunk size ${chunkSize}`);
        assert.equal(file.name, `./${'d'.repeat(60)}/${'e'.repeat(60)}/long-file-name.txt`);
        assert.equal(file.data, 'x'.repeat(1000));
        const link = members.find((member) => member.name === './link');
        assert.equal(link?.typeflag, '2');
        assert.equal(link?.linkname, `../${'t'.repeat(120)}`);
        assert.equal(members.find((member) => member.name === './small')?.data, 'hello\n');
      }
    });
  }

  it('matches GNU tar listing', async () => {
    const tar = gnuTar('pax');
    const listed = execFileSync('tar', ['-tf', '-'], { input: tar, encoding: 'utf8' }).trim().split('\n');
    const members = await readAll(tar, 10_000);
    assert.deepEqual(members.map((member) => (member.typeflag === '5' ? `${member.name}` : member.name)).map((name) => name.replace(/\/$/, '')), listed.map((name) => name.replace(/\/$/, '')));
  });

  it('accepts a missing end-of-archive marker', async () => {
    const tar = await buildTar([{ name: 'a', content: 'first' }, { name: 'b', content: 'second' }]);
    // tar-stream ends an archive with exactly two zero blocks; cut them off.
    const members = await readAll(tar.subarray(0, tar.length - 1024), 4096);
    assert.deepEqual(members.map((member) => `${member.name}=${member.data}`), ['a=first', 'b=second']);
  });

  it('ignores data size of directories', async () => {
    const tar = await buildTar([{ name: 'dir/', type: 'directory' }, { name: 'dir/file', content: 'ok' }]);
    const members = await readAll(tar, 100);
    assert.deepEqual(members.map((member) => [member.name, member.size, member.data]), [['dir/', 0, ''], ['dir/file', 2, 'ok']]);
  });

  it('rejects a stream cut inside a member', async () => {
    const tar = gnuTar('pax');
    const offset = tar.indexOf('x'.repeat(100));
    for (const cut of [offset + 10, offset - 100]) {
      await assert.rejects(readAll(tar.subarray(0, cut), 4096), (error: BulwarkError) => error.code === 'FORMAT_INVALID' && /ends inside/.test(error.message));
    }
  });

  it('rejects a bad checksum with its offset', async () => {
    const tar = Buffer.from(gnuTar('pax'));
    tar[0] ^= 0xff;
    await assert.rejects(readAll(tar, 4096), (error: BulwarkError) => error.code === 'FORMAT_INVALID' && /at byte 0:.*checksum/.test(error.message));
  });

  it('caps long-name records', async () => {
    const tar = gnuTar('gnu');
    let capped = false;
    try {
      await readTar(
        (async function* () {
          yield tar;
        })(),
        { label: 'test.tar', maxMetaSize: 50, onMember: () => undefined },
      );
    } catch (error) {
      capped = (error as BulwarkError).code === 'LIMIT_EXCEEDED';
    }
    assert.equal(capped, true);
  });
});
