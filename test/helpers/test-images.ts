import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './shared.js';

/** The folder where `scripts/build-test-images.sh` puts the real test images. */
export const TEST_IMAGES_DIR = process.env.BULWARK_TEST_IMAGES ?? join(PROJECT_ROOT, '.cache', 'test-images');

/**
 * Returns the test image paths, or a skip message for `test(name, { skip })` when they were not
 * built (the build needs root, debootstrap, umoci, skopeo and buildah).
 */
export function testImages() {
  const complete = existsSync(join(TEST_IMAGES_DIR, 'complete'));
  return {
    skip: complete ? (false as const) : `test images not built in ${TEST_IMAGES_DIR}; run scripts/build-test-images.sh as root`,
    rootfs: join(TEST_IMAGES_DIR, 'rootfs'),
    ociLayout: join(TEST_IMAGES_DIR, 'debian-oci'),
    ociArchive: join(TEST_IMAGES_DIR, 'debian-oci.tar'),
    dockerArchive: join(TEST_IMAGES_DIR, 'debian-docker.tar'),
    appLayout: join(TEST_IMAGES_DIR, 'app-oci'),
  };
}
