import { formatPlatform, normalizePlatform } from '../artifact/platform.js';
import type { Platform } from '../artifact/source.js';
import type { Descriptor } from './manifest.js';

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
