import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lookupDockerCredentials, registryFromConfigKey } from '../../src/registry/docker-config.js';

let root: string;
let bin: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'bulwark-docker-config-'));
  bin = join(root, 'bin');
  await mkdir(bin);
  const helper = join(bin, 'docker-credential-store');
  await writeFile(helper, `#!/bin/sh\nread server\nif [ "$server" = "helper.example" ]; then echo '{"Username":"carol","Secret":"from-helper"}'; else echo 'credentials not found in native keychain'; exit 1; fi\n`);
  await chmod(helper, 0o755);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes a config.json into a new folder and returns the folder. */
async function configDir(name: string, config: unknown): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

function basic(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}

test('registryFromConfigKey normalizes keys', () => {
  assert.equal(registryFromConfigKey('https://index.docker.io/v1/'), 'docker.io');
  assert.equal(registryFromConfigKey('index.docker.io'), 'docker.io');
  assert.equal(registryFromConfigKey('registry-1.docker.io'), 'docker.io');
  assert.equal(registryFromConfigKey('http://Reg.Example:5000/v2/'), 'reg.example:5000');
  assert.equal(registryFromConfigKey('ghcr.io'), 'ghcr.io');
});

test('lookup docker hub auth entry', async () => {
  const dir = await configDir('hub', { auths: { 'https://index.docker.io/v1/': { auth: basic('dave', 'pw:with:colons') } } });
  const lookup = await lookupDockerCredentials('docker.io', { configDir: dir });
  assert.deepEqual(lookup, { credentials: { username: 'dave', password: 'pw:with:colons', source: join(dir, 'config.json') }, diagnostics: [] });
});

test('lookup via DOCKER_CONFIG env', async () => {
  const dir = await configDir('env', { auths: { 'reg.example': { username: 'erin', password: 'pw' } } });
  const lookup = await lookupDockerCredentials('reg.example', { env: { DOCKER_CONFIG: dir } });
  assert.equal(lookup.credentials?.username, 'erin');
  assert.equal(lookup.credentials?.password, 'pw');
});

test('lookup tokens from auths', async () => {
  const dir = await configDir('tokens', { auths: { 'a.example': { identitytoken: 'refresh' }, 'b.example': { registrytoken: 'bearer' } } });
  assert.equal((await lookupDockerCredentials('a.example', { configDir: dir })).credentials?.identityToken, 'refresh');
  assert.equal((await lookupDockerCredentials('b.example', { configDir: dir })).credentials?.registryToken, 'bearer');
});

test('lookup missing entry and file', async () => {
  const dir = await configDir('other', { auths: { 'reg.example': { auth: basic('x', 'y') } } });
  assert.deepEqual(await lookupDockerCredentials('ghcr.io', { configDir: dir }), { diagnostics: [] });
  assert.deepEqual(await lookupDockerCredentials('ghcr.io', { configDir: join(root, 'absent') }), { diagnostics: [] });
});

test('lookup credHelpers before auths', async () => {
  const dir = await configDir('helpers', { credHelpers: { 'helper.example': 'store' }, auths: { 'helper.example': { auth: basic('old', 'old') } } });
  const lookup = await lookupDockerCredentials('helper.example', { configDir: dir, env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.deepEqual(lookup.credentials, { username: 'carol', password: 'from-helper', source: 'docker-credential-store' });
});

test('lookup credsStore falls back to auths', async () => {
  const dir = await configDir('store', { credsStore: 'store', auths: { 'plain.example': { auth: basic('frank', 'pw') } } });
  const lookup = await lookupDockerCredentials('plain.example', { configDir: dir, env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(lookup.credentials?.username, 'frank');
  assert.deepEqual(lookup.diagnostics, []);
});

test('lookup missing helper diagnostic', async () => {
  const dir = await configDir('missing-helper', { credsStore: 'desktop' });
  const lookup = await lookupDockerCredentials('reg.example', { configDir: dir, env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(lookup.credentials, undefined);
  assert.equal(lookup.diagnostics.length, 1);
  assert.equal(lookup.diagnostics[0]?.code, 'AUTH');
  assert.equal(lookup.diagnostics[0]?.target, join(dir, 'config.json'));
  assert.match(lookup.diagnostics[0]?.message ?? '', /docker-credential-desktop not found on PATH/);
});

test('lookup invalid config diagnostics', async () => {
  const broken = await configDir('broken', '{"auths": ');
  const brokenLookup = await lookupDockerCredentials('reg.example', { configDir: broken });
  assert.equal(brokenLookup.credentials, undefined);
  assert.equal(brokenLookup.diagnostics[0]?.code, 'FORMAT_INVALID');
  assert.match(brokenLookup.diagnostics[0]?.message ?? '', /invalid JSON in Docker config/);

  const badAuth = await configDir('bad-auth', { auths: { 'reg.example': { auth: Buffer.from('no-colon-secret').toString('base64') } } });
  const badLookup = await lookupDockerCredentials('reg.example', { configDir: badAuth });
  assert.equal(badLookup.credentials, undefined);
  assert.equal(badLookup.diagnostics[0]?.code, 'FORMAT_INVALID');
  assert.ok(!(badLookup.diagnostics[0]?.message ?? '').includes('no-colon-secret'));
});
