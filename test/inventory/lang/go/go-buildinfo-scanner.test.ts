import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGoBuildInfoScanner } from '../../../../src/inventory/lang/go/go-buildinfo-scanner.js';
import type { GoBuildInfo } from '../../../../src/inventory/lang/go/go-modinfo.js';
import { buildInlineBlob, frameModInfo } from './helpers/synthetic-elf.js';

const MOD_INFO = 'path\texample.com/app\nmod\texample.com/app\tv1.2.0\t\n';

function scan(content: Buffer, chunkSize: number, maxWindowSize?: number): ReturnType<typeof createGoBuildInfoScanner> & { info: GoBuildInfo | undefined } {
  const scanner = createGoBuildInfoScanner(maxWindowSize === undefined ? {} : { maxWindowSize });
  for (let offset = 0; offset < content.length; offset += chunkSize) scanner.write(content.subarray(offset, offset + chunkSize));
  const info = scanner.end();
  return Object.assign(scanner, { info });
}

/** Places `blob` at `offset` in a buffer of filler bytes. */
function fileWith(blob: Buffer, offset: number, size = offset + blob.length + 1000): Buffer {
  const file = Buffer.alloc(size, 0x5a);
  blob.copy(file, offset);
  return file;
}

test('scanner finds blob across chunk sizes', () => {
  const file = fileWith(buildInlineBlob('go1.21.5', frameModInfo(MOD_INFO)), 4096);
  for (const chunkSize of [1, 3, 7, 16, 100, 4096, 1 << 20]) {
    const result = scan(file, chunkSize);
    assert.equal(result.info?.goVersion, 'go1.21.5', `chunk ${chunkSize}`);
    assert.equal(result.info?.main?.version, 'v1.2.0', `chunk ${chunkSize}`);
    assert.equal(result.problem, undefined, `chunk ${chunkSize}`);
  }
});

test('scanner skips unaligned magic', () => {
  const file = fileWith(buildInlineBlob('go1.21.5', frameModInfo(MOD_INFO)), 4100);
  const result = scan(file, 64);
  assert.equal(result.info, undefined);
  assert.equal(result.problem, undefined);
});

test('scanner skips false magic first', () => {
  // The magic text as a constant in read-only data, then the real blob.
  const decoy = Buffer.from('\xff Go buildinf:some other string data here....', 'latin1');
  const file = fileWith(buildInlineBlob('go1.20.1', frameModInfo(MOD_INFO)), 8192);
  decoy.copy(file, 1024);
  for (const chunkSize of [5, 1024, 1 << 16]) {
    assert.equal(scan(file, chunkSize).info?.goVersion, 'go1.20.1', `chunk ${chunkSize}`);
  }
});

test('scanner flags the pointer layout', () => {
  const blob = buildInlineBlob('go1.16', '');
  blob[15] = 0;
  const result = scan(fileWith(blob, 512), 100);
  assert.equal(result.info, undefined);
  assert.equal(result.legacyFormat, true);
  assert.match(result.problem ?? '', /pre-Go 1.18 pointer layout/);
});

test('scanner window cap is reported', () => {
  const bigModInfo = frameModInfo(`${MOD_INFO}${'dep\texample.com/dep\tv1.0.0\t\n'.repeat(200)}`);
  const file = fileWith(buildInlineBlob('go1.21.5', bigModInfo), 256);
  const capped = scan(file, 512, 1024);
  assert.equal(capped.info, undefined);
  assert.match(capped.problem ?? '', /longer than the 1024-byte window/);
  assert.equal(scan(file, 512, 64 * 1024).info?.deps.length, 200);
});

test('scanner on truncated file', () => {
  const blob = buildInlineBlob('go1.21.5', frameModInfo(MOD_INFO));
  const result = scan(blob.subarray(0, blob.length - 5), 10);
  assert.equal(result.info, undefined);
  assert.equal(result.legacyFormat, false);
});
