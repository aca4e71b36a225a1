import type { RuleDiagnostic } from './rule-types.js';

/** Formats a diagnostic as `file:line:column: severity: item: message [CODE]`, the compiler layout editors jump to. */
export function formatDiagnostic(diagnostic: RuleDiagnostic): string {
  const { file, line, column } = diagnostic.position;
  const item = diagnostic.item === undefined ? '' : `${diagnostic.item}: `;
  return `${file}:${line}:${column}: ${diagnostic.severity}: ${item}${diagnostic.message} [${diagnostic.code}]`;
}
