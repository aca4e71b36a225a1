import type { Severity } from '../model/severity.js';

/** The parts of an output stream and environment that decide whether to colour output. */
export interface ColorContext {
  /** Whether the stream is a terminal: `process.stdout.isTTY`. */
  isTTY?: boolean;
  /** The environment, usually `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Returns whether to colour output: only on a terminal, and never when `NO_COLOR` is set to a
 * non-empty value, following the no-color.org convention.
 */
export function shouldUseColor(context: ColorContext): boolean {
  const noColor = context.env?.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return context.isTTY === true;
}

/**
 * SGR codes for each severity: the colours of Trivy's table writer (pkg/report/table/table.go),
 * with CRITICAL also bold so that it differs from HIGH on terminals that render both as red.
 */
const SEVERITY_SGR: Record<Severity, string> = {
  CRITICAL: '1;31', // bold red
  HIGH: '91', // bright red
  MEDIUM: '33', // yellow
  LOW: '34', // blue
  UNKNOWN: '36', // cyan
};

/** Wraps text in the ANSI colour of a severity. */
export function colorSeverity(severity: Severity, text: string): string {
  return `\u001b[${SEVERITY_SGR[severity]}m${text}\u001b[0m`;
}

/** Wraps text in bold. */
export function bold(text: string): string {
  return `\u001b[1m${text}\u001b[0m`;
}
