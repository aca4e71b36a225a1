import { mkdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { downloadFile } from './download.js';
import type { DownloadOptions } from './download.js';
import { importSources } from './import.js';
import type { ImportInput, ImportSummary, SourceKind } from './import.js';
import type { SecdbDistro } from './importers/alpine-secdb.js';
import type { ImportLimits } from './importers/context.js';
import { DB_FILE_NAME } from './store.js';

/** One feed that `updateDb` downloads. */
export interface UpdateSourceUrl {
  /** The source name stored in the DB (`osv:Go`, `alpine-secdb:v3.20-main`); also the download file name. */
  name: string;
  kind: SourceKind;
  url: string;
  distro?: SecdbDistro;
}

const OSV_ECOSYSTEMS = ['Go', 'npm', 'PyPI', 'crates.io', 'Maven', 'RubyGems', 'Packagist', 'AlmaLinux', 'Rocky Linux'];
const ALPINE_BRANCHES = ['v3.18', 'v3.19', 'v3.20', 'v3.21', 'edge'];

/**
 * The feeds that `bulwark db update` downloads by default: OSV's per-ecosystem `all.zip`, Alpine's
 * secdb for the supported branches, and the Debian security tracker's JSON export.
 */
export const DEFAULT_UPDATE_URLS: readonly UpdateSourceUrl[] = [
  ...OSV_ECOSYSTEMS.map((ecosystem) => ({
    name: `osv:${ecosystem}`,
    kind: 'osv' as const,
    url: `https://storage.googleapis.com/osv-vulnerabilities/${encodeURIComponent(ecosystem)}/all.zip`,
  })),
  ...ALPINE_BRANCHES.flatMap((branch) =>
    ['main', 'community'].map((repository) => ({
      name: `alpine-secdb:${branch}-${repository}`,
      kind: 'alpine-secdb' as const,
      url: `https://secdb.alpinelinux.org/${branch}/${repository}.json`,
      distro: 'alpine' as const,
    })),
  ),
  { name: 'debian-tracker', kind: 'debian-tracker-json', url: 'https://security-tracker.debian.org/tracker/data/json' },
];

/** Options of `updateDb`. */
export interface UpdateOptions {
  /** The cache directory; the DB is `<cacheDir>/vulndb.sqlite`. */
  cacheDir: string;
  /** The feeds to download. Default: `DEFAULT_UPDATE_URLS`. */
  urls?: readonly UpdateSourceUrl[];
  /** The fetch implementation. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Maximum time in ms for one download attempt. Default: 300 000. */
  timeoutMs?: number;
  /** Maximum size of one download in bytes. Default: 1 GiB. */
  maxDownloadBytes?: number;
  /** Retries per download after the first attempt. Default: 4. */
  retries?: number;
  /** Delay in ms before the first retry, doubled after each. Default: 1000. */
  retryDelayMs?: number;
  onRetry?: DownloadOptions['onRetry'];
  limits?: Partial<ImportLimits>;
  now?: Date;
}

export interface UpdateResult {
  dbPath: string;
  downloads: Array<{ name: string; url: string; bytes: number }>;
  summary: ImportSummary;
}

/**
 * Downloads every feed into a temporary folder of the cache directory, then rebuilds the DB from
 * them atomically. Every download must succeed before the import starts, so a failed or
 * interrupted update leaves the previous DB as it was. The downloads are deleted afterwards.
 */
export async function updateDb(options: UpdateOptions): Promise<UpdateResult> {
  const urls = options.urls ?? DEFAULT_UPDATE_URLS;
  const downloadOptions: DownloadOptions = {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 300_000,
    maxBytes: options.maxDownloadBytes ?? 1024 * 1024 * 1024,
    retries: options.retries ?? 4,
    retryDelayMs: options.retryDelayMs ?? 1000,
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  };

  const downloadDir = join(options.cacheDir, `downloads-${randomUUID()}`);
  mkdirSync(downloadDir, { recursive: true });
  try {
    const downloads: UpdateResult['downloads'] = [];
    const inputs: ImportInput[] = [];
    for (const [index, source] of urls.entries()) {
      const extension = source.kind === 'osv' && /\.zip$/i.test(new URL(source.url).pathname) ? '.zip' : '.json';
      const path = join(downloadDir, `${index}-${source.name.replace(/[^A-Za-z0-9.-]+/g, '_')}${extension}`);
      const bytes = await downloadFile(source.url, path, downloadOptions);
      downloads.push({ name: source.name, url: source.url, bytes });
      inputs.push({ path, kind: source.kind, name: source.name, location: source.url, ...(source.distro === undefined ? {} : { distro: source.distro }) });
    }

    const dbPath = join(options.cacheDir, DB_FILE_NAME);
    const summary = await importSources(dbPath, inputs, {
      mode: 'replace',
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return { dbPath, downloads, summary };
  } finally {
    rmSync(downloadDir, { recursive: true, force: true });
  }
}
