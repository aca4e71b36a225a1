/**
 * A real distribution registry on 127.0.0.1 filled with small images built by umoci and pushed
 * by skopeo: `test/app:v1` (OCI, linux/amd64), `test/app:docker` (Docker schema 2 media types)
 * and `test/multi:v1` (an OCI index of linux/amd64 and linux/arm64/v8).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addIndexToLayout, buildLayout, pushImage, startRegistry, type RunningRegistry, type StartRegistryOptions, type TestImage } from '../helpers/registry-server.js';

export const AMD64_IMAGE: TestImage = {
  architecture: 'amd64',
  files: { 'etc/os-release': 'ID=alpine\nVERSION_ID=3.20.0\n', 'etc/hostname': 'amd64\n' },
};
export const ARM64_IMAGE: TestImage = {
  architecture: 'arm64',
  variant: 'v8',
  files: { 'etc/os-release': 'ID=alpine\nVERSION_ID=3.20.0\n', 'etc/hostname': 'arm64\n' },
};

export interface RegistryFixture {
  registry: RunningRegistry;
  /** The multi-platform index digest as pushed. */
  indexDigest: string;
  stop(): Promise<void>;
}

export async function startRegistryWithImages(options: StartRegistryOptions & { pushCredentials?: string } = {}): Promise<RegistryFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-images-'));
  const registry = await startRegistry(options);
  try {
    const layout = await buildLayout(dir, [AMD64_IMAGE, ARM64_IMAGE]);
    const indexDigest = await addIndexToLayout(layout, 'multi', [AMD64_IMAGE, ARM64_IMAGE]);
    const push = { credentials: options.pushCredentials };
    await pushImage(layout, 'amd64', `${registry.host}/test/app:v1`, push);
    await pushImage(layout, 'amd64', `${registry.host}/test/app:docker`, { ...push, dockerFormat: true });
    await pushImage(layout, 'multi', `${registry.host}/test/multi:v1`, { ...push, all: true });
    return {
      registry,
      indexDigest,
      stop: async () => {
        await registry.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
