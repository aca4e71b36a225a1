import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCredentialHelper } from '../../src/registry/credential-helper.js';

let bin: string;
let env: NodeJS.ProcessEnv;

// Each helper follows the docker-credential-helpers protocol: `get` reads the server URL on stdin.
const HELPERS: Record<string, string> = {
  // Prints credentials for reg.example and the Docker Hub URL, and the not-found message otherwise.
  basic: `read server
case "$server" in
  reg.example) echo '{"ServerURL":"reg.example","Username":"bob","Secret":"hunter2"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"refresh-123"}' ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac`,
  broken: `echo 'error getting credentials - err: exit status 1, out: no keychain' >&2; exit 3`,
  garbage: `echo 'not json'`,
  slow: `sleep 5`,
};

before(async () => {
  bin = await mkdtemp(join(tmpdir(), 'bulwark-helpers-'));
  for (const [name, script] of Object.entries(HELPERS)) {
    const path = join(bin, `docker-credential-${name}`);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
  }
  env = { PATH: `${bin}:/usr/bin:/bin` };
});

after(async () => {
  await rm(bin, { recursive: true, force: true });
});

test('helper returns username and secret', async () => {
  const result = await runCredentialHelper('basic', 'reg.example', { env, timeoutMs: 5000 });
  assert.deepEqual(result, { credentials: { username: 'bob', password: 'hunter2', source: 'docker-credential-basic' } });
});

test('helper token username', async () => {
  const result = await runCredentialHelper('basic', 'https://index.docker.io/v1/', { env, timeoutMs: 5000 });
  assert.deepEqual(result, { credentials: { identityToken: 'refresh-123', source: 'docker-credential-basic' } });
});

test('helper without entry', async () => {
  assert.deepEqual(await runCredentialHelper('basic', 'other.example', { env, timeoutMs: 5000 }), {});
});

test('helper missing from PATH', async () => {
  const result = await runCredentialHelper('absent', 'reg.example', { env, timeoutMs: 5000 });
  assert.equal(result.credentials, undefined);
  assert.equal(result.diagnostic?.code, 'AUTH');
  assert.match(result.diagnostic?.message ?? '', /credential helper docker-credential-absent not found on PATH/);
});

test('helper failure exit status', async () => {
  const result = await runCredentialHelper('broken', 'reg.example', { env, timeoutMs: 5000 });
  assert.equal(result.diagnostic?.code, 'AUTH');
  assert.match(result.diagnostic?.message ?? '', /failed with exit status 3: error getting credentials/);
});

test('helper invalid output', async () => {
  const result = await runCredentialHelper('garbage', 'reg.example', { env, timeoutMs: 5000 });
  assert.equal(result.diagnostic?.code, 'FORMAT_INVALID');
  assert.ok(!(result.diagnostic?.message ?? '').includes('not json'));
});

test('helper timeout kills it', async () => {
  const result = await runCredentialHelper('slow', 'reg.example', { env, timeoutMs: 200 });
  assert.equal(result.diagnostic?.code, 'AUTH');
  assert.match(result.diagnostic?.message ?? '', /timed out after 200 ms/);
});

test('helper name with path rejected', async () => {
  const result = await runCredentialHelper('../basic', 'reg.example', { env, timeoutMs: 5000 });
  assert.equal(result.diagnostic?.code, 'USAGE');
  assert.match(result.diagnostic?.message ?? '', /invalid credential helper name "..\/basic"/);
});
