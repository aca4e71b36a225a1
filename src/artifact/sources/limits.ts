/**
 * Caps on untrusted image archives and layouts. Each cap has its own option so a caller can
 * raise one without lifting the others, and each error names the option that raises it.
 */
export interface SourceLimits {
  /** Maximum number of members in an archive tar, counting directories and links. Default: 100,000. */
  maxTarEntries?: number;
  /** Maximum length in bytes of a tar member name or link target. Default: 4,096 (Linux PATH_MAX). */
  maxTarNameLength?: number;
  /** Maximum size in bytes of an index, a manifest, `manifest.json` or `repositories`. Default: 4 MiB. */
  maxManifestBytes?: number;
  /** Maximum size in bytes of an image config or a legacy `<id>/json`. Default: 16 MiB. */
  maxConfigBytes?: number;
  /**
   * Maximum ratio of decompressed to compressed size when a `.tar.gz` archive is decompressed
   * into the cache folder. Archives below 1 GiB decompressed always pass. Default: 50.
   */
  maxDecompressionRatio?: number;
  /**
   * Fixed cap in bytes on the decompressed size of a `.tar.gz` archive, replacing the
   * ratio-based cap when set. Default: unset.
   */
  maxDecompressedBytes?: number;
}

export type ResolvedSourceLimits = Required<Omit<SourceLimits, 'maxDecompressedBytes'>> & Pick<SourceLimits, 'maxDecompressedBytes'>;

export const DEFAULT_SOURCE_LIMITS: ResolvedSourceLimits = {
  maxTarEntries: 100_000,
  maxTarNameLength: 4096,
  maxManifestBytes: 4 * 1024 * 1024,
  maxConfigBytes: 16 * 1024 * 1024,
  maxDecompressionRatio: 50,
};

/** Decompressed size that passes whatever the ratio, so small archives of zero-filled files still open. */
export const DECOMPRESSED_SIZE_FLOOR = 1024 * 1024 * 1024;

/** Fills the unset caps with their defaults. */
export function resolveSourceLimits(limits: SourceLimits = {}): ResolvedSourceLimits {
  return {
    maxTarEntries: limits.maxTarEntries ?? DEFAULT_SOURCE_LIMITS.maxTarEntries,
    maxTarNameLength: limits.maxTarNameLength ?? DEFAULT_SOURCE_LIMITS.maxTarNameLength,
    maxManifestBytes: limits.maxManifestBytes ?? DEFAULT_SOURCE_LIMITS.maxManifestBytes,
    maxConfigBytes: limits.maxConfigBytes ?? DEFAULT_SOURCE_LIMITS.maxConfigBytes,
    maxDecompressionRatio: limits.maxDecompressionRatio ?? DEFAULT_SOURCE_LIMITS.maxDecompressionRatio,
    maxDecompressedBytes: limits.maxDecompressedBytes,
  };
}
