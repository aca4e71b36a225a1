import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ImageConfig } from '../../src/artifact/source.js';
import { describeImageConfig } from '../../src/scan/image-config-facts.js';

const CONFIG: ImageConfig = {
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  created: '2024-01-02T03:04:05Z',
  config: {
    User: 'app',
    WorkingDir: '/srv',
    Entrypoint: ['/usr/bin/tini', '--'],
    Cmd: ['node', 'server.js'],
    Env: ['PATH=/usr/bin:/bin', 'DB_PASSWORD=hunter2hunter2', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'DB_PASSWORD_FILE=/run/secrets/db', 'NO_VALUE'],
    ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
    Labels: { 'org.opencontainers.image.version': '1.2.3', 'api-token': 'abcdefghijkl', maintainer: 'ops@example.com' },
    StopSignal: 'SIGTERM',
  },
};

test('image config facts', () => {
  const facts = describeImageConfig(CONFIG);
  assert.equal(facts.architecture, 'arm64');
  assert.equal(facts.os, 'linux');
  assert.equal(facts.variant, 'v8');
  assert.equal(facts.created, '2024-01-02T03:04:05Z');
  assert.equal(facts.user, 'app');
  assert.equal(facts.workingDir, '/srv');
  assert.deepEqual(facts.entrypoint, ['/usr/bin/tini', '--']);
  assert.deepEqual(facts.cmd, ['node', 'server.js']);
  assert.deepEqual(facts.exposedPorts, ['53/udp', '8080/tcp']);
  assert.equal(facts.stopSignal, 'SIGTERM');
});

test('secret env values are masked', () => {
  const facts = describeImageConfig(CONFIG);
  assert.deepEqual(facts.env, ['PATH=/usr/bin:/bin', 'DB_PASSWORD=hu**********', 'AWS_ACCESS_KEY_ID=AK**********', 'DB_PASSWORD_FILE=/run/secrets/db', 'NO_VALUE']);
  assert.ok(!JSON.stringify(facts).includes('hunter2'));
});

test('secrets in entrypoint and command words are masked', () => {
  const facts = describeImageConfig({
    config: {
      Entrypoint: ['curl', '-H', 'Authorization: Bearer cmdsecret123', 'https://api.example.com'],
      Cmd: ['--password=hunter2hunter2', '--log-level=debug', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', '--config=/etc/app.yaml'],
    },
  });
  assert.deepEqual(facts.entrypoint, ['curl', '-H', 'Authorization: Bearer cm**********', 'https://api.example.com']);
  assert.deepEqual(facts.cmd, ['--password=hu**********', '--log-level=debug', 'gh**********', '--config=/etc/app.yaml']);
  assert.ok(!JSON.stringify(facts).includes('cmdsecret'));
  assert.ok(!JSON.stringify(facts).includes('hunter2'));
});

test('secret label values are masked', () => {
  assert.deepEqual(describeImageConfig(CONFIG).labels, [
    { key: 'api-token', value: 'ab**********' },
    { key: 'maintainer', value: 'ops@example.com' },
    { key: 'org.opencontainers.image.version', value: '1.2.3' },
  ]);
});

test('wrong types are left out', () => {
  const hostile = { architecture: 7, config: { User: ['root'], Env: 'A=b', Cmd: [1, 'sh'], Labels: ['x'], ExposedPorts: 'all' } } as unknown as ImageConfig;
  assert.deepEqual(describeImageConfig(hostile), { cmd: ['sh'] });
});

test('empty config gives no facts', () => {
  assert.deepEqual(describeImageConfig({}), {});
});
