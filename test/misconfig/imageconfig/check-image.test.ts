import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ImageConfig } from '../../../src/artifact/source.js';
import { checkImage, imageConfigRules, type ImageCheckInput, type ImageFileEntry, type LayerFiles } from '../../../src/misconfig/imageconfig/index.js';
import { EMPTY_SETTINGS, type BulwarkSettings } from '../../../src/misconfig/settings.js';
import type { Misconfiguration } from '../../../src/model/misconfiguration.js';
import type { Inventory } from '../../../src/scan/assemble-inventory.js';

const DIFF_IDS = ['sha256:aaaaaaaaaaaa1111', 'sha256:bbbbbbbbbbbb2222', 'sha256:cccccccccccc3333'];

/** A buildah-style history: one base layer, then a build that starts with `FROM debian:12`. */
const BUILDAH_HISTORY: ImageConfig['history'] = [
  { created_by: '/bin/sh -c #(nop) ADD file:0123 in / ' },
  { created_by: '/bin/sh -c #(nop) CMD ["bash"]', empty_layer: true },
  { created_by: '/bin/sh -c #(nop) COPY file:4567 in /usr/local/bin/tool ', comment: 'FROM debian:12' },
  { created_by: '/bin/sh -c chmod 4755 /usr/local/bin/tool', comment: 'FROM 0123456789ab' },
  { created_by: '/bin/sh -c #(nop) USER app', comment: 'FROM 89abcdef0123', empty_layer: true },
];

function hardenedConfig(overrides: Partial<NonNullable<ImageConfig['config']>> = {}, history = BUILDAH_HISTORY): ImageConfig {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: { User: 'app', Env: ['PATH=/usr/bin:/bin'], Healthcheck: { Test: ['CMD', 'app', '--health'] }, ...overrides },
    rootfs: { type: 'layers', diff_ids: DIFF_IDS },
    history,
  };
}

function run(config: ImageConfig, options: { entries?: ImageFileEntry[]; inventory?: Inventory; settings?: BulwarkSettings; layerDiffIds?: string[]; layers?: LayerFiles[] } = {}) {
  const input: ImageCheckInput = {
    name: 'example:1',
    config,
    entries: options.entries ?? [],
    layerDiffIds: options.layerDiffIds ?? DIFF_IDS,
    settings: options.settings ?? EMPTY_SETTINGS,
    ...(options.inventory ? { inventory: options.inventory } : {}),
    ...(options.layers ? { layers: options.layers } : {}),
  };
  return checkImage(input);
}

function ids(findings: Misconfiguration[]): string[] {
  return findings.map((finding) => finding.id);
}

function file(path: string, mode: number, layer: number, size = 10): ImageFileEntry {
  return { path, kind: 'file', mode, size, layer };
}

test('hardened image has no findings', () => {
  const result = run(hardenedConfig(), { entries: [file('usr/local/bin/tool', 0o755, 1), file('var/lib/apt/lists/lock', 0o640, 0, 0)] });
  assert.deepEqual(result.misconfigurations, []);
  assert.deepEqual(result.diagnostics, []);
});

test('root user variants are flagged', () => {
  for (const user of [undefined, '', 'root', '0', '0:0', 'root:app', '000']) {
    const findings = run(hardenedConfig({ User: user })).misconfigurations;
    assert.deepEqual(ids(findings), ['image/root-user'], `User=${JSON.stringify(user)}`);
  }
  const missing = run(hardenedConfig({ User: undefined })).misconfigurations[0]!;
  assert.equal(missing.message, 'the image sets no USER, so containers run as root (UID 0)');
  assert.deepEqual(missing.aliases, ['CIS-DI-0001']);
  assert.equal(missing.severity, 'HIGH');
  assert.deepEqual(missing.location, { path: 'image config', startLine: 1, endLine: 1 });
});

test('non-root users are accepted', () => {
  for (const user of ['app', '1000', '1000:0', 'rooty', '10001:10001']) {
    assert.deepEqual(run(hardenedConfig({ User: user })).misconfigurations, [], user);
  }
});

test('missing or disabled HEALTHCHECK is flagged', () => {
  const missing = run(hardenedConfig({ Healthcheck: undefined })).misconfigurations;
  assert.deepEqual(ids(missing), ['image/no-healthcheck']);
  assert.equal(missing[0]!.message, 'the image config has no HEALTHCHECK');
  const disabled = run(hardenedConfig({ Healthcheck: { Test: ['NONE'] } })).misconfigurations;
  assert.equal(disabled[0]!.message, 'HEALTHCHECK NONE disables the health check inherited from the base image');
});

