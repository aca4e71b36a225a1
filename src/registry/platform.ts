import type { Platform } from '../artifact/source.js';
import { UsageError } from '../errors.js';
import type { Descriptor } from './manifest.js';

/** The platform scanned when none is named. */
export const DEFAULT_PLATFORM: Readonly<Platform> = Object.freeze({ os: 'linux', architecture: 'amd64' });

/**
 * Parses `os/arch[/variant]` (`linux/arm64`, `linux/arm/v7`).
 *
 * @throws {UsageError} when a part is missing or there are more than three.
 */
export function parsePlatform(value: string): Platform {
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part.trim() === '')) {
    throw new UsageError(`invalid platform "${value}": expected os/arch or os/arch/variant, such as linux/amd64 or linux/arm/v7`);
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}

/** Formats a platform as `os/arch[/variant]`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part !== undefined && part !== '').join('/');
}

/**
 * Normalizes names like containerd's `normalizeArch`: `x86_64` is `amd64`, `aarch64` is `arm64`,
 * `arm64/v8` is plain `arm64`, and `arm` without a variant is `arm/v7`. Unlike containerd, `amd64/v1`
 * also becomes plain `amd64`.
 */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase() === 'macos' ? 'darwin' : platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = platform.variant?.toLowerCase() ?? '';

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
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`;
      break;
    default:
      break;
  }
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

/**
 * Picks the index entry for a platform. An exact match (after normalizing) wins. Failing that,
 * a request without a variant takes the entry with the lowest variant of the same os and
 * architecture, and an `arm/vN` request takes the highest lower arm variant, which an arm/vN CPU
 * also runs. Entries without a platform, or with `unknown/unknown` (BuildKit attestations), never
 * match. Returns undefined when nothing fits.
 */
export function selectPlatformManifest(manifests: Descriptor[], wanted: Platform): Descriptor | undefined {
  const target = normalizePlatform(wanted);
  const candidates = manifests
    .filter((entry) => entry.platform !== undefined && entry.platform.os !== 'unknown')
    .map((entry) => ({ entry, platform: normalizePlatform(entry.platform as Platform) }))
    .filter(({ platform }) => platform.os === target.os && platform.architecture === target.architecture);

  const exact = candidates.find(({ platform }) => (platform.variant ?? '') === (target.variant ?? ''));
  if (exact !== undefined) return exact.entry;

  if (target.variant === undefined) {
    const byVariant = [...candidates].sort((a, b) => (a.platform.variant ?? '').localeCompare(b.platform.variant ?? ''));
    return byVariant[0]?.entry;
  }
  if (target.architecture === 'arm') {
    const wantedLevel = Number(target.variant.slice(1));
    const compatible = candidates
      .map((candidate) => ({ ...candidate, level: Number(candidate.platform.variant?.slice(1)) }))
      .filter(({ level }) => Number.isInteger(level) && level < wantedLevel)
      .sort((a, b) => b.level - a.level);
    return compatible[0]?.entry;
  }
  return undefined;
}

/** Lists the platforms an index offers, for the message when none fits. */
export function listPlatforms(manifests: Descriptor[]): string[] {
  const names = manifests
    .filter((entry) => entry.platform !== undefined && entry.platform.os !== 'unknown')
    .map((entry) => formatPlatform(entry.platform as Platform));
  return [...new Set(names)].sort();
}
