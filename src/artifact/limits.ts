/**
 * Caps on untrusted image content. Each cap has a CLI flag that raises it, named in the error that
 * reports the cap, so a user with a legitimate large image can proceed.
 */
export interface WalkLimits {
  /** The largest file an analyzer may buffer, in bytes, unless the analyzer sets a lower cap. Flag: `--max-file-size`. */
  maxFileSize: number;
  /** The most tar entries one layer may hold. Flag: `--max-layer-entries`. */
  maxLayerEntries: number;
  /** The most bytes one layer may expand to. Flag: `--max-layer-size`. */
  maxLayerSize: number;
  /**
   * The highest ratio of uncompressed to compressed bytes a layer may reach, checked once the
   * layer has expanded past `ratioGraceBytes`. Flag: `--max-decompression-ratio`.
   */
  maxDecompressionRatio: number;
  /** Uncompressed bytes a layer may reach before the ratio cap applies. */
  ratioGraceBytes: number;
  /** The longest entry name, in bytes. */
  maxPathLength: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = {
  maxFileSize: 256 * 1024 * 1024,
  maxLayerEntries: 2_000_000,
  maxLayerSize: 64 * 1024 * 1024 * 1024,
  // Real layers compress 2-10 times; a file of zeros compresses about 1000 times with gzip. A
  // ratio of 200 leaves room for sparse database files while stopping bombs early.
  maxDecompressionRatio: 200,
  ratioGraceBytes: 256 * 1024 * 1024,
  maxPathLength: 4096,
};
