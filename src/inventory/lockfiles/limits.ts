import { DEFAULT_MAX_FILE_SIZE } from '../analyzer.js';

/** Caps on one untrusted lock file. Each cap that is hit becomes a `LIMIT_EXCEEDED` diagnostic. */
export interface LockfileLimits {
  /** The largest lock file read, in bytes. Default: `DEFAULT_MAX_FILE_SIZE` (64 MiB). */
  maxFileSize: number;
  /** The maximum number of distinct packages kept from one lock file. Later ones are dropped. Default: 100 000. */
  maxPackages: number;
  /** The maximum number of alias expansions in a YAML lock file (the `yaml` package's `maxAliasCount`). Default: 100. */
  maxYamlAliases: number;
  /** The deepest nesting of JSON objects and arrays. Default: 1000. */
  maxJsonDepth: number;
  /** The deepest nesting of TOML inline tables and arrays (smol-toml's `maxDepth`). Default: 100. */
  maxTomlDepth: number;
}

/**
 * The default caps. An npm v1 lock file nests two JSON levels per `dependencies` level. The package
 * cap is an estimate, chosen well above the few thousand packages of large real projects.
 */
export const DEFAULT_LOCKFILE_LIMITS: Readonly<LockfileLimits> = Object.freeze({
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  maxPackages: 100_000,
  maxYamlAliases: 100,
  maxJsonDepth: 1000,
  maxTomlDepth: 100,
});

/** Fills the caps a caller left out with the defaults. */
export function resolveLockfileLimits(limits: Partial<LockfileLimits> = {}): LockfileLimits {
  return { ...DEFAULT_LOCKFILE_LIMITS, ...limits };
}
