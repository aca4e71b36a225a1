/**
 * The public API of Bulwark. The CLI is a thin layer over these functions.
 */

// Errors and the finding model.
export { BulwarkError, UsageError, InputError, LimitError, DigestError, NetworkError, VulnDbError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { OsInfo } from './model/os.js';
export type { Package, PackageSet, PackageClass, PackageSetType, Ecosystem } from './model/package.js';
export type { Vulnerability } from './model/vulnerability.js';
export type { Diagnostic } from './model/diagnostic.js';
export type { Artifact, ScanReport, ScanResult, ResultClass } from './model/report.js';
export { SEVERITIES, severityRank, isSeverity } from './model/severity.js';
export type { Severity } from './model/severity.js';

// Scans.
export { scanImage, openImageTarget } from './scan/scan-image.js';
export type { ScanOutcome } from './scan/scan-image.js';
export { scanDirectory } from './scan/scan-directory.js';
export { inventoryImage } from './scan/inventory-image.js';
export type { ImageInventory } from './scan/inventory-image.js';
export { inventoryDirectory } from './scan/inventory-directory.js';
export type { DirectoryScanOptions } from './scan/inventory-directory.js';
export type { Inventory } from './scan/assemble-inventory.js';
export type { ScanOptions, ImageScanOptions, ScanProgress } from './scan/scan-options.js';
export { resolveCacheDir } from './scan/cache-dir.js';
export { vulnDbPath } from './scan/detect-vulnerabilities.js';

// Image sources and the layer walk.
export type { ImageSource, ImageConfig, LayerRef, Platform } from './artifact/source.js';
export { openImage, parseImageTarget } from './artifact/sources/open-image.js';
export type { OpenImageOptions } from './artifact/sources/open-image.js';
export { openDockerArchive } from './artifact/sources/docker-archive.js';
export { openOciLayout } from './artifact/sources/oci-layout.js';
export { openOciArchive } from './artifact/sources/oci-archive.js';
export { parsePlatform, formatPlatform } from './artifact/platform.js';
export { DEFAULT_WALK_LIMITS } from './artifact/limits.js';
export type { WalkLimits } from './artifact/limits.js';
export { MergedView } from './artifact/merged-view.js';

// Registries.
export { openRegistryImage } from './registry/registry-source.js';
export type { RegistryImageOptions } from './registry/registry-source.js';
export { RegistryClient } from './registry/client.js';
export type { RegistryClientOptions } from './registry/client.js';
export { parseReference, formatReference } from './registry/reference.js';

// Analyzers.
export type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from './inventory/analyzer.js';
export { defaultAnalyzers, buildAnalyzerRegistry } from './inventory/registry.js';
export { osAnalyzers, resolveOs, parseDpkgStatus, parseApkInstalled, parseRpmdb } from './inventory/os/index.js';
export { langAnalyzers } from './inventory/lang/index.js';
export { lockfileAnalyzers, createLockfileAnalyzers } from './inventory/lockfiles/index.js';
export { packagePurl } from './inventory/purl.js';

// Versions.
export { compareVersions, isValidVersion, VERSION_SCHEMES } from './versioning/index.js';
export type { VersionScheme } from './versioning/index.js';

// The vulnerability DB.
export { openVulnDb, DB_FILE_NAME } from './vulndb/store.js';
export type { VulnDb } from './vulndb/store.js';
export { importSources, SOURCE_KINDS } from './vulndb/import.js';
export type { ImportSummary, ImportOptions, SourceKind } from './vulndb/import.js';
export { updateDb, DEFAULT_UPDATE_URLS } from './vulndb/update.js';
export type { UpdateOptions, UpdateResult } from './vulndb/update.js';
export { dbStatus, STALE_AFTER_MS } from './vulndb/status.js';
export type { DbStatus } from './vulndb/status.js';
export { matchPackages } from './vulndb/matcher.js';
export type { MatchOptions, MatchResult } from './vulndb/matcher.js';

// Reports.
export * from './report/index.js';

// Config checks: Dockerfiles, image configs, Kubernetes manifests.
export type { Misconfiguration, Location, ObjectRef, RuleMetadata } from './model/misconfiguration.js';
export type { ConfigScanner, ConfigFile, ConfigFileResult } from './misconfig/config-scanner.js';
export { parseSettings, EMPTY_SETTINGS } from './misconfig/settings.js';
export type { BulwarkSettings } from './misconfig/settings.js';
export { configScanners } from './misconfig/scanners.js';
export { scanConfig } from './scan/scan-config.js';
export { dockerfileScanner, dockerfileRules, lintDockerfile, parseDockerfile } from './misconfig/dockerfile/index.js';
export { checkImage, imageConfigRules, viewEntries } from './misconfig/imageconfig/index.js';
export { kubernetesScanner, kubernetesRules, evaluatePod, pssVersion, buildNetworkModel, computeReachability } from './misconfig/kubernetes/index.js';

// SBOMs.
export { SBOM_FORMATS, createCycloneDxFormat, createCycloneDxXmlFormat, writeCycloneDx, buildSpdxDocument, renderSpdxTagValue, readSbom, scanSbom } from './sbom/index.js';

// Falco-compatible runtime rules. The runtime's RuleSource (a rule file's name and text) is
// exported as RuleFileSource, because the report layer's RuleSource names an ignore rule's file.
export {
  buildAlert,
  formatAlertJson,
  formatAlertText,
  createFileOutput,
  createHttpOutput,
  createProgramOutput,
  ALERT_OUTPUT_NAMES,
  AlertRouter,
  parseAlertRoute,
  RepeatLimiter,
  compileCondition,
  CompileError,
  ConditionSyntaxError,
  parseCondition,
  EventQueue,
  eventsFromJson,
  readJsonEvents,
  startAuditWebhook,
  DEFAULT_CAPTURE_FIELDS,
  readCaptureEvents,
  RuleEngine,
  BUILTIN_PLUGINS,
  ENGINE_VERSION,
  formatDiagnostic,
  builtinCatalogues,
  isUsable,
  loadRuleFiles,
  loadRules,
  parsePriority,
  PRIORITIES,
  parseRuleCases,
  RuleCasesError,
  runRuleCases,
  createCounters,
  formatCounters,
  runEvents,
} from './runtime/index.js';
export type {
  Alert,
  AlertOutput,
  HttpOutputOptions,
  ProgramOutputOptions,
  AlertOutputName,
  AlertRoute,
  EngineSemver,
  RepeatLimit,
  CompileScope,
  CompiledCondition,
  Predicate,
  ConditionNode,
  JsonEventOptions,
  AuditWebhook,
  AuditWebhookOptions,
  CaptureOptions,
  FieldCatalogue,
  FieldValue,
  RuntimeEvent,
  RuleEngineOptions,
  RuleMatch,
  RuleSource as RuleFileSource,
  CompiledRule,
  LoadedRuleset,
  Priority,
  RuleDiagnostic,
  RuleTestCase,
  RuleTestResult,
  RunCounters,
  RunEventsOptions,
} from './runtime/index.js';
