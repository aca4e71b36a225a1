import type { PodTemplate } from '../pod-template.js';
import type { PssCheck, PssViolation } from './pss-check.js';
import { BASELINE_CHECKS_HOST } from './pss-checks-baseline.js';
import { BASELINE_CHECKS_PROFILES } from './pss-checks-profiles.js';
import { RESTRICTED_CHECKS } from './pss-checks-restricted.js';
import type { PssCapabilities, PssLevel } from './pss-version.js';

/** Every check of the pod-security admission controller, baseline first. */
export const PSS_CHECKS: readonly PssCheck[] = [...BASELINE_CHECKS_HOST, ...BASELINE_CHECKS_PROFILES, ...RESTRICTED_CHECKS];

export interface PssResult {
  check: PssCheck;
  violation: PssViolation;
}

/**
 * Returns the checks that a level runs at a version: baseline runs the baseline checks, restricted
 * runs those and its own, minus the baseline checks that a restricted check overrides (as
 * restrictedVolumes replaces hostPathVolumes). The privileged level runs none.
 */
export function checksFor(level: PssLevel, version: PssCapabilities): PssCheck[] {
  const key = `${level}:${version.minor}`;
  let checks = checksByPolicy.get(key);
  if (checks === undefined) {
    checks = selectChecks(level, version);
    checksByPolicy.set(key, checks);
  }
  return checks;
}

const checksByPolicy = new Map<string, PssCheck[]>();

function selectChecks(level: PssLevel, version: PssCapabilities): PssCheck[] {
  if (level === 'privileged') return [];
  const applicable = PSS_CHECKS.filter((check) => check.appliesTo(version) && (level === 'restricted' || check.level === 'baseline'));
  const overridden = new Set(applicable.flatMap((check) => check.overrides ?? []));
  return applicable.filter((check) => !overridden.has(check.id));
}

/** Evaluates a pod against a level and version; a pod that passes gives an empty list. */
export function evaluatePod(pod: PodTemplate, level: PssLevel, version: PssCapabilities): PssResult[] {
  const results: PssResult[] = [];
  for (const check of checksFor(level, version)) {
    const violation = check.evaluate(pod, version);
    if (violation !== undefined) results.push({ check, violation });
  }
  return results;
}
