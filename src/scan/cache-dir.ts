import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Returns the cache directory: the explicit option, else `BULWARK_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/bulwark`, else `~/.cache/bulwark`, as the XDG base-directory spec places caches.
 */
export function resolveCacheDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.BULWARK_CACHE_DIR) return resolve(env.BULWARK_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'bulwark');
  return join(homedir(), '.cache', 'bulwark');
}
