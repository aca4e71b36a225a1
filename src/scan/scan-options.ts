import { DEFAULT_WALK_LIMITS, type WalkLimits } from '../artifact/limits.js';
import type { Platform } from '../artifact/source.js';
import type { Analyzer } from '../inventory/analyzer.js';
import type { BulwarkSettings } from '../misconfig/settings.js';

/** Options shared by every scan kind. */
export interface ScanOptions {
  /** The cache directory for the layer cache and the vulnerability DB. Default: see `resolveCacheDir`. */
  cacheDir?: string;
  /** Skip the layer cache, reading and writing nothing in it. Default: false. */
  noLayerCache?: boolean;
  /** Keep development-only dependencies of lock files. Default: false, as in Trivy. */
  includeDevDeps?: boolean;
  /** Skip vulnerability detection and only list packages. Default: false. */
  skipVulnerabilities?: boolean;
  /** The analyzers to run. Default: every registered analyzer. */
  analyzers?: readonly Analyzer[];
  /** Caps on untrusted input. Default: `DEFAULT_WALK_LIMITS`. */
  limits?: Partial<WalkLimits>;
  /** Called with progress events, for a progress bar. */
  onProgress?: (message: ScanProgress) => void;
}

export type ScanProgress =
  | { kind: 'layer'; index: number; total: number; digest: string; cached: boolean; done: boolean }
  | { kind: 'phase'; phase: 'open' | 'analyze' | 'detect' };

/** Options of an image scan. */
export interface ImageScanOptions extends ScanOptions {
  /** The platform to pick from a multi-platform index. Default: linux/amd64. */
  platform?: Platform;
  /** Registry credentials, overriding `~/.docker/config.json`. */
  username?: string;
  password?: string;
  /** Talk plain HTTP to the registry. Default: false. */
  insecure?: boolean;
  /** Reject registry references, so the scan makes no network request at all. Default: false. */
  offline?: boolean;
  /** Check the image config, history and files as dockle does. Default: true. */
  checkImageConfig?: boolean;
  /** `.bulwark.yaml` settings for the image checks (ignored rules, severity overrides). */
  settings?: BulwarkSettings;
  /** Called before a registry request is retried, for a warning on stderr. */
  onRetry?: (event: { url: string; attempt: number; status?: number; error?: string; delayMs: number }) => void;
}

export function resolveLimits(limits: Partial<WalkLimits> | undefined): WalkLimits {
  return { ...DEFAULT_WALK_LIMITS, ...limits };
}
