import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { MergedView } from '../../../src/artifact/merged-view.js';
import { openImage } from '../../../src/artifact/sources/open-image.js';
import { scanImage } from '../../../src/scan/scan-image.js';
import { defaultAnalyzers } from '../../../src/inventory/registry.js';
import { resolveOs } from '../../../src/inventory/os/index.js';
import { checkImage, viewEntries, type ImageCheckResult } from '../../../src/misconfig/imageconfig/index.js';
import { EMPTY_SETTINGS } from '../../../src/misconfig/settings.js';
import type { ImageConfig } from '../../../src/artifact/source.js';
import type { Misconfiguration } from '../../../src/model/misconfiguration.js';
import { analyzeImageLayers } from '../../../src/scan/analyze-image.js';
import { assembleInventory } from '../../../src/scan/assemble-inventory.js';
import { resolveLimits } from '../../../src/scan/scan-options.js';
import { sharedPath } from '../../helpers/shared.js';
import { testImages } from '../../helpers/test-images.js';

const run = promisify(execFile);
const images = testImages();
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'root-secret-image');
const NPM_TOKEN = 'npm_abcdefghijklmnopqrstuvwxyz0123456789';

/** Returns why the buildah build cannot run here, or false when it can. */
async function buildSkip(): Promise<string | false> {
  if (images.skip) return images.skip;
  if (process.getuid?.() !== 0) return 'building with buildah --isolation chroot needs root';
  try {
    await run('buildah', ['--version']);
    return false;
  } catch {
    return 'buildah is not installed (apt-get install buildah)';
  }
}

const skip = await buildSkip();
let workDir = '';
/** The check result of the built image, computed once for the tests that read it. */
let builtImageResult: Promise<ImageCheckResult> | undefined;

/**
 * Opens an image, analyzes and merges its layers and assembles the inventory as `inventoryImage`
 * does, then runs the image checks with the layer list as well.
 */
async function checkRealImage(target: string): Promise<ImageCheckResult> {
  const source = await openImage(target, { cacheDir: join(workDir, 'cache') });
  try {
    const layers = await analyzeImageLayers(source, { analyzers: defaultAnalyzers, limits: resolveLimits(undefined) });
    const view = new MergedView();
    for (const layer of layers) view.apply(layer);
    const layerDiffIds = source.layers.map((layer) => layer.diffId);
    const inventory = assembleInventory(view.visibleAnalyses(), { layerDiffIds, resolveOs });
    return checkImage({ name: target, config: source.config, entries: viewEntries(view), layerDiffIds, inventory, layers, settings: EMPTY_SETTINGS });
  } finally {
    await source.close();
  }
}

function checkBuiltImage(): Promise<ImageCheckResult> {
  builtImageResult ??= checkRealImage(join(workDir, 'root-secret-oci'));
  return builtImageResult;
}

function byRule(findings: Misconfiguration[], id: string): Misconfiguration[] {
  return findings.filter((finding) => finding.id === id);
}

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'bulwark-imageconfig-'));
  if (skip) return;
  const storage = ['--root', join(workDir, 'storage'), '--runroot', join(workDir, 'run')];
  const env = { ...process.env, STORAGE_DRIVER: 'vfs' };
  await run(
    'buildah',
    [
      ...storage,
      'bud', '--quiet', '--layers', '--isolation', 'chroot', '--pull-never',
      '--build-arg', `BASE=oci-archive:${images.ociArchive}:12`,
      '--build-arg', `NPM_TOKEN=${NPM_TOKEN}`,
      '-t', 'bulwark-test/root-secret:1', FIXTURE,
    ],
    { env },
  );
  await run('buildah', [...storage, 'push', '--quiet', 'bulwark-test/root-secret:1', `oci:${join(workDir, 'root-secret-oci')}:1`], { env });
  await run('buildah', [...storage, 'rmi', '--all'], { env }).catch(() => undefined);
});

after(async () => {
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
});

test('buildah image with root and ENV secrets is flagged', { skip }, async () => {
  const { misconfigurations, diagnostics } = await checkBuiltImage();
  assert.deepEqual(diagnostics, []);

  assert.deepEqual(byRule(misconfigurations, 'image/root-user').map((finding) => finding.message), ['the image runs as root: USER root']);
  assert.deepEqual(byRule(misconfigurations, 'image/secret-in-config').map((finding) => finding.message), [
    'environment variable AWS_SECRET_ACCESS_KEY contains a secret (its name marks a secret): AWS_SECRET_ACCESS_KEY=wJ**********',
    'environment variable DB_PASSWORD contains a secret (its name marks a secret): DB_PASSWORD=*******',
    'history entries 7, 8 record a secret in build argument of RUN NPM_TOKEN (the value looks like a npm token): NPM_TOKEN=np**********',
    'label com.example.deploy-token contains a secret (its name marks a secret): com.example.deploy-token=to**********',
  ]);
  for (const finding of misconfigurations) {
    assert.equal(finding.message.includes('hunter2'), false, finding.message);
    assert.equal(finding.message.includes(NPM_TOKEN), false, finding.message);
    assert.equal(finding.message.includes('GPG_KEY'), false, finding.message);
  }
});

