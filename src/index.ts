/**
 * The public API of Bulwark. The CLI is a thin layer over these functions.
 */
export { BulwarkError, UsageError, InputError, LimitError, DigestError, NetworkError, VulnDbError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { OsInfo } from './model/os.js';
export type { Package, PackageSet, PackageClass, PackageSetType, Ecosystem } from './model/package.js';
export type { Vulnerability } from './model/vulnerability.js';
export type { Diagnostic } from './model/diagnostic.js';
export { SEVERITIES, severityRank } from './model/severity.js';
export type { Severity } from './model/severity.js';
export type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from './inventory/analyzer.js';
