import type { ConfigFile, ConfigFileResult } from '../config-scanner.js';
import type { BulwarkSettings } from '../settings.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import type { Severity } from '../../model/severity.js';
import type { ParsedDockerfile } from './model.js';
import { parseDockerfile } from './parse.js';
import { DOCKERFILE_RULES } from './rules/index.js';
import type { LineRange, RuleContext } from './rule.js';
import { runScript, runsInPosixShell, shellName } from './script.js';
import type { DockerfileSettings } from './settings.js';
import { runShellCheck, type ShellCheckOutcome } from './shellcheck.js';
import { decodeDockerfile } from './source-text.js';

export interface LintOptions {
  settings: DockerfileSettings;
  /** The global `ignore` and `severity` of `.bulwark.yaml`. */
  global: Pick<BulwarkSettings, 'ignore' | 'severity'>;
  /** When false, RUN scripts are not given to ShellCheck. Default: true. */
  shellcheck?: boolean;
  /** The ShellCheck executable. Default: `shellcheck` on PATH. */
  shellcheckExecutable?: string;
}

const SHELLCHECK_SEVERITY: Record<string, Severity> = { error: 'HIGH', warning: 'MEDIUM', info: 'LOW', style: 'LOW' };

/** Lints one Dockerfile: decoding, parsing, every enabled rule, ShellCheck, pragmas and settings. */
export async function lintDockerfile(file: ConfigFile, options: LintOptions): Promise<ConfigFileResult> {
  const decoded = decodeDockerfile(file.path, file.content);
  const result: ConfigFileResult = { path: file.path, type: 'dockerfile', misconfigurations: [], diagnostics: decoded.diagnostics };
  if (decoded.text === undefined) return result;

  const parsed = parseDockerfile(decoded.text);
  const findings = runRules(parsed, file.path, options.settings);
  if (options.shellcheck !== false) {
    const checked = await runShellCheckOnFile(parsed, file.path, options.shellcheckExecutable);
    findings.push(...checked.findings);
    result.diagnostics.push(...checked.diagnostics);
  }

  result.misconfigurations = applyIgnoresAndOverrides(findings, parsed, options).sort(compareFindings);
  return result;
}

function runRules(parsed: ParsedDockerfile, path: string, settings: DockerfileSettings): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  for (const rule of DOCKERFILE_RULES) {
    const enabled = rule.enabledByDefault !== false || [rule.meta.id, ...rule.meta.aliases].some((id) => settings.enable.includes(id));
    if (!enabled) continue;
    const context: RuleContext = {
      file: parsed,
      settings,
      report(at: LineRange, message: string) {
        findings.push({
          id: rule.meta.id, aliases: [...rule.meta.aliases].sort(), severity: rule.meta.severity, title: rule.meta.title, message,
          location: { path, startLine: at.startLine, endLine: at.endLine }, resolution: rule.meta.resolution,
          ...(rule.meta.helpUri === undefined ? {} : { references: [rule.meta.helpUri] }),
        });
      },
    };
    rule.check(context);
  }
  return findings;
}

/** The most RUN scripts of one Dockerfile that ShellCheck checks. */
const MAX_SHELLCHECK_SCRIPTS = 500;

