/**
 * Platform strings and matching. Normalization follows `normalizeArch` in containerd's
 * `platforms` package (database.go): aliases such as aarch64 and x86_64 map to the Go names,
 * arm64/v8 equals arm64 without a variant, and arm without a variant equals arm/v7.
 */
import { InputError, UsageError } from '../errors.js';
import type { ImageConfig, Platform } from './source.js';

/** The platform chosen from a multi-platform index when the caller names none. */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/**
 * Parses `os/arch[/variant]`, for example `linux/arm64/v8`, and normalizes it, so `Linux/x86_64`
 * gives linux/amd64. Raises a UsageError for other text.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part.trim() === '')) {
    throw new UsageError(`invalid platform "${text}": expected os/arch[/variant], for example linux/arm64/v8`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}

/** Formats a platform as `os/arch[/variant]`. */
export function formatPlatform(platform: Platform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

/** Maps architecture and variant aliases to one spelling, as containerd does before matching. */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase() === 'macos' ? 'darwin' : platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = (platform.variant ?? '').toLowerCase();

  switch (architecture) {
    case 'i386':
      architecture = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
    default:
      break;
  }
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

/** Returns true when both platforms are equal after normalization. */
export function platformMatches(requested: Platform, candidate: Platform): boolean {
  const a = normalizePlatform(requested);
  const b = normalizePlatform(candidate);
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}

/**
 * Raises an InputError (NOT_FOUND) when the caller requested a platform and the image config
 * records a different one. A config without os or architecture passes.
 */
export function checkConfigPlatform(config: ImageConfig, requested: Platform | undefined, subject: string): void {
  if (requested === undefined || typeof config.os !== 'string' || typeof config.architecture !== 'string') return;
  const actual: Platform = { os: config.os, architecture: config.architecture };
  if (typeof config.variant === 'string' && config.variant !== '') actual.variant = config.variant;
  if (!platformMatches(requested, actual)) {
    throw new InputError('NOT_FOUND', `${subject}: the image is for ${formatPlatform(actual)}, not the requested ${formatPlatform(requested)}`);
  }
}
