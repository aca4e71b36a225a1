/**
 * The vulnerability DB: import, update, status and matching. The lead wires these into
 * src/index.ts and the `bulwark db` commands.
 */
export { openVulnDb, SCHEMA_VERSION, DB_FILE_NAME } from './store.js';
export type { VulnDb, OpenVulnDbOptions } from './store.js';
export { importSources, detectSourceKind, SOURCE_KINDS } from './import.js';
export type { ImportInput, ImportOptions, ImportSummary, SourceKind, SourceSummary } from './import.js';
export { DEFAULT_IMPORT_LIMITS } from './importers/context.js';
export type { ImportLimits } from './importers/context.js';
export type { SecdbDistro } from './importers/alpine-secdb.js';
export { updateDb, DEFAULT_UPDATE_URLS } from './update.js';
export type { UpdateOptions, UpdateResult, UpdateSourceUrl } from './update.js';
export { dbStatus, STALE_AFTER_MS } from './status.js';
export type { DbStatus, DbStatusOptions, SourceStatus } from './status.js';
export { matchPackages } from './matcher.js';
export type { MatchOptions, MatchResult, PackageSetMatches } from './matcher.js';
export { scoreCvssVector, severityFromCvss, severityFromScore, severityFromDebianUrgency, severityFromGhsa } from './severity.js';
export type { CvssScore, RatedSeverity } from './severity.js';
