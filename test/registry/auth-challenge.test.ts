import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthChallenges } from '../../src/registry/auth-challenge.js';

test('parseAuthChallenges docker hub bearer', () => {
  const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"';
  assert.deepEqual(parseAuthChallenges(header), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' } },
  ]);
});

test('parseAuthChallenges basic with realm', () => {
  assert.deepEqual(parseAuthChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
});

test('parseAuthChallenges several challenges', () => {
  const header = 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Bearer realm="https://t.example/token"';
  assert.deepEqual(parseAuthChallenges(header), [
    { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
    { scheme: 'basic', params: { realm: 'simple' } },
    { scheme: 'bearer', params: { realm: 'https://t.example/token' } },
  ]);
});

test('parseAuthChallenges case and spaces', () => {
  const header = 'BEARER  Realm = "https://t.example/token" ,  SERVICE=reg.example';
  assert.deepEqual(parseAuthChallenges(header), [{ scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg.example' } }]);
});

test('parseAuthChallenges token68 forms', () => {
  assert.deepEqual(parseAuthChallenges('Negotiate abc123=='), [{ scheme: 'negotiate', params: {}, token68: 'abc123==' }]);
  assert.deepEqual(parseAuthChallenges('Negotiate abc=, Basic realm="r"'), [
    { scheme: 'negotiate', params: {}, token68: 'abc=' },
    { scheme: 'basic', params: { realm: 'r' } },
  ]);
});

test('parseAuthChallenges scheme without params', () => {
  assert.deepEqual(parseAuthChallenges('Basic, Bearer realm="x"'), [
    { scheme: 'basic', params: {} },
    { scheme: 'bearer', params: { realm: 'x' } },
  ]);
});

test('parseAuthChallenges commas inside quotes', () => {
  const header = 'Bearer realm="https://t.example/token",scope="repository:a:pull,push"';
  assert.deepEqual(parseAuthChallenges(header)[0]?.params.scope, 'repository:a:pull,push');
});

test('parseAuthChallenges malformed keeps earlier', () => {
  assert.deepEqual(parseAuthChallenges('Basic realm="ok", Bearer realm="unterminated'), [
    { scheme: 'basic', params: { realm: 'ok' } },
    { scheme: 'bearer', params: {} },
  ]);
  assert.deepEqual(parseAuthChallenges(''), []);
  assert.deepEqual(parseAuthChallenges('  ,, '), []);
  assert.deepEqual(parseAuthChallenges('"quoted"'), []);
});
