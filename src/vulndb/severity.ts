import cvssCalculator from 'ae-cvss-calculator';

import type { Severity } from '../model/severity.js';

/** A CVSS vector with its base score, keyed in advisories by CVSS version (`2.0`, `3.1`, `4.0`). */
export interface CvssScore {
  vector: string;
  score: number;
}

/** A severity with the place it came from. */
export interface RatedSeverity {
  severity: Severity;
  /** The origin of the rating: `ghsa`, `cvss-v3.1`, `cvss-v4.0`… */
  source: string;
}

// ae-cvss-calculator 1.0.13 ships a CommonJS bundle, so its classes are properties of the default export.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator as unknown as typeof import('ae-cvss-calculator');

/**
 * Returns the CVSS version and base score of a vector, or undefined for a vector that the
 * calculator cannot score. A v2 vector has no prefix; v3 and v4 vectors start with `CVSS:x.y/`.
 */
export function scoreCvssVector(vector: string): { version: string; score: CvssScore } | undefined {
  const trimmed = vector.trim();
  const version = /^CVSS:(\d\.\d)\//.exec(trimmed)?.[1] ?? '2.0';
  try {
    let base: number | undefined;
    if (version === '3.1') base = new Cvss3P1(trimmed).calculateScores().base;
    else if (version === '3.0') base = new Cvss3P0(trimmed).calculateScores().base;
    else if (version === '4.0') base = new Cvss4P0(trimmed).calculateScores().base;
    else if (version === '2.0') base = new Cvss2(trimmed).calculateScores().base;
    if (base === undefined || !Number.isFinite(base)) return undefined;
    return { version, score: { vector: trimmed, score: base } };
  } catch {
    // The calculator throws TypeErrors on malformed vectors; the caller reports the vector as unscored.
    return undefined;
  }
}

/**
 * Maps a CVSS base score to a severity with the rating scale of CVSS v3 and v4 (FIRST, CVSS v3.1
 * specification section 5): 9.0 and up CRITICAL, 7.0 HIGH, 4.0 MEDIUM, 0.1 LOW, 0 UNKNOWN.
 */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

/**
 * Computes a severity from the vectors of an advisory, preferring v3.1, then v3.0, v4.0 and v2.0
 * (the order Trivy and Grype show NVD data in). Returns undefined when there is no vector.
 */
export function severityFromCvss(cvss: Record<string, CvssScore> | undefined): RatedSeverity | undefined {
  if (cvss === undefined) return undefined;
  for (const version of ['3.1', '3.0', '4.0', '2.0']) {
    const entry = cvss[version];
    if (entry !== undefined) return { severity: severityFromScore(entry.score), source: `cvss-v${version}` };
  }
  return undefined;
}

/** Maps GHSA's `database_specific.severity` (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`) to a severity. */
export function severityFromGhsa(rating: unknown): Severity | undefined {
  if (typeof rating !== 'string') return undefined;
  switch (rating.toUpperCase()) {
    case 'CRITICAL':
      return 'CRITICAL';
    case 'HIGH':
      return 'HIGH';
    case 'MODERATE':
    case 'MEDIUM':
      return 'MEDIUM';
    case 'LOW':
      return 'LOW';
    default:
      return undefined;
  }
}

/**
 * Maps a Debian security tracker urgency to a severity the way Trivy does: `unimportant` is LOW,
 * `low`, `medium` and `high` keep their level, and `not yet assigned` or anything else is
 * UNKNOWN. A trailing `**` (the tracker's mark for an urgency copied from NVD) is ignored.
 */
export function severityFromDebianUrgency(urgency: string): Severity {
  switch (urgency.replace(/\*+$/, '').trim().toLowerCase()) {
    case 'unimportant':
    case 'low':
      return 'LOW';
    case 'medium':
      return 'MEDIUM';
    case 'high':
      return 'HIGH';
    default:
      return 'UNKNOWN';
  }
}
