import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { createFileOutput, createHttpOutput, createProgramOutput } from '../../../src/runtime/alerts/alert-outputs.js';

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
});
