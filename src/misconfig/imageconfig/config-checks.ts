import type { ImageConfig } from '../../artifact/source.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import { imageFinding } from './input.js';

/** Directories whose host counterparts expose devices and kernel interfaces when mounted. */
const SENSITIVE_DIRECTORIES = new Set(['/dev', '/proc', '/sys']);

/**
 * Flags an image whose default user is root: no `User`, `root`, UID 0, with or without a group.
 * NOTE: a named user is taken as non-root, because /etc/passwd content is not part of the input.
 * So a user with another name and UID 0 is missed.
 */
export function checkUser(config: ImageConfig): Misconfiguration[] {
  const user = typeof config.config?.User === 'string' ? config.config.User.trim() : '';
  if (user === '') return [imageFinding('image/root-user', 'the image sets no USER, so containers run as root (UID 0)')];

  const name = user.split(':')[0]!;
  if (name === 'root' || /^0+$/.test(name)) return [imageFinding('image/root-user', `the image runs as root: USER ${user}`)];
  return [];
}

/** Flags an image with no health check, or with one that `HEALTHCHECK NONE` disabled. */
export function checkHealthcheck(config: ImageConfig): Misconfiguration[] {
  const healthcheck = config.config?.Healthcheck;
  const test = healthcheck && Array.isArray(healthcheck.Test) ? healthcheck.Test : [];
  if (test.length === 0) return [imageFinding('image/no-healthcheck', 'the image config has no HEALTHCHECK')];
  if (test[0] === 'NONE') return [imageFinding('image/no-healthcheck', 'HEALTHCHECK NONE disables the health check inherited from the base image')];
  return [];
}

/** Flags VOLUME declarations on /dev, /proc or /sys. */
export function checkVolumes(config: ImageConfig): Misconfiguration[] {
  const volumes = config.config?.Volumes;
  if (volumes === null || typeof volumes !== 'object' || Array.isArray(volumes)) return [];
  const findings: Misconfiguration[] = [];
  for (const volume of Object.keys(volumes)) {
    const normalized = volume.replace(/\/+$/, '') || '/';
    if (SENSITIVE_DIRECTORIES.has(normalized)) findings.push(imageFinding('image/sensitive-volume', `the image declares VOLUME ${volume}`));
  }
  return findings;
}
