/**
 * Builds small real images for the source tests with umoci and skopeo. The OCI layout holds a
 * three-layer amd64 image, an arm64 copy of it and a multi-platform index over both. The amd64
 * image is also written as a docker-archive, an oci-archive (plain and gzip), a Docker 25+
 * archive and a legacy manifest-less `docker save` archive. The last two are assembled from
 * the real blobs, because neither umoci nor skopeo writes those layouts.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const OCI_INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export interface BuiltImages {
  root: string;
  /** OCI layout with refs `v1` (linux/amd64), `arm` (linux/arm64) and `multi` (an index over both). */
  layout: string;
  /** `skopeo copy oci:layout:v1 docker-archive:…:example.test/app:v1`. */
  dockerArchive: string;
  /** `skopeo copy oci:layout:v1 oci-archive:…:v1`. */
  ociArchive: string;
  /** The oci-archive compressed with gzip. */
  ociArchiveGz: string;
  /** `skopeo copy --all oci:layout:multi oci-archive:…:multi`. */
  multiArchive: string;
  /** A Docker 25+ `docker save`: OCI layout with uncompressed blobs plus manifest.json. */
  docker25Archive: string;
  /** A pre-1.10 `docker save`: `repositories`, `<id>/json`, `<id>/layer.tar`. */
  legacyArchive: string;
  /** The diff IDs of `v1`, base first, from its config. */
  diffIds: string[];
  configDigest: string;
  manifestDigest: string;
  armManifestDigest: string;
  cleanup(): Promise<void>;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export async function writeBlob(layout: string, bytes: Uint8Array): Promise<string> {
  const digest = sha256(bytes);
  await writeFile(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return digest;
}

export async function readIndex(layout: string): Promise<{ manifests: Array<Record<string, any>> }> {
  return JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
}

/** Creates a tar of `dir` with GNU tar, members in sorted order and without a `./` prefix. */
export async function tarDirectory(dir: string, output: string, members: string[] = ['.']): Promise<void> {
  await run('tar', ['--sort=name', '--format=posix', '-cf', output, '-C', dir, ...members]);
}

export async function buildImages(): Promise<BuiltImages> {
  const root = await mkdtemp(join(tmpdir(), 'bulwark-images-'));
  const layout = join(root, 'layout');
  const bundle = join(root, 'bundle');
  const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
  const layerFiles: Array<Record<string, string>> = [
    { 'etc/os-release': 'ID=bulwark-test\nVERSION_ID=1\n', 'etc/hello': 'hello\n' },
    { 'usr/lib/app/one.txt': 'one\n' },
    { 'usr/lib/app/two.txt': 'two\n', 'etc/motd': 'layer three\n' },
  ];

  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:v1`]);
  for (const files of layerFiles) {
    await run('umoci', ['unpack', ...rootless, '--image', `${layout}:v1`, bundle]);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(bundle, 'rootfs', path, '..'), { recursive: true });
      await writeFile(join(bundle, 'rootfs', path), content);
    }
    await run('umoci', ['repack', '--image', `${layout}:v1`, bundle]);
    await rm(bundle, { recursive: true, force: true });
  }
  await run('umoci', ['config', '--image', `${layout}:v1`, '--os', 'linux', '--architecture', 'amd64', '--config.cmd', '/bin/true']);
  await run('umoci', ['config', '--image', `${layout}:v1`, '--os', 'linux', '--architecture', 'arm64', '--tag', 'arm']);

  // A multi-platform index over the two manifests, referenced from index.json as "multi".
  const index = await readIndex(layout);
  const v1 = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'v1')!;
  const arm = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'arm')!;
  const multiBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX_TYPE,
      manifests: [
        { mediaType: OCI_MANIFEST_TYPE, digest: v1.digest, size: v1.size, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST_TYPE, digest: arm.digest, size: arm.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    }),
  );
  const multiDigest = await writeBlob(layout, multiBytes);
  index.manifests.push({ mediaType: OCI_INDEX_TYPE, digest: multiDigest, size: multiBytes.length, annotations: { 'org.opencontainers.image.ref.name': 'multi' } });
  await writeFile(join(layout, 'index.json'), JSON.stringify(index));

  const dockerArchive = join(root, 'docker-archive.tar');
  const ociArchive = join(root, 'oci-archive.tar');
  const multiArchive = join(root, 'multi-archive.tar');
  await run('skopeo', ['copy', '-q', `oci:${layout}:v1`, `docker-archive:${dockerArchive}:example.test/app:v1`]);
  await run('skopeo', ['copy', '-q', `oci:${layout}:v1`, `oci-archive:${ociArchive}:v1`]);
  await run('skopeo', ['copy', '-q', '--all', `oci:${layout}:multi`, `oci-archive:${multiArchive}:multi`]);
  const ociArchiveGz = join(root, 'oci-archive.tar.gz');
  await run('sh', ['-c', 'gzip -c "$1" > "$2"', 'sh', ociArchive, ociArchiveGz]);

  const manifestBytes = await readFile(join(layout, 'blobs', 'sha256', v1.digest.slice(7)));
  const manifest = JSON.parse(manifestBytes.toString('utf8'));
  const configBytes = await readFile(join(layout, 'blobs', 'sha256', manifest.config.digest.slice(7)));
  const config = JSON.parse(configBytes.toString('utf8'));

  const built: BuiltImages = {
    root,
    layout,
    dockerArchive,
    ociArchive,
    ociArchiveGz,
    multiArchive,
    docker25Archive: join(root, 'docker25.tar'),
    legacyArchive: join(root, 'legacy.tar'),
    diffIds: config.rootfs.diff_ids,
    configDigest: manifest.config.digest,
    manifestDigest: v1.digest,
    armManifestDigest: arm.digest,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  const layerTars = await extractLayerTars(built);
  await buildDocker25Archive(built, { configBytes, layerTars });
  await buildLegacyArchive(built, { config, layerTars });
  return built;
}

/** Returns the uncompressed layer tars of `v1`, base first, taken from the docker-archive. */
async function extractLayerTars(built: BuiltImages): Promise<Buffer[]> {
  const dir = join(built.root, 'docker-archive-members');
  await mkdir(dir);
  await run('tar', ['-xf', built.dockerArchive, '-C', dir]);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  return Promise.all((manifest[0].Layers as string[]).map((name) => readFile(join(dir, name))));
}

async function buildDocker25Archive(built: BuiltImages, input: { configBytes: Buffer; layerTars: Buffer[] }): Promise<void> {
  const dir = join(built.root, 'docker25');
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const configDigest = await writeBlob(dir, input.configBytes);
  const layers = [];
  for (const tar of input.layerTars) {
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await writeBlob(dir, tar), size: tar.length });
  }
  const manifestBytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST_TYPE, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: input.configBytes.length }, layers }),
  );
  const manifestDigest = await writeBlob(dir, manifestBytes);
  const annotations = { 'io.containerd.image.name': 'docker.io/library/app:v25', 'org.opencontainers.image.ref.name': 'v25' };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_TYPE, manifests: [{ mediaType: OCI_MANIFEST_TYPE, digest: manifestDigest, size: manifestBytes.length, annotations }] }));
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const dockerManifest = [{ Config: `blobs/sha256/${configDigest.slice(7)}`, RepoTags: ['app:v25'], Layers: layers.map((layer) => `blobs/sha256/${layer.digest.slice(7)}`) }];
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(dockerManifest));
  await writeFile(join(dir, 'repositories'), JSON.stringify({ app: { v25: layers[layers.length - 1]!.digest.slice(7) } }));
  await tarDirectory(dir, built.docker25Archive, ['blobs', 'index.json', 'manifest.json', 'oci-layout', 'repositories']);
}

async function buildLegacyArchive(built: BuiltImages, input: { config: Record<string, any>; layerTars: Buffer[] }): Promise<void> {
  const dir = join(built.root, 'legacy');
  const ids = input.layerTars.map(() => randomBytes(32).toString('hex'));
  for (const [i, tar] of input.layerTars.entries()) {
    const id = ids[i]!;
    await mkdir(join(dir, id), { recursive: true });
    const json: Record<string, unknown> = { id, created: '2015-06-01T00:00:00Z', container_config: { Cmd: ['/bin/sh', '-c', `#(nop) layer ${i}`] } };
    if (i > 0) json.parent = ids[i - 1];
    if (i === input.layerTars.length - 1) Object.assign(json, { architecture: 'amd64', os: 'linux', config: input.config.config });
    await writeFile(join(dir, id, 'json'), JSON.stringify(json));
    await writeFile(join(dir, id, 'layer.tar'), tar);
    await writeFile(join(dir, id, 'VERSION'), '1.0');
  }
  await writeFile(join(dir, 'repositories'), JSON.stringify({ 'example.test/legacy': { old: ids[ids.length - 1] } }));
  await tarDirectory(dir, built.legacyArchive, [...ids, 'repositories']);
}
