import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyCredentialPath, classifyPackageCache, classifyUnneededPath } from '../../../src/misconfig/imageconfig/file-paths.js';

test('package cache paths by manager', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_Release', 'apt', 'var/lib/apt/lists'],
    ['var/lib/apt/lists/lock', undefined, undefined],
    ['var/lib/apt/lists/partial/x', undefined, undefined],
    ['var/cache/apt/archives/curl_7.88.1_amd64.deb', 'apt', 'var/cache/apt/archives'],
    ['var/cache/apt/archives/lock', undefined, undefined],
    ['var/cache/apt/pkgcache.bin', 'apt', 'var/cache/apt'],
    ['var/cache/apk/APKINDEX.00740ba1.tar.gz', 'apk', 'var/cache/apk'],
    ['etc/apk/cache/musl-1.2.4-r2.apk', 'apk', 'etc/apk/cache'],
    ['var/cache/dnf/fedora.solv', 'dnf', 'var/cache/dnf'],
    ['var/cache/yum/x86_64/7/base/repomd.xml', 'yum', 'var/cache/yum'],
    ['var/cache/zypp/raw/repo/repomd.xml', 'zypper', 'var/cache/zypp'],
    ['root/.cache/pip/http-v2/a/b', 'pip', 'root/.cache/pip'],
    ['home/app/.cache/pip/wheels/x.whl', 'pip', 'home/app/.cache/pip'],
    ['root/.npm/_cacache/content-v2/sha512/aa', 'npm', 'root/.npm/_cacache'],
    ['root/.npm/_logs/debug.log', undefined, undefined],
    ['usr/local/share/.cache/yarn/v6/npm-x/package.json', 'yarn', 'usr/local/share/.cache/yarn'],
    ['usr/lib/python3/dist-packages/pip/cache.py', undefined, undefined],
  ];
  for (const [path, manager, directory] of cases) {
    const match = classifyPackageCache(path);
    assert.equal(match?.manager, manager, path);
    assert.equal(match?.directory, directory, path);
  }
});

test('credential paths by name', () => {
  const cases: Array<[string, string | undefined]> = [
    ['root/.ssh/id_ed25519', 'an SSH private key'],
    ['home/app/.ssh/id_rsa.pub', undefined],
    ['etc/ssh/ssh_host_ed25519_key', undefined],
    ['root/.aws/credentials', 'an AWS credentials file'],
    ['app/credentials', undefined],
    ['root/.docker/config.json', 'a Docker config file, which may hold registry credentials'],
    ['app/config.json', undefined],
    ['root/.kube/config', 'a kubeconfig, which may hold cluster credentials'],
    ['root/.config/gcloud/application_default_credentials.json', 'Google Cloud application default credentials'],
    ['root/.git-credentials', 'a git credential store'],
    ['home/app/.netrc', 'a netrc file, which contains login passwords'],
    ['app/node_modules/ssh2/test/fixtures/id_rsa', undefined],
    ['usr/lib/python3/dist-packages/paramiko/tests/id_rsa', undefined],
    ['constructor', undefined],
    ['__proto__/toString', undefined],
  ];
  for (const [path, kind] of cases) assert.equal(classifyCredentialPath(path), kind, path);
});

test('unneeded folders group by folder', () => {
  assert.deepEqual(classifyUnneededPath('srv/app/.git/refs/heads/main'), { path: 'srv/app/.git', kind: 'a git repository, with the source history' });
  assert.deepEqual(classifyUnneededPath('app/.DS_Store'), { path: 'app/.DS_Store', kind: 'macOS folder metadata' });
  assert.equal(classifyUnneededPath('app/.git'), undefined);
  assert.equal(classifyUnneededPath('app/.gitignore'), undefined);
  assert.equal(classifyUnneededPath('app/vendor/lib/.git/HEAD'), undefined);
});
