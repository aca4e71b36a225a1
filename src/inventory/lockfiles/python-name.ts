/**
 * Returns the normalized form of a Python distribution name (PEP 503: lower case, every run of
 * `-`, `_` and `.` replaced by one `-`), under which pip and lock files treat names as equal.
 */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