test('bulwark image reports the root user and secrets', { skip }, async () => {
  const { report } = await scanImage(`oci:${join(workDir, 'root-secret-oci')}:1`, { cacheDir: join(workDir, 'scan-cache'), skipVulnerabilities: true });
  const config = report.results.find((result) => result.type === 'imageconfig');
  assert.ok(config, 'no image config result');
  assert.equal(config.class, 'config');
  const ids = new Set(config.misconfigurations!.map((finding) => finding.id));
  assert.ok(ids.has('image/root-user'));
  assert.ok(ids.has('image/secret-in-config'));
  // The findings and errors must not repeat the secret (the rule's own bad example may).
  const findings = JSON.stringify({ results: report.results, errors: report.errors });
  assert.equal(findings.includes('hunter2'), false);
});

test('buildah image files added on the base are flagged', { skip }, async () => {
  const { misconfigurations } = await checkBuiltImage();

  const added = byRule(misconfigurations, 'image/setuid-added');
  assert.deepEqual(added.map((finding) => finding.location?.path), ['usr/local/bin/tool']);
  assert.match(added[0]!.message, /^\/usr\/local\/bin\/tool is setuid \(mode 4755\), added on top of the base image in layer 3 [0-9a-f]{12} \(chmod 4755 \/usr\/local\/bin\/tool /);

  const baseSetuid = byRule(misconfigurations, 'image/setuid-file').map((finding) => finding.location?.path);
  assert.ok(baseSetuid.includes('usr/bin/su'), baseSetuid.join(', '));
  assert.ok(!baseSetuid.includes('usr/local/bin/tool'));

  assert.deepEqual(byRule(misconfigurations, 'image/credential-file').map((finding) => finding.location?.path), ['root/.ssh/id_ed25519', 'root/.ssh/id_rsa']);
  const caches = byRule(misconfigurations, 'image/package-cache').map((finding) => finding.location?.path);
  assert.deepEqual(caches, ['root/.cache/pip', 'var/cache/apt/archives', 'var/lib/apt/lists']);
  assert.equal(byRule(misconfigurations, 'image/no-healthcheck').length, 1);
});

test('buildah image files deleted later are flagged', { skip }, async () => {
  const { misconfigurations } = await checkBuiltImage();

  const key = byRule(misconfigurations, 'image/credential-file').find((finding) => finding.location?.path === 'root/.ssh/id_ed25519');
  assert.match(key?.message ?? '', /^\/root\/.ssh\/id_ed25519 is an SSH private key \(matched by path; contents not read\), stored in layer 2 [0-9a-f]{12} \(COPY file:[0-9a-f]+ in[^)]*\) and deleted or replaced by a later layer, so the layer blob still contains it$/);

  const lists = byRule(misconfigurations, 'image/package-cache').find((finding) => finding.location?.path === 'var/lib/apt/lists');
  // The count and size depend on the Debian mirror that debootstrap used.
  assert.match(lists?.message ?? '', /^\/var\/lib\/apt\/lists has \d+ apt cache files \([0-9.]+ [KM]iB\) in layer 0 [0-9a-f]{12} \(umoci repack\) that a later layer deletes or replaces, so the layer blob still stores them$/);
});

test('app test image base and user are flagged', { skip: images.skip }, async () => {
  const { misconfigurations, diagnostics } = await checkRealImage(images.appLayout);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(byRule(misconfigurations, 'image/root-user').map((finding) => finding.message), ['the image runs as root: USER root']);

  // buildah 1.28.2 (Debian 12) records a base opened from an oci-archive as localhost/<tag>:latest.
  assert.deepEqual(byRule(misconfigurations, 'image/latest-base').map((finding) => finding.message), ['history entry 2 records the base image localhost/12:latest, named by the latest tag']);

  const setuid = misconfigurations.filter((finding) => finding.id.startsWith('image/setuid'));
  assert.deepEqual([...new Set(setuid.map((finding) => finding.id))], ['image/setuid-file']);
  assert.deepEqual(setuid.map((finding) => finding.location?.path), [
    'usr/bin/chage',
    'usr/bin/chfn',
    'usr/bin/chsh',
    'usr/bin/expiry',
    'usr/bin/gpasswd',
    'usr/bin/mount',
    'usr/bin/newgrp',
    'usr/bin/passwd',
    'usr/bin/su',
    'usr/bin/umount',
    'usr/sbin/unix_chkpwd',
  ]);
  assert.deepEqual(byRule(misconfigurations, 'image/secret-in-config'), []);
  assert.deepEqual(byRule(misconfigurations, 'image/sudo'), []);
});

test('Docker-built nginx config has no false positives', { skip: sharedPath('fixtures', 'images', 'docker-save_nginx_trimmed.tar').skip }, async () => {
  // The archive's layer is trimmed, so only its config is real: NGINX_VERSION-style variables, a
  // maintainer label and a RUN step that sets NGINX_GPGKEY to a key fingerprint.
  const archive = sharedPath('fixtures', 'images', 'docker-save_nginx_trimmed.tar').path;
  const manifest = JSON.parse((await run('tar', ['-xOf', archive, 'manifest.json'])).stdout) as Array<{ Config: string }>;
  const config = JSON.parse((await run('tar', ['-xOf', archive, manifest[0]!.Config], { maxBuffer: 16 * 1024 * 1024 })).stdout) as ImageConfig;

  const { misconfigurations, diagnostics } = checkImage({ name: archive, config, entries: [], layerDiffIds: config.rootfs!.diff_ids, settings: EMPTY_SETTINGS });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    misconfigurations.map((finding) => [finding.id, finding.message]),
    [
      ['image/no-healthcheck', 'the image config has no HEALTHCHECK'],
      ['image/root-user', 'the image sets no USER, so containers run as root (UID 0)'],
    ],
  );
});
