import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetworkError } from '../../src/errors.js';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.js';
import { MediaType } from '../../src/registry/manifest.js';
import { parseReference } from '../../src/registry/reference.js';
import { registryToolsSkip, startTokenServer, type RunningTokenServer } from '../helpers/registry-server.js';
import { startRegistryWithImages, type RegistryFixture } from './fixture-images.js';

const skip = registryToolsSkip();
const USER = 'alice';
const PASSWORD = 's3cret-pass';
const REFRESH_TOKEN = 'refresh-token-for-alice';

async function withClient(options: RegistryClientOptions, body: (client: RegistryClient) => Promise<void>): Promise<void> {
  const client = new RegistryClient({ insecure: true, useDockerConfig: false, retry: { initialDelayMs: 10, maxDelayMs: 40 }, ...options });
  try {
    await body(client);
  } finally {
    client.close();
  }
}

function isAuthError(fragment: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.code, 'AUTH', error.message);
    assert.ok(error.message.includes(fragment), error.message);
    assert.ok(!error.message.includes(PASSWORD), 'the message must not contain the password');
    return true;
  };
}

describe('htpasswd registry', { skip }, () => {
  let fixture: RegistryFixture;
  let configDir: string;

  before(async () => {
    fixture = await startRegistryWithImages({ htpasswd: { [USER]: PASSWORD }, pushCredentials: `${USER}:${PASSWORD}` });
    configDir = await mkdtemp(join(tmpdir(), 'bulwark-docker-config-'));
  });

  after(async () => {
    await fixture.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  const ref = () => parseReference(`${fixture.registry.host}/test/app:v1`);

  test('anonymous request rejected', async () => {
    await withClient({}, async (client) => {
      await assert.rejects(client.getManifest(ref()), isAuthError(`registry ${fixture.registry.host} requires a username and password (realm "bulwark-test")`));
    });
  });

  test('basic credentials from options', async () => {
    await withClient({ credentials: { username: USER, password: PASSWORD } }, async (client) => {
      const fetched = await client.getManifest(ref());
      assert.equal(fetched.mediaType, MediaType.ociManifest);
    });
  });

  test('wrong password rejected', async () => {
    await withClient({ credentials: { username: USER, password: 'wrong' } }, async (client) => {
      await assert.rejects(client.getManifest(ref()), isAuthError('rejected the credentials (status 401, using user "alice" from options)'));
    });
  });

  test('basic credentials from DOCKER_CONFIG', async () => {
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [`http://${fixture.registry.host}/v2/`]: { auth } } }));
    await withClient({ useDockerConfig: true, env: { DOCKER_CONFIG: configDir, PATH: process.env.PATH } }, async (client) => {
      const fetched = await client.getManifest(ref());
      assert.equal(fetched.manifest.kind, 'manifest');
      assert.deepEqual(client.diagnostics, []);
    });
  });

  test('config username and password fields', async () => {
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [fixture.registry.host]: { username: USER, password: 'wrong' } } }));
    await withClient({ useDockerConfig: true, dockerConfigDir: configDir }, async (client) => {
      await assert.rejects(client.getManifest(ref()), isAuthError(`user "alice" from ${join(configDir, 'config.json')}`));
    });
  });
});

describe('token registry', { skip }, () => {
  let tokens: RunningTokenServer;
  let fixture: RegistryFixture;

  before(async () => {
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, refreshTokens: { [REFRESH_TOKEN]: USER } });
    fixture = await startRegistryWithImages({ token: tokens, pushCredentials: `${USER}:${PASSWORD}` });
  });

  after(async () => {
    await fixture.stop();
    await tokens.stop();
  });

  const ref = (name = 'test/app:v1') => parseReference(`${fixture.registry.host}/${name}`);

  test('anonymous pull token', async () => {
    await withClient({}, async (client) => {
      const start = tokens.requests.length;
      const fetched = await client.getManifest(ref());
      assert.equal(fetched.manifest.kind, 'manifest');
      assert.deepEqual(tokens.requests.slice(start), [{ method: 'GET', user: undefined, scope: 'repository:test/app:pull' }]);
    });
  });

  test('token cached per scope', async () => {
    await withClient({ credentials: { username: USER, password: PASSWORD } }, async (client) => {
      const start = tokens.requests.length;
      await client.getManifest(ref());
      await client.getManifest(ref('test/app:docker'));
      await client.listTags(ref());
      await client.getManifest(ref('test/multi:v1'));
      assert.deepEqual(tokens.requests.slice(start), [
        { method: 'GET', user: USER, scope: 'repository:test/app:pull' },
        { method: 'GET', user: USER, scope: 'repository:test/multi:pull' },
      ]);
    });
  });

  test('push needs credentials', async () => {
    await withClient({}, async (client) => {
      await assert.rejects(client.putBlob(ref('test/pushed:x'), Buffer.from('anonymous')), isAuthError('rejected the credentials (status 401, using no credentials)'));
    });
    await withClient({ credentials: { username: USER, password: PASSWORD } }, async (client) => {
      const pushed = await client.putBlob(ref('test/pushed:x'), Buffer.from('as alice'));
      assert.equal(pushed.size, 8);
    });
  });

  test('wrong password at token server', async () => {
    await withClient({ credentials: { username: USER, password: 'wrong' } }, async (client) => {
      await assert.rejects(client.getManifest(ref()), isAuthError('rejected the request for scope "repository:test/app:pull" with status 401 using user "alice" from options'));
    });
  });

  test('identity token refresh flow', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'bulwark-docker-config-'));
    try {
      await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths: { [fixture.registry.host]: { identitytoken: REFRESH_TOKEN } } }));
      await withClient({ useDockerConfig: true, dockerConfigDir: configDir }, async (client) => {
        const start = tokens.requests.length;
        const pushed = await client.putBlob(ref('test/pushed:y'), Buffer.from('refresh'));
        assert.equal(pushed.size, 7);
        assert.deepEqual(tokens.requests.slice(start), [{ method: 'POST', user: USER, scope: 'repository:test/pushed:pull,push' }]);
      });
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});

describe('access_token responses', { skip }, () => {
  test('access_token field accepted', async () => {
    const tokens = await startTokenServer({ users: { [USER]: PASSWORD }, useAccessTokenField: true });
    const fixture = await startRegistryWithImages({ token: tokens, pushCredentials: `${USER}:${PASSWORD}` }).catch(async (error: unknown) => {
      await tokens.stop();
      throw error;
    });
    try {
      await withClient({}, async (client) => {
        const fetched = await client.getManifest(parseReference(`${fixture.registry.host}/test/app:v1`));
        assert.equal(fetched.manifest.kind, 'manifest');
      });
    } finally {
      await fixture.stop();
      await tokens.stop();
    }
  });
});
