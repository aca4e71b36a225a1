import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, two levels above this file. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The folder of shared real-world data (advisories, fixtures, corpora) that sits beside the
 * project. `BULWARK_SHARED_DIR` overrides the location.
 */
export const SHARED_DIR = process.env.BULWARK_SHARED_DIR ?? resolve(PROJECT_ROOT, '..', 'shared');

/**
 * Returns the absolute path of a file under the shared data folder, or a skip message for
 * `test(name, { skip })` when the folder is absent, so the skip is visible in the test output.
 */
export function sharedPath(...parts: string[]): { path: string; skip: string | false } {
  const path = join(SHARED_DIR, ...parts);
  if (existsSync(path)) return { path, skip: false };
  return { path, skip: `shared data not found at ${path}; set BULWARK_SHARED_DIR to run this test` };
}
