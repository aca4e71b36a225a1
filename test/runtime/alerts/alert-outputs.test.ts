import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';

import { createFileOutput, createHttpOutput, createProgramOutput } from '../../../src/runtime/alerts/alert-outputs.js';
import { isRunning } from '../../helpers/processes.js';

const work = mkdtempSync(join(tmpdir(), 'bulwark-alert-outputs-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Starts an HTTP server on 127.0.0.1 that responds to each request with the next status of `statuses`. */
async function statusServer(statuses: number[]) {
  const bodies: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/alerts`, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Starts an HTTP server on 127.0.0.1 that reads each request and never responds. */
async function silentServer() {
  let requests = 0;
  const server = createServer((request: IncomingMessage) => {
    requests++;
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('alert outputs', () => {
  it('file output appends lines', async () => {
    const path = join(work, 'alerts.log');
    const errors: Error[] = [];
    const output = createFileOutput(path, { onError: (error) => errors.push(error) });
    output.send('{"rule":"A"}');
    output.send('{"rule":"B"}');
    await output.close();
    assert.equal(readFileSync(path, 'utf8'), '{"rule":"A"}\n{"rule":"B"}\n');
    assert.equal(output.dropped(), 0);
    assert.deepEqual(errors, []);
  });

  it('program output feeds stdin', async () => {
    const path = join(work, 'program.log');
    const output = createProgramOutput(`cat > '${path}'`, { onError: (error) => assert.fail(error) });
    output.send('one');
    output.send('two');
    await output.close();
    assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\n');
  });

  it('http output retries failed posts', async () => {
    const server = await statusServer([503, 200]);
    const errors: Error[] = [];
    const output = createHttpOutput(server.url, { attempts: 3, retryDelayMs: 10, onError: (error) => errors.push(error) });
    output.send('{"rule":"A"}');
    await output.close();
    await server.close();
    assert.deepEqual(server.bodies, ['{"rule":"A"}', '{"rule":"A"}']);
    assert.equal(output.dropped(), 0);
    assert.deepEqual(errors, []);
  });

  it('http output drops after the last attempt', async () => {
    const server = await statusServer([500, 500, 200]);
    const errors: Error[] = [];
    const output = createHttpOutput(server.url, { attempts: 2, retryDelayMs: 10, onError: (error) => errors.push(error) });
    output.send('{"rule":"A"}');
    output.send('{"rule":"B"}');
    await output.close();
    await server.close();
    assert.equal(output.dropped(), 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /after 2 failed attempts.*HTTP 500/);
    assert.deepEqual(server.bodies, ['{"rule":"A"}', '{"rule":"A"}', '{"rule":"B"}']);
  });

  it('http output names a refused connection', async () => {
    // A port that was just free on 127.0.0.1, so the connection is refused.
    const closed = await statusServer([]);
    await closed.close();
    const errors: Error[] = [];
    const output = createHttpOutput(closed.url, { attempts: 1, onError: (error) => errors.push(error) });
    output.send('{"rule":"A"}');
    await output.close();
    assert.equal(output.dropped(), 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /after 1 failed attempts .*: fetch failed: .*ECONNREFUSED/);
  });

  it('http output caps the queue', async () => {
    const server = await silentServer();
    const errors: Error[] = [];
    const output = createHttpOutput(server.url, { requestTimeoutMs: 60_000, closeTimeoutMs: 200, onError: (error) => errors.push(error) });
    // One alert goes into the request that never gets a response, 10,000 wait in the queue, and
    // the last 4 find the queue full.
    for (let index = 0; index < 10_005; index++) output.send(`{"n":${index}}`);
    assert.equal(output.dropped(), 4);
    await output.close();
    await server.close();
    assert.equal(output.dropped(), 10_005);
    assert.equal(server.requests(), 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /^dropped 10000 queued alerts because http:\/\/127\.0\.0\.1:\d+\/alerts did not take them within 200 ms/);
  });

  it('http output times out requests', async () => {
    const server = await silentServer();
    const errors: Error[] = [];
    const output = createHttpOutput(server.url, { attempts: 2, retryDelayMs: 10, requestTimeoutMs: 50, onError: (error) => errors.push(error) });
    output.send('{"rule":"A"}');
    await output.close();
    await server.close();
    assert.equal(output.dropped(), 1);
    assert.equal(server.requests(), 2);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /after 2 failed attempts .*: timed out after 50 ms$/);
  });

  it('program output kills a stuck program', async () => {
    const errors: Error[] = [];
    const output = createProgramOutput('sleep 60', { closeTimeoutMs: 100, onError: (error) => errors.push(error) });
    // 2,000 lines of 100 bytes are more than a Linux pipe buffer (64 KiB), so some stay unread.
    for (let index = 0; index < 2000; index++) output.send('x'.repeat(99));
    await output.close();
    const unread = output.dropped();
    assert.ok(unread > 0, `unread lines: ${unread}`);
    assert.ok(unread < 2000, `unread lines: ${unread}`);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', new RegExp(`^program output 'sleep 60' did not exit within 100 ms of the end of input, so it was killed with ${unread} alerts unread$`));
  });

  it('program output kills the children of a stuck program', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const pidFile = join(work, 'child.pid');
    const errors: Error[] = [];
    // The shell starts sleep as its child and waits for it, so killing only the shell would leave sleep running.
    const output = createProgramOutput(`sleep 60 & echo $! > '${pidFile}'; wait`, { closeTimeoutMs: 100, onError: (error) => errors.push(error) });
    for (let attempt = 0; attempt < 500 && !(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== ''); attempt++) await sleep(10);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(isRunning(childPid), true);
    await output.close();
    assert.equal(errors.length, 1);
    // SIGKILL of the process group has been sent when close returns, but the kernel may take a moment to finish the child.
    for (let attempt = 0; attempt < 100 && isRunning(childPid); attempt++) await sleep(50);
    assert.equal(isRunning(childPid), false, `sleep ${childPid} still runs`);
  });

  it('program output reports an early exit', async () => {
    const errors: Error[] = [];
    const output = createProgramOutput('exit 3', { onError: (error) => errors.push(error) });
    for (let attempt = 0; attempt < 500 && errors.length === 0; attempt++) await sleep(10);
    output.send('x');
    await output.close();
    assert.equal(output.dropped(), 1);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.message, "program output 'exit 3' exited with code 3 before the end of input, so later alerts are dropped");
  });
});
