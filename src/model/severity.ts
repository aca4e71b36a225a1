/** Severities in Trivy's and Grype's vocabulary, from the most to the least severe. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Returns the rank of a severity: 4 for CRITICAL down to 0 for UNKNOWN. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
