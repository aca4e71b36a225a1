/** The public API of the report layer: filters, ignore files, exit codes and formats. */
export { filterReport } from './filter.js';
export type { FilterOptions } from './filter.js';
export {
  DEFAULT_IGNORE_FILES,
  DEFAULT_MAX_IGNORE_FILE_BYTES,
  detectIgnoreFormat,
  parseIgnoreFile,
  readIgnoreFile,
} from './ignore-file.js';
export type { IgnoreFileFormat, ParseIgnoreFileOptions, ReadIgnoreFileOptions } from './ignore-file.js';
export { isRuleExpired, matchMisconfigurationRule, matchVulnerabilityRule, mergeIgnoreRules } from './ignore-rule.js';
export type { IgnoreRule, IgnoreRuleKind, IgnoreRules, MisconfigurationContext, VulnerabilityContext } from './ignore-rule.js';
export { USAGE_OR_SCAN_FAILURE_EXIT_CODE, exitCodeFor, validateExitCode } from './exit-code.js';
export type { ExitCodeOptions } from './exit-code.js';
export { shouldUseColor } from './color.js';
export type { ColorContext } from './color.js';
export { writeTable } from './table.js';
export type { TableOptions } from './table.js';
export { toJsonReport, writeJson } from './json.js';
export { SARIF_SCHEMA_URI, SARIF_SOURCE_ROOT, artifactUri, toSarifLog, writeSarif } from './sarif.js';
export type { SarifOptions } from './sarif.js';
export { FormatRegistry, createFormatRegistry, jsonFormat, sarifFormat, tableFormat } from './format.js';
export type { ReportFormat, WriteOptions } from './format.js';
export { displayWidth, truncateToWidth } from './display-width.js';
export type {
  ExpiredRule,
  FilterCounts,
  FilterSummary,
  Report,
  ReportResult,
  RuleSource,
  SuppressedMisconfiguration,
  SuppressedVulnerability,
  SuppressionReason,
} from './types.js';
