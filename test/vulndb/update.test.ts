import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BulwarkError, NetworkError } from '../../src/errors.js';
import { importSources } from '../../src/vulndb/import.js';
import { dbStatus } from '../../src/vulndb/status.js';
import { updateDb } from '../../src/vulndb/update.js';
import type { UpdateSourceUrl } from '../../src/vulndb/update.js';
import { sharedPath } from '../helpers/shared.js';

const vulndata = sharedPath('vulndata');
const work = mkdtempSync(join(tmpdir(), 'bulwark-vulndb-update-'));

/** Files served by path, plus a per-path list of failures to send before the real file. */
const files = new Map<string, Buffer>();
const failures = new Map<string, Array<'503' | '429' | 'drop'>>();
const requests: string[] = [];
let server: Server;
let baseUrl = '';

before(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const failure = failures.get(path)?.shift();
    const body = files.get(path);
    if (failure === '503') {
      response.writeHead(503).end('unavailable');
    } else if (failure === '429') {
      response.writeHead(429, { 'retry-after': '0' }).end('slow down');
    } else if (body === undefined) {
      response.writeHead(404).end('not found');
    } else if (failure === 'drop') {
      // Declare the whole length, send half, then cut the connection.
      response.writeHead(200, { 'content-length': String(body.length) });
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
    } else {
      response.writeHead(200, { 'content-length': String(body.length) }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (vulndata.skip) return;
  // An OSV all.zip built from the Go records, as storage.googleapis.com serves it.
  const zipPath = join(work, 'go-all.zip');
  execFileSync('zip', ['-q', '-j', '-r', zipPath, join(vulndata.path, 'osv-go', 'data', 'osv')]);
  files.set('/Go/all.zip', readFileSync(zipPath));
  files.set('/v3.18/main.json', readFileSync(join(vulndata.path, 'alpine-secdb', 'alpine', 'v3.18', 'main.json')));
  files.set(
    '/tracker/data/json',
    Buffer.from(JSON.stringify({ zlib: { 'CVE-2022-37434': { description: 'inflateGetHeader overflow', releases: { bookworm: { status: 'resolved', fixed_version: '1:1.2.13.dfsg-1', urgency: 'not yet assigned' } } } } })),
  );
});

after(() => {
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

function urls(): UpdateSourceUrl[] {
  return [
    { name: 'osv:Go', kind: 'osv', url: `${baseUrl}/Go/all.zip` },
    { name: 'alpine-secdb:v3.18-main', kind: 'alpine-secdb', url: `${baseUrl}/v3.18/main.json`, distro: 'alpine' },
    { name: 'debian-tracker', kind: 'debian-tracker-json', url: `${baseUrl}/tracker/data/json` },
  ];
}

test('updateDb downloads with retries and imports', { skip: vulndata.skip }, async () => {
  const cacheDir = join(work, 'cache-retry');
  failures.set('/Go/all.zip', ['503', 'drop']);
  failures.set('/v3.18/main.json', ['429']);
  const retries: string[] = [];

  const result = await updateDb({ cacheDir, urls: urls(), retryDelayMs: 1, onRetry: (event) => retries.push(event.reason) });
  // 4,291 Go records; v3.18/main.json has 1,143 secfixes entries; the tracker JSON has one CVE.
  assert.deepEqual(
    result.summary.sources.map((source) => [source.name, source.records]),
    [
      ['osv:Go', 4291],
      ['alpine-secdb:v3.18-main', 1143],
      ['debian-tracker', 1],
    ],
  );
  assert.equal(retries.length, 3);
  assert.equal(retries[0], 'HTTP 503');
  assert.match(retries[1] ?? '', /connection dropped|received/);
  assert.equal(retries[2], 'HTTP 429');

  const status = dbStatus(result.dbPath);
  assert.equal(status.sources.length, 3);
  assert.equal(status.sources.find((source) => source.name === 'osv:Go')?.location, `${baseUrl}/Go/all.zip`);
  assert.equal(status.isStale, false);
});

test('updateDb failure keeps previous DB', { skip: vulndata.skip }, async () => {
  const cacheDir = join(work, 'cache-drop');
  await updateDb({ cacheDir, urls: urls().slice(1), retryDelayMs: 1 });
  const before = dbStatus(join(cacheDir, 'vulndb.sqlite'));

  failures.set('/Go/all.zip', ['drop', 'drop', 'drop']);
  await assert.rejects(updateDb({ cacheDir, urls: urls(), retries: 2, retryDelayMs: 1 }), (error: unknown) => error instanceof NetworkError && error.code === 'NETWORK');

  const afterFailure = dbStatus(join(cacheDir, 'vulndb.sqlite'));
  assert.deepEqual(afterFailure.sources, before.sources);
  assert.equal(afterFailure.advisoryCount, before.advisoryCount);
});

test('updateDb not found without retry', async () => {
  const before = requests.length;
  await assert.rejects(
    updateDb({ cacheDir: join(work, 'cache-404'), urls: [{ name: 'osv:Nope', kind: 'osv', url: `${baseUrl}/Nope/all.zip` }], retryDelayMs: 1 }),
    (error: unknown) => error instanceof NetworkError && error.code === 'NOT_FOUND' && error.status === 404,
  );
  assert.equal(requests.length - before, 1);
});

test('updateDb download size cap', { skip: vulndata.skip }, async () => {
  await assert.rejects(
    updateDb({ cacheDir: join(work, 'cache-cap'), urls: urls().slice(1, 2), maxDownloadBytes: 1000 }),
    (error: unknown) => error instanceof BulwarkError && error.code === 'LIMIT_EXCEEDED',
  );
});

test('dbStatus stale after five days', { skip: vulndata.skip }, async () => {
  const dbPath = join(work, 'stale.sqlite');
  await importSources(dbPath, [join(vulndata.path, 'osv-ghsa-npm-sample')], { now: new Date('2026-01-01T00:00:00Z') });
  assert.equal(dbStatus(dbPath, { now: new Date('2026-01-05T23:00:00Z') }).isStale, false);
  const status = dbStatus(dbPath, { now: new Date('2026-01-06T00:00:01Z') });
  assert.equal(status.isStale, true);
  assert.equal(status.builtAt, '2026-01-01T00:00:00.000Z');
  assert.equal(status.sources[0]?.records, 8);
});

test('importSources zip compression ratio cap', async () => {
  const folder = join(work, 'bomb');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'BOMB-1.json'), JSON.stringify({ id: 'BOMB-1', details: ' '.repeat(2_000_000) }));
  const zipPath = join(work, 'bomb.zip');
  execFileSync('zip', ['-q', '-j', zipPath, join(folder, 'BOMB-1.json')]);
  await assert.rejects(importSources(join(work, 'bomb.sqlite'), [zipPath]), (error: unknown) => error instanceof BulwarkError && error.code === 'LIMIT_EXCEEDED');
});

test('importSources zip entry count cap', { skip: vulndata.skip }, async () => {
  const zipPath = join(work, 'go-copy.zip');
  copyFileSync(join(work, 'go-all.zip'), zipPath);
  await assert.rejects(
    importSources(join(work, 'count.sqlite'), [zipPath], { limits: { maxZipEntries: 100 } }),
    (error: unknown) => error instanceof BulwarkError && error.code === 'LIMIT_EXCEEDED',
  );
});