test('secrets in ENV are flagged and masked', () => {
  const config = hardenedConfig({ Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', 'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D', 'NODE_VERSION=20.1.0', 'DB_PASSWORD_FILE=/run/secrets/db'] });
  const findings = run(config).misconfigurations;
  assert.deepEqual(
    findings.map((finding) => finding.message),
    [
      'environment variable AWS_SECRET_ACCESS_KEY contains a secret (its name marks a secret): AWS_SECRET_ACCESS_KEY=wJ**********',
      'environment variable DB_PASSWORD contains a secret (its name marks a secret): DB_PASSWORD=*******',
    ],
  );
  assert.equal(findings[0]!.severity, 'CRITICAL');
  for (const finding of findings) assert.equal(finding.message.includes('hunter2'), false);
});

test('secrets in labels are flagged', () => {
  const findings = run(hardenedConfig({ Labels: { maintainer: 'ops@example.com', 'com.example.deploy-token': 'tok_abcdefghijklmnop', 'org.opencontainers.image.version': '1.2.3' } })).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['label com.example.deploy-token contains a secret (its name marks a secret): com.example.deploy-token=to**********']);
});

test('secrets recorded only in history are flagged', () => {
  const history = [
    ...BUILDAH_HISTORY!,
    { created_by: 'ARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789', empty_layer: true },
    { created_by: 'RUN |2 NPM_TOKEN=s3cr3tvalue VERSION=1.0 /bin/sh -c npm ci', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) ENV DB_PASSWORD="two words"', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) ENV API_TOKEN=', empty_layer: true },
    { created_by: 'RUN |2 NPM_TOKEN=s3cr3tvalue VERSION=1.0 /bin/sh -c npm test', empty_layer: true },
  ];
  const findings = run(hardenedConfig({}, history)).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), [
    'history entries 6, 9 record a secret in build argument of RUN NPM_TOKEN (its name marks a secret): NPM_TOKEN=s3*********',
    'history entry 5 records a secret in ARG NPM_TOKEN (the value looks like a npm token): NPM_TOKEN=np**********',
    'history entry 7 records a secret in ENV DB_PASSWORD (its name marks a secret): DB_PASSWORD=tw*******',
  ]);
});

test('history ENV in final env once', () => {
  const history = [...BUILDAH_HISTORY!, { created_by: '/bin/sh -c #(nop) ENV DB_PASSWORD=hunter2', empty_layer: true }];
  const findings = run(hardenedConfig({ Env: ['DB_PASSWORD=hunter2'] }, history)).misconfigurations;
  assert.deepEqual(ids(findings), ['image/secret-in-config']);
  assert.match(findings[0]!.message, /^environment variable DB_PASSWORD/);
});

test('latest or untagged base in history is flagged', () => {
  const cases: Array<[string, string | undefined]> = [
    ['debian:latest', 'history entry 2 records the base image debian:latest, named by the latest tag'],
    ['docker.io/library/debian', 'history entry 2 records the base image docker.io/library/debian, named by no tag, which means latest'],
    ['localhost:5000/base', 'history entry 2 records the base image localhost:5000/base, named by no tag, which means latest'],
    ['localhost:5000/base:3.1', undefined],
    ['debian@sha256:0123456789abcdef', undefined],
    ['scratch', undefined],
  ];
  for (const [reference, message] of cases) {
    const history: ImageConfig['history'] = BUILDAH_HISTORY!.map((step) => (step.comment === 'FROM debian:12' ? { ...step, comment: `FROM ${reference}` } : step));
    const findings: Misconfiguration[] = run(hardenedConfig({}, history)).misconfigurations;
    assert.deepEqual(findings.map((finding) => finding.message), message ? [message] : [], reference);
  }
});

