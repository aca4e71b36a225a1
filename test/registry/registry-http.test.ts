import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { BulwarkError, NetworkError } from '../../src/errors.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { digestBytes } from '../../src/artifact/digest.js';
import { parseReference } from '../../src/registry/reference.js';
import type { RetryEvent } from '../../src/registry/registry-http.js';
import { listen, registryToolsSkip } from '../helpers/registry-server.js';
import { startRegistryWithImages, type RegistryFixture } from './fixture-images.js';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';

const skip = registryToolsSkip();
const USER = 'alice';
const PASSWORD = 'correct horse';
let fixture: RegistryFixture;
let proxy: FlakyProxy;

before(async () => {
  if (skip) return;
  fixture = await startRegistryWithImages({ htpasswd: { [USER]: PASSWORD }, pushCredentials: `${USER}:${PASSWORD}` });
  proxy = await startFlakyProxy(fixture.registry.host);
});

after(async () => {
  if (skip) return;
  await proxy.stop();
  await fixture.stop();
});

/** Runs a body with a client through the proxy that records its retries. */
async function withClient(options: RegistryClientOptions, body: (client: RegistryClient, retries: RetryEvent[]) => Promise<void>): Promise<void> {
  const retries: RetryEvent[] = [];
  const client = new RegistryClient({
    insecure: true,
    useDockerConfig: false,
    credentials: { username: USER, password: PASSWORD },
    retry: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 4 },
    onRetry: (event) => retries.push(event),
    ...options,
  });
  try {
    await body(client, retries);
  } finally {
    client.close();
  }
}

function reference(tag: string) {
  return parseReference(`${proxy.host}/test/app:${tag}`);
}

function countRequests(pattern: RegExp): number {
  return proxy.log.filter((line) => pattern.test(line)).length;
}

test('retry 429 honours Retry-After', { skip }, async () => {
  await withClient({}, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'status', status: 429, headers: { 'retry-after': '1' } } });
    const fetched = await client.getManifest(reference('v1'));
    assert.equal(fetched.manifest.kind, 'manifest');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]?.status, 429);
    assert.equal(retries[0]?.delayMs, 1000);
  });
});

test('retry 503 then success', { skip }, async () => {
  await withClient({}, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'status', status: 503 }, times: 2 });
    await client.getManifest(reference('v1'));
    assert.deepEqual(retries.map((r) => r.status), [503, 503]);
    assert.deepEqual(retries.map((r) => r.attempt), [1, 2]);
  });
});

test('retry dropped connection', { skip }, async () => {
  await withClient({}, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'drop' } });
    await client.getManifest(reference('v1'));
    assert.equal(retries.length, 1);
    assert.match(retries[0]?.error ?? '', /socket hang up|ECONNRESET/);
  });
});

test('retry stalled request timeout', { skip }, async () => {
  await withClient({ idleTimeoutMs: 200 }, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'stall' } });
    await client.getManifest(reference('v1'));
    assert.equal(retries.length, 1);
    assert.match(retries[0]?.error ?? '', /no data from .* for 200 ms/);
  });
});

test('persistent 503 ends with NetworkError', { skip }, async () => {
  await withClient({}, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'status', status: 503 }, times: 4 });
    await assert.rejects(client.getManifest(reference('v1')), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, 'NETWORK');
      assert.equal(error.status, 503);
      assert.ok(error.message.includes(`http://${proxy.host}/v2/test/app/manifests/v1`), error.message);
      assert.ok(error.message.includes('status 503 after 4 attempt(s)'), error.message);
      assert.ok(error.message.includes('INJECTED'), error.message);
      return true;
    });
    assert.equal(retries.length, 3);
  });
});

test('persistent drop ends with NetworkError', { skip }, async () => {
  await withClient({}, async (client) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'drop' }, times: 4 });
    await assert.rejects(client.getManifest(reference('v1')), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, 'NETWORK');
      assert.ok(error.message.includes('failed after 4 attempt(s)'), error.message);
      return true;
    });
  });
});

test('Retry-After over maximum fails fast', { skip }, async () => {
  await withClient({ retry: { maxRetryAfterMs: 500 } }, async (client, retries) => {
    proxy.inject({ path: /\/manifests\/v1$/, action: { type: 'status', status: 429, headers: { 'retry-after': '120' } } });
    await assert.rejects(client.getManifest(reference('v1')), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.status, 429);
      assert.ok(error.message.includes('Retry-After 120 s'), error.message);
      return true;
    });
    assert.equal(retries.length, 0);
  });
});

test('404 is not retried', { skip }, async () => {
  await withClient({}, async (client, retries) => {
    const before = countRequests(/manifests\/missing$/);
    await assert.rejects(client.getManifest(reference('missing')), (error: unknown) => error instanceof BulwarkError && error.code === 'NOT_FOUND');
    assert.equal(retries.length, 0);
    // One request meets the Basic challenge; the second carries the credentials.
    assert.equal(countRequests(/manifests\/missing$/) - before, 2);
  });
});

test('redirect strips Authorization cross-origin', { skip }, async () => {
  await withClient({}, async (client) => {
    const fetched = await client.getManifest(reference('v1'));
    assert.ok(fetched.manifest.kind === 'manifest');
    const layer = fetched.manifest.layers[0]!;
    const chunks: Buffer[] = [];
    for await (const chunk of await client.getBlob(reference('v1'), layer)) chunks.push(chunk as Buffer);
    const layerBytes = Buffer.concat(chunks);

    const seen: Array<string | undefined> = [];
    const storage = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-length': String(layerBytes.length) });
      res.end(layerBytes);
    });
    const port = await listen(storage);
    try {
      const location = `http://127.0.0.1:${port}/storage/layer?signature=abc`;
      proxy.inject({ path: /\/blobs\/sha256:/, action: { type: 'respond', status: 307, headers: { location }, body: Buffer.alloc(0) } });
      const redirected: Buffer[] = [];
      for await (const chunk of await client.getBlob(reference('v1'), layer)) redirected.push(chunk as Buffer);
      assert.equal(digestBytes(Buffer.concat(redirected)), layer.digest);
      assert.deepEqual(seen, [undefined]);
      const sameOriginBefore = proxy.log.length;
      proxy.inject({ path: /\/blobs\/sha256:/, action: { type: 'respond', status: 302, headers: { location: `/v2/test/app/blobs/${layer.digest}?again=1` }, body: Buffer.alloc(0) } });
      for await (const chunk of await client.getBlob(reference('v1'), layer)) void chunk;
      assert.ok(proxy.log.slice(sameOriginBefore).some((line) => line.endsWith('?again=1')));
    } finally {
      storage.closeAllConnections();
      await new Promise((resolve) => storage.close(resolve));
    }
  });
});

test('redirect loop limit', { skip }, async () => {
  await withClient({}, async (client) => {
    proxy.inject({ path: /\/manifests\/loop$/, action: { type: 'respond', status: 302, headers: { location: '/v2/test/app/manifests/loop' }, body: Buffer.alloc(0) }, times: 20 });
    await assert.rejects(client.getManifest(reference('loop')), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.ok(error.message.includes('more than 10 redirects'), error.message);
      return true;
    });
  });
});