async function runShellCheckOnFile(parsed: ParsedDockerfile, path: string, executable: string | undefined): Promise<{ findings: Misconfiguration[]; diagnostics: Diagnostic[] }> {
  const variables = parsed.instructions.filter((i) => i.keyword === 'ARG' || i.keyword === 'ENV').flatMap((i) => i.words.map((word) => word.split('=')[0] ?? ''));
  const scripts = parsed.instructions.flatMap((instruction) => {
    if (instruction.keyword !== 'RUN' || !runsInPosixShell(instruction)) return [];
    const script = runScript(parsed, instruction);
    if (script === undefined) return [];
    // A heredoc script's own `#!` line picks its shell; otherwise the SHELL in effect does.
    const shebang = /^#!\s*\S*?\b(bash|dash|ksh|sh)\b/.exec(script[0]?.text ?? '')?.[1];
    const name = shebang ?? shellName(instruction);
    const shell = ['bash', 'dash', 'ksh'].includes(name) ? name : 'sh';
    return [{ instruction, script, shell }];
  });

  const findings: Misconfiguration[] = [];
  const diagnostics: Diagnostic[] = [];
  // Each script costs a ShellCheck process, so a file of thousands of RUNs is checked only in part.
  if (scripts.length > MAX_SHELLCHECK_SCRIPTS) {
    diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `ShellCheck ran on the first ${MAX_SHELLCHECK_SCRIPTS} of ${scripts.length} RUN scripts; the rest were not checked` });
  }
  const run = (job: (typeof scripts)[number]) => runShellCheck({ script: job.script, shell: job.shell, variables }, executable === undefined ? {} : { executable });
  const selected = scripts.slice(0, MAX_SHELLCHECK_SCRIPTS);
  const outcomes: { line: number; outcome: ShellCheckOutcome }[] = [];
  // The first script runs alone: when shellcheck is missing, no further process is started.
  if (selected.length > 0) outcomes.push({ line: selected[0]!.instruction.startLine, outcome: await run(selected[0]!) });
  if (outcomes[0]?.outcome.status !== 'missing') {
    const rest = selected.slice(1).map((job) => ({ line: job.instruction.startLine, promise: run(job) }));
    for (const job of rest) outcomes.push({ line: job.line, outcome: await job.promise });
  }

  for (const { line, outcome } of outcomes) {
    if (outcome.status === 'missing') {
      diagnostics.push({ target: path, code: 'UNSUPPORTED', message: 'shellcheck is not installed, so RUN scripts were not checked; install the shellcheck package to get SC findings' });
      break;
    }
    if (outcome.status === 'timeout') diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `line ${line}: ShellCheck timed out on the RUN script and was stopped; the script was not checked` });
    if (outcome.status === 'failed') diagnostics.push({ target: path, code: 'INTERNAL', message: `line ${line}: ${outcome.message}` });
    if (outcome.status !== 'ok') continue;
    for (const finding of outcome.findings) {
      findings.push({
        id: finding.code, aliases: [], severity: SHELLCHECK_SEVERITY[finding.level] ?? 'LOW', title: `ShellCheck ${finding.code}`, message: finding.message,
        location: { path, startLine: finding.line, endLine: finding.line, startColumn: finding.column }, references: [`https://www.shellcheck.net/wiki/${finding.code}`],
      });
    }
  }
  return { findings, diagnostics };
}

/**
 * Drops findings ignored by pragmas or settings and applies severity overrides. Both IDs and
 * aliases match. A scoped pragma covers every line of the next instruction, heredoc bodies included.
 */
function applyIgnoresAndOverrides(findings: Misconfiguration[], parsed: ParsedDockerfile, options: LintOptions): Misconfiguration[] {
  const globalCodes = new Set(options.global.ignore);
  // The start line of the instruction that covers each line, so a finding finds its pragmas in O(1).
  const instructionAt = new Int32Array(parsed.lines.length + 2);
  for (const instruction of parsed.instructions) instructionAt.fill(instruction.startLine, instruction.startLine, Math.min(instruction.endLine, parsed.lines.length) + 1);
  const scopedCodes = new Map<number, Set<string>>();

  if (!options.settings.disableIgnorePragma) {
    let next = 0;
    for (const pragma of parsed.pragmas) {
      if (pragma.global) {
        for (const code of pragma.codes) globalCodes.add(code);
        continue;
      }
      while (next < parsed.instructions.length && (parsed.instructions[next]?.startLine ?? 0) <= pragma.line) next++;
      const target = parsed.instructions[next];
      if (target === undefined) continue;
      const codes = scopedCodes.get(target.startLine) ?? new Set<string>();
      for (const code of pragma.codes) codes.add(code);
      scopedCodes.set(target.startLine, codes);
    }
  }

  const matches = (finding: Misconfiguration, codes: Set<string> | undefined) => codes !== undefined && (codes.has(finding.id) || finding.aliases.some((alias) => codes.has(alias)));
  return findings
    .filter((finding) => !matches(finding, globalCodes))
    .filter((finding) => !matches(finding, scopedCodes.get(instructionAt[finding.location?.startLine ?? 0] ?? 0)))
    .map((finding) => {
      const override = [finding.id, ...finding.aliases].map((id) => options.global.severity[id]).find((level) => level !== undefined);
      return override === undefined ? finding : { ...finding, severity: override };
    });
}

function compareFindings(a: Misconfiguration, b: Misconfiguration): number {
  return (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) || (a.location?.startColumn ?? 0) - (b.location?.startColumn ?? 0) || a.id.localeCompare(b.id) || a.message.localeCompare(b.message);
}