test('base name label with latest is flagged', () => {
  const findings = run(hardenedConfig({ Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:latest' } })).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['label org.opencontainers.image.base.name names the base image docker.io/library/alpine:latest, by the latest tag']);
});

test('ADD from URL hides credentials', () => {
  const history = [
    ...BUILDAH_HISTORY!,
    { created_by: 'ADD https://user:pw@example.com/tool.tgz /opt/ # buildkit', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) ADD file:abcd in /etc/app.conf ', empty_layer: true },
    { created_by: '/bin/sh -c curl -fsSL https://example.com/x | sh', empty_layer: true },
  ];
  const findings = run(hardenedConfig({}, history)).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['history entry 5 adds https://***@example.com/tool.tgz: ADD https://***@example.com/tool.tgz /opt/ # buildkit']);
  assert.deepEqual(findings[0]!.aliases, ['CIS-DI-0009']);
});

test('sudo in RUN steps only', () => {
  const history = [
    ...BUILDAH_HISTORY!,
    { created_by: '/bin/sh -c apt-get update && apt-get install -y sudo', empty_layer: true },
    { created_by: '/bin/sh -c #(nop) LABEL note=no sudo here', empty_layer: true },
    { created_by: '/bin/sh -c echo pseudo sudoers', empty_layer: true },
  ];
  const findings = run(hardenedConfig({}, history)).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['history entry 5 runs or installs sudo: apt-get update && apt-get install -y sudo']);
});

test('sudo package in the inventory is flagged', () => {
  const inventory: Inventory = {
    packageSets: [{ class: 'os-pkgs', type: 'dpkg', target: 'var/lib/dpkg/status', packages: [{ name: 'sudo', version: '1.9.13p3-1+deb12u1', path: 'var/lib/dpkg/status' }] }],
    diagnostics: [],
  };
  const findings = run(hardenedConfig(), { inventory, entries: [file('usr/bin/sudo', 0o755, 1)] }).misconfigurations;
  assert.deepEqual(findings.map((finding) => [finding.message, finding.location?.path]), [['the dpkg package sudo 1.9.13p3-1+deb12u1 is installed', 'var/lib/dpkg/status']]);
});

test('sudo binary without a package database is flagged', () => {
  const findings = run(hardenedConfig(), { entries: [file('usr/bin/sudo', 0o755, 1)] }).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['/usr/bin/sudo is installed, from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool)']);
});

