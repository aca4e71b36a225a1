// The public API of the runtime rule engine, for src/index.ts to re-export.
export { buildAlert, formatAlertJson, formatAlertText, type Alert } from './alerts/alert.js';
export { createFileOutput, createHttpOutput, createProgramOutput, type AlertOutput, type HttpOutputOptions } from './alerts/alert-outputs.js';
export { RepeatLimiter, type RepeatLimit } from './alerts/repeat-limiter.js';
export { compileCondition, CompileError, type CompileScope, type CompiledCondition, type Predicate } from './condition/compile-condition.js';
export { ConditionSyntaxError, parseCondition } from './condition/condition-parser.js';
export type { ConditionNode } from './condition/ast.js';
export { EventQueue } from './events/event-queue.js';
export { eventsFromJson, readJsonEvents, type JsonEventOptions } from './events/json-events.js';
export { startAuditWebhook, type AuditWebhook, type AuditWebhookOptions } from './events/k8s-audit-webhook.js';
export { DEFAULT_CAPTURE_FIELDS, readCaptureEvents, type CaptureOptions } from './events/sysdig-events.js';
export type { FieldCatalogue, FieldValue, RuntimeEvent } from './fields/field-types.js';
export { RuleEngine, type RuleEngineOptions, type RuleMatch } from './rule-engine.js';
export { formatDiagnostic } from './rules/format-diagnostics.js';
export { builtinCatalogues, isUsable, loadRuleFiles, loadRules, type RuleSource } from './rules/load-rules.js';
export { parsePriority, PRIORITIES, type CompiledRule, type LoadedRuleset, type Priority, type RuleDiagnostic } from './rules/rule-types.js';
export { parseRuleCases, RuleCasesError, runRuleCases, type RuleTestCase, type RuleTestResult } from './rules-test-harness.js';
export { createCounters, formatCounters, runEvents, type RunCounters, type RunEventsOptions } from './run-events.js';
