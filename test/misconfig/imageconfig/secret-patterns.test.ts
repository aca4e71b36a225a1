import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isSecretName, maskSecret, matchSecret } from '../../../src/misconfig/imageconfig/secret-patterns.js';

test('secret names are recognized', () => {
  for (const name of ['DB_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'API_KEY', 'STRIPE_KEY', 'DB_PASS', 'MYSQL_PWD', 'apiToken', 'org.example.api-token', 'CLIENT_SECRET', 'SSH_PRIVATE_KEY', 'APIKEY', 'PGPASSWORD', 'MYSQLPASSWORD', 'REDISPASSWD']) {
    assert.equal(isSecretName(name), true, name);
  }
});

test('ordinary names are not secrets', () => {
  for (const name of ['PATH', 'HOME', 'NODE_VERSION', 'KEYRING', 'DB_PASSWORD_FILE', 'SECRET_KEY_PATH', 'TOKEN_URL', 'AWS_ACCESS_KEY_ID', 'PASSWORD_MIN_LENGTH', 'MONKEY', 'KEY', 'LANG', 'PWD_DIR']) {
    assert.equal(isSecretName(name), false, name);
  }
});

test('secret-like name with a real value matches', () => {
  assert.deepEqual(matchSecret('DB_PASSWORD', 'hunter2'), { reason: 'name' });
  assert.deepEqual(matchSecret('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), { reason: 'name' });
});

test('placeholders, paths and empty values do not match', () => {
  for (const [name, value] of [
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '   '],
    ['SECRET_ENABLED_FLAG', 'true'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['API_TOKEN', '$TOKEN'],
    ['SSL_PRIVATE_KEY', '/etc/ssl/private/server.key'],
    ['PWD', '/app'],
    ['PASSWORD_RETRIES', '3'],
    ['TOKEN_ENDPOINT', 'https://auth.example.com/oauth/token'],
    ['OAUTH_TOKEN', 'https://vault.example.com/v1/secret/token'],
    ['REDIS_PASSWORD_HOST', 'redis'],
  ] as const) {
    assert.equal(matchSecret(name, value), undefined, `${name}=${value}`);
  }
});

test('official image variables are not secrets', () => {
  const env: Array<[string, string]> = [
    ['PYTHON_VERSION', '3.12.4'],
    ['PYTHON_SHA256', 'f6d419a6d8743ab26700801b4908d26d97e8b986e14f95de31b32de2b0e79554'],
    ['PHP_INI_DIR', '/usr/local/etc/php'],
    ['PHP_ASC_URL', 'https://www.php.net/distributions/php-8.3.8.tar.xz.asc'],
    ['PHP_CFLAGS', '-fstack-protector-strong -fpic -fpie -O2'],
    ['GOSU_VERSION', '1.17'],
    ['PGDATA', '/var/lib/postgresql/data'],
    ['REDIS_DOWNLOAD_SHA', '8d104c26a154b29fd67d6568b4f375212212ad41e0c2caa3d66480e78dbd3b59'],
    ['JAVA_HOME', '/opt/java/openjdk'],
    ['RABBITMQ_PGP_KEY_ID', '0x0A9AF2115F4687BD29803A206B73A36E6026DFCA'],
    ['LANG', 'C.UTF-8'],
  ];
  for (const [name, value] of env) assert.equal(matchSecret(name, value), undefined, name);
});

test('GPG key fingerprints are not secrets', () => {
  assert.equal(matchSecret('GPG_KEY', 'A035C8C19219BA821ECEA86B64E628F8D684696D'), undefined);
  assert.equal(matchSecret('NGINX_GPGKEY', '573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62'), undefined);
  assert.equal(matchSecret('GPG_KEYS', '0x7937DFD2AB06298B2293C3187D33FF9D0246406D 114F43EE0176B71C7BC219DD50A3051F888C628D'), undefined);
  assert.deepEqual(matchSecret('GPG_KEY', 'not a fingerprint but a passphrase'), { reason: 'name' });
});

test('known token formats match under any name', () => {
  const cases: Array<[string, string]> = [
    ['AKIAIOSFODNN7EXAMPLE', 'AWS access key ID'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn', 'private key'],
    ['-----BEGIN PRIVATE KEY-----', 'private key'],
    [`ghp_${'a'.repeat(36)}`, 'GitHub token'],
    [`glpat-${'x'.repeat(20)}`, 'GitLab token'],
    ['xoxb-1234567890-abcdef', 'Slack token'],
    [`AIza${'B'.repeat(35)}`, 'Google API key'],
    [`sk_live_${'9'.repeat(24)}`, 'Stripe secret key'],
    [`npm_${'Z'.repeat(36)}`, 'npm token'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'JSON web token'],
    ['postgres://app:s3cret@db:5432/app', 'password in a URL'],
    ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'Slack webhook URL'],
  ];
  for (const [value, reason] of cases) assert.deepEqual(matchSecret('SOME_SETTING', value), { reason }, value);
});

test('URL without a password does not match', () => {
  assert.equal(matchSecret('DATABASE_URL', 'postgres://db:5432/app'), undefined);
  assert.equal(matchSecret('PIP_INDEX_URL', 'https://pypi.org/simple'), undefined);
});

test('very long values are matched in bounded time', () => {
  const value = `${'a'.repeat(100_000)}:`.repeat(5);
  assert.equal(matchSecret('DESCRIPTION', value), undefined);
});

test('maskSecret hides all but two characters', () => {
  assert.equal(maskSecret('hunter2'), '*******');
  assert.equal(maskSecret('ab'), '***');
  assert.equal(maskSecret('wJalrXUtnFEMI/K7MDENG'), 'wJ**********');
  assert.equal(maskSecret('12345678'), '12******');
});