test('setuid files split by base image', () => {
  const entries = [file('usr/bin/su', 0o4755, 0), file('usr/bin/chage', 0o2755, 0), file('usr/local/bin/tool', 0o4755, 2), file('usr/bin/plain', 0o755, 2), { path: 'tmp', kind: 'dir' as const, mode: 0o1777, size: 0, layer: 0 }];
  const findings = run(hardenedConfig(), { entries }).misconfigurations;
  assert.deepEqual(
    findings.map((finding) => [finding.id, finding.severity, finding.location?.path, finding.message]),
    [
      ['image/setuid-added', 'MEDIUM', 'usr/local/bin/tool', '/usr/local/bin/tool is setuid (mode 4755), added on top of the base image in layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
      ['image/setuid-file', 'LOW', 'usr/bin/chage', '/usr/bin/chage is setgid (mode 2755), from the base image, layer 0 aaaaaaaaaaaa (ADD file:0123 in /)'],
      ['image/setuid-file', 'LOW', 'usr/bin/su', '/usr/bin/su is setuid (mode 4755), from the base image, layer 0 aaaaaaaaaaaa (ADD file:0123 in /)'],
    ],
  );
});

test('setuid files with unknown base', () => {
  const dockerHistory = BUILDAH_HISTORY!.map(({ created_by, empty_layer }) => ({ created_by, ...(empty_layer ? { empty_layer } : {}) }));
  const findings = run(hardenedConfig({}, dockerHistory), { entries: [file('usr/local/bin/tool', 0o6755, 2)] }).misconfigurations;
  assert.deepEqual(findings.map((finding) => [finding.id, finding.message]), [
    ['image/setuid-file', '/usr/local/bin/tool is setuid and setgid (mode 6755), from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool); the base image is unknown'],
  ]);
});

test('package caches are grouped by directory', () => {
  const entries = [
    file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', 0o644, 1, 2048),
    file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', 0o644, 2, 3 * 1024 * 1024),
    file('var/lib/apt/lists/lock', 0o640, 1, 0),
    file('var/cache/apt/archives/curl_7.88.1-10_amd64.deb', 0o644, 1, 4096),
    file('var/cache/apk/APKINDEX.abcd.tar.gz', 0o644, 1, 1000),
    file('root/.cache/pip/http/a/b/c', 0o644, 2, 100),
    file('home/app/.npm/_cacache/index-v5/00/11', 0o644, 2, 100),
  ];
  const findings = run(hardenedConfig(), { entries }).misconfigurations;
  assert.deepEqual(
    findings.map((finding) => [finding.location?.path, finding.aliases.join(','), finding.message]),
    [
      ['home/app/.npm/_cacache', '', '/home/app/.npm/_cacache contains 1 npm cache file (1 KiB) from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
      ['root/.cache/pip', '', '/root/.cache/pip contains 1 pip cache file (1 KiB) from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
      ['var/cache/apk', 'DKL-DI-0004', '/var/cache/apk contains 1 apk cache file (1 KiB) from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool)'],
      ['var/cache/apt/archives', 'DKL-DI-0005', '/var/cache/apt/archives contains 1 apt cache file (4 KiB) from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool)'],
      [
        'var/lib/apt/lists',
        'DKL-DI-0005',
        '/var/lib/apt/lists contains 2 apt cache files (3.0 MiB) from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool), layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)',
      ],
    ],
  );
});

test('credential files are flagged by path', () => {
  const entries = [
    file('root/.ssh/id_rsa', 0o600, 1),
    file('root/.ssh/id_rsa.pub', 0o644, 1),
    file('home/app/.aws/credentials', 0o600, 2),
    file('root/.docker/config.json', 0o600, 2),
    file('app/.npmrc', 0o644, 2),
    file('srv/.env', 0o644, 2),
    file('app/node_modules/ssh2/test/fixtures/id_rsa', 0o644, 2),
    file('etc/ssh/ssh_host_rsa_key', 0o600, 1),
  ];
  const findings = run(hardenedConfig(), { entries }).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.location?.path), ['app/.npmrc', 'home/app/.aws/credentials', 'root/.docker/config.json', 'root/.ssh/id_rsa', 'srv/.env']);
  assert.equal(findings[3]!.message, '/root/.ssh/id_rsa is an SSH private key (matched by path; contents not read), from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool)');
});

test('git and editor folders are flagged', () => {
  const entries = [
    file('app/.git/HEAD', 0o644, 2, 23),
    file('app/.git/objects/pack/pack-1.pack', 0o644, 2, 5000),
    file('app/.vscode/settings.json', 0o644, 2),
    file('app/.DS_Store', 0o644, 1),
    file('app/node_modules/left-pad/.git/HEAD', 0o644, 2),
    file('app/.gitignore', 0o644, 2),
  ];
  const findings = run(hardenedConfig(), { entries }).misconfigurations;
  assert.deepEqual(findings.map((finding) => [finding.location?.path, finding.message]), [
    ['app/.DS_Store', '/app/.DS_Store is macOS folder metadata, from layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool)'],
    ['app/.git', '/app/.git is a git repository, with the source history (2 files), from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
    ['app/.vscode', '/app/.vscode is IDE settings, from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
  ]);
  assert.deepEqual(findings[0]!.aliases, ['DKL-LI-0003']);
});

test('files deleted by a later layer', () => {
  const layers = [
    { entries: [{ path: 'var/lib/apt/lists/x_Packages', kind: 'file' as const, mode: 0o644, size: 2048 }, { path: 'var/lib/apt/lists/x_Release', kind: 'file' as const, mode: 0o644, size: 100 }] },
    { entries: [{ path: 'root/.ssh/id_rsa', kind: 'file' as const, mode: 0o600, size: 400 }, { path: 'root/.aws/credentials', kind: 'file' as const, mode: 0o600, size: 100 }] },
    { entries: [{ path: 'root/.aws/credentials', kind: 'file' as const, mode: 0o600, size: 50 }] },
  ];
  const entries = [file('root/.aws/credentials', 0o600, 2, 50)];
  const findings = run(hardenedConfig(), { entries, layers }).misconfigurations;
  assert.deepEqual(findings.map((finding) => [finding.id, finding.location?.path, finding.message]), [
    ['image/credential-file', 'root/.aws/credentials', '/root/.aws/credentials is an AWS credentials file (matched by path; contents not read), from layer 2 cccccccccccc (chmod 4755 /usr/local/bin/tool)'],
    [
      'image/credential-file',
      'root/.aws/credentials',
      '/root/.aws/credentials is an AWS credentials file (matched by path; contents not read), stored in layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool) and deleted or replaced by a later layer, so the layer blob still contains it',
    ],
    [
      'image/credential-file',
      'root/.ssh/id_rsa',
      '/root/.ssh/id_rsa is an SSH private key (matched by path; contents not read), stored in layer 1 bbbbbbbbbbbb (COPY file:4567 in /usr/local/bin/tool) and deleted or replaced by a later layer, so the layer blob still contains it',
    ],
    ['image/package-cache', 'var/lib/apt/lists', '/var/lib/apt/lists has 2 apt cache files (3 KiB) in layer 0 aaaaaaaaaaaa (ADD file:0123 in /) that a later layer deletes or replaces, so the layer blob still stores them'],
  ]);
});

test('VOLUME on /sys or /proc is flagged', () => {
  const findings = run(hardenedConfig({ Volumes: { '/sys': {}, '/proc/': {}, '/data': {} } })).misconfigurations;
  assert.deepEqual(findings.map((finding) => finding.message), ['the image declares VOLUME /proc/', 'the image declares VOLUME /sys']);
});

test('settings ignore rules by ID or dockle code', () => {
  const config = hardenedConfig({ User: 'root', Healthcheck: null, Env: ['DB_PASSWORD=hunter2'] });
  const settings = { ...EMPTY_SETTINGS, ignore: ['CIS-DI-0006', 'image/root-user'], severity: { 'CIS-DI-0010': 'LOW' as const } };
  const findings = run(config, { settings }).misconfigurations;
  assert.deepEqual(findings.map((finding) => [finding.id, finding.severity]), [['image/secret-in-config', 'LOW']]);
});

test('history not matching layers diagnosed', () => {
  const result = run(hardenedConfig(), { entries: [file('usr/local/bin/tool', 0o4755, 2)], layerDiffIds: ['sha256:aaaaaaaaaaaa1111', 'sha256:bbbbbbbbbbbb2222'] });
  assert.deepEqual(result.diagnostics, [
    {
      target: 'example:1 (image config)',
      code: 'FORMAT_INVALID',
      message: 'the history has 3 entries that create layers but the image has 2 layers, so findings name layers without the step that created them and setuid files are not split by base image',
    },
  ]);
  assert.deepEqual(result.misconfigurations.map((finding) => [finding.id, finding.message]), [['image/setuid-file', '/usr/local/bin/tool is setuid (mode 4755), from layer 2; the base image is unknown']]);
});

test('malformed config values are skipped', () => {
  const config = { config: { User: 42, Env: [7, null, 'NOEQUALS', 'API_TOKEN=abcdefgh'], Labels: { a: 1 }, Volumes: ['/sys'], Healthcheck: { Test: 'CMD' } }, history: [null, { created_by: 5 }] } as unknown as ImageConfig;
  const result = run(config, { layerDiffIds: ['sha256:1', 'sha256:2'] });
  assert.deepEqual(ids(result.misconfigurations), ['image/no-healthcheck', 'image/root-user', 'image/secret-in-config']);
  assert.deepEqual(result.diagnostics, []);
});

test('oversized history and environment are capped', () => {
  const history = Array.from({ length: 5000 }, () => ({ created_by: 'ENV A=b', empty_layer: true }));
  const env = Array.from({ length: 50_000 }, (_, i) => `SECRET_${i}=value${i}xyz`);
  const result = run(hardenedConfig({ Env: env }, history), { layerDiffIds: [] });
  assert.equal(result.misconfigurations.filter((finding) => finding.id === 'image/secret-in-config').length, 10_000);
  assert.deepEqual(result.diagnostics.map((diagnostic) => diagnostic.code), ['LIMIT_EXCEEDED']);
  assert.equal(result.diagnostics[0]!.message, 'the history has 5000 entries; only the first 1000 were checked');
});

test('imageConfigRules lists every rule', () => {
  const rules = imageConfigRules();
  assert.deepEqual(rules.map((rule) => rule.id), [
    'image/add-url',
    'image/credential-file',
    'image/latest-base',
    'image/no-healthcheck',
    'image/package-cache',
    'image/root-user',
    'image/secret-in-config',
    'image/sensitive-volume',
    'image/setuid-added',
    'image/setuid-file',
    'image/sudo',
    'image/unneeded-files',
  ]);
  for (const rule of rules) {
    assert.ok(rule.aliases.length > 0, rule.id);
    for (const alias of rule.aliases) assert.match(alias, /^(CIS-DI|DKL-DI|DKL-LI)-\d{4}$/, rule.id);
    assert.ok(rule.examples, rule.id);
    assert.notEqual(rule.examples.bad, rule.examples.good, rule.id);
  }
});
