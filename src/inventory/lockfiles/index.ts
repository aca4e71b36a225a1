import type { Analyzer } from '../analyzer.js';
import type { LockfileLimits } from './limits.js';
import { resolveLockfileLimits } from './limits.js';
import type { LockfileFormat } from './lockfile-analyzer.js';
import { createLockfileAnalyzer } from './lockfile-analyzer.js';
import { cargoLockFormat } from './cargo-lock.js';
import { composerLockFormat } from './composer-lock.js';
import { gemfileLockFormat } from './gemfile-lock.js';
import { goModFormat } from './go-mod.js';
import { npmLockFormat } from './npm-lock.js';
import { pipfileLockFormat } from './pipfile-lock.js';
import { pnpmLockFormat } from './pnpm-lock.js';
import { poetryLockFormat } from './poetry-lock.js';
import { requirementsTxtFormat } from './requirements-txt.js';
import { yarnLockFormat } from './yarn-lock.js';

export type { LockfileLimits } from './limits.js';
export { DEFAULT_LOCKFILE_LIMITS } from './limits.js';
export type { LockfileFormat } from './lockfile-analyzer.js';

/** Every lock file format, in a fixed order. */
export const lockfileFormats: readonly LockfileFormat[] = [
  npmLockFormat,
  yarnLockFormat,
  pnpmLockFormat,
  poetryLockFormat,
  pipfileLockFormat,
  requirementsTxtFormat,
  goModFormat,
  cargoLockFormat,
  gemfileLockFormat,
  composerLockFormat,
];

/** Builds one analyzer per lock file format, with caps that override the defaults. */
export function createLockfileAnalyzers(limits: Partial<LockfileLimits> = {}): Analyzer[] {
  const resolved = resolveLockfileLimits(limits);
  return lockfileFormats.map((format) => createLockfileAnalyzer(format, resolved));
}

/** The lock file analyzers with the default caps. */
export const lockfileAnalyzers: Analyzer[] = createLockfileAnalyzers();
