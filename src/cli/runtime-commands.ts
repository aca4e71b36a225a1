import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import { ExitError } from './exit-error.js';

interface OutputFlags {
  format: 'text' | 'json';
}

interface EngineFlags {
  minPriority?: string;
  ruleMatching: 'first' | 'all';
}

interface RuntimeFlags extends OutputFlags, EngineFlags {
  rules?: string[];
  events?: string;
  capture?: string;
  eventSource: string;
}

/** Exit code of `rules validate` and `rules test` when rules are invalid or a case fails, as `falco -V` does. */
const FINDINGS_EXIT_CODE = 1;
/** Exit code when the rules cannot be loaded, so nothing starts. */
const LOAD_FAILURE_EXIT_CODE = 2;

const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
const ruleMatchingOption = (): Option =>
  new Option('--rule-matching <mode>', 'first: only the first matching rule per event alerts, as Falco does by default; all: every matching rule').choices(['first', 'all']).default('first');

/** Loads rule files; prints the diagnostics to stderr and ends with exit 2 when any is an error. */
async function loadOrExit(files: readonly string[]) {
  const { loadRuleFiles, isUsable } = await import('../runtime/rules/load-rules.js');
  const { formatDiagnostic } = await import('../runtime/rules/format-diagnostics.js');
  const ruleset = await loadRuleFiles(files);
  if (!isUsable(ruleset)) {
    for (const diagnostic of ruleset.diagnostics) if (diagnostic.severity === 'error') process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    process.stderr.write(`ERROR the rule files have errors, so nothing started; run bulwark rules validate ${files.join(' ')} for every problem\n`);
    throw new ExitError(LOAD_FAILURE_EXIT_CODE);
  }
  return ruleset;
}

async function engineOptions(flags: EngineFlags) {
  const { parsePriority } = await import('../runtime/rules/rule-types.js');
  if (flags.minPriority === undefined) return { ruleMatching: flags.ruleMatching };
  const minPriority = parsePriority(flags.minPriority);
  if (minPriority === undefined) throw new UsageError(`invalid --min-priority '${flags.minPriority}': use emergency, alert, critical, error, warning, notice, informational or debug`);
  return { ruleMatching: flags.ruleMatching, minPriority };
}

/** Adds `rules validate|list|test` and `runtime`. */
export function addRuntimeCommands(program: Command, setExitCode: (code: number) => void): void {
  const rules = program.command('rules').description('validate, list and unit-test Falco rule files');

  rules
    .command('validate')
    .description('load rule files in order and report errors and warnings with file, line and column, like falco -V; exits 1 on errors')
    .argument('<file...>', 'rule files, loaded in order; later files change earlier ones')
    .addOption(formatOption())
    .action(async (files: string[], flags: OutputFlags) => {
      const { loadRuleFiles, isUsable } = await import('../runtime/rules/load-rules.js');
      const { formatDiagnostic } = await import('../runtime/rules/format-diagnostics.js');
      const ruleset = await loadRuleFiles(files);
      const errors = ruleset.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      const warnings = ruleset.diagnostics.length - errors;
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify({ valid: errors === 0, files, rules: ruleset.rules.length, macros: ruleset.macros.size, lists: ruleset.lists.size, diagnostics: ruleset.diagnostics }, null, 2)}\n`);
      } else {
        for (const diagnostic of ruleset.diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
        const verdict = errors === 0 ? 'valid' : 'invalid';
        process.stdout.write(`${files.join(' ')}: ${verdict}: ${ruleset.rules.length} rules, ${ruleset.macros.size} macros, ${ruleset.lists.size} lists; ${errors} errors, ${warnings} warnings\n`);
      }
      setExitCode(isUsable(ruleset) ? 0 : FINDINGS_EXIT_CODE);
    });

  rules
    .command('list')
    .description('list the rules of rule files: name, source, priority, enabled, tags')
    .argument('<file...>', 'rule files, loaded in order')
    .addOption(formatOption())
    .action(async (files: string[], flags: OutputFlags) => {
      const ruleset = await loadOrExit(files);
      const rows = ruleset.rules.map((rule) => ({ rule: rule.name, source: rule.source, priority: rule.priority, enabled: rule.enabled, tags: [...rule.tags], desc: rule.desc.trim() }));
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        for (const row of rows) process.stdout.write(`${row.rule}\t${row.source}\t${row.priority}\t${row.enabled ? 'enabled' : 'disabled'}\t${row.tags.join(',')}\n`);
      }
      setExitCode(0);
    });

  rules
    .command('test')
    .description('run test cases (events in, expected alerts out) against rule files; exits 1 when a case fails')
    .argument('<file...>', 'rule files, loaded in order')
    .requiredOption('--cases <file>', 'YAML list of {name, event or events, expect: [rule names]}')
    .addOption(ruleMatchingOption())
    .addOption(formatOption())
    .action(async (files: string[], flags: OutputFlags & EngineFlags & { cases: string }) => {
      const ruleset = await loadOrExit(files);
      const { parseRuleCases, runRuleCases, RuleCasesError } = await import('../runtime/rules-test-harness.js');
      let cases;
      try {
        cases = parseRuleCases(flags.cases, await readFile(flags.cases, 'utf8'));
      } catch (error) {
        if (!(error instanceof RuleCasesError)) throw error;
        throw new UsageError(`${error.position.file}:${error.position.line}:${error.position.column}: invalid cases file: ${error.message}`);
      }
      const results = runRuleCases(ruleset.rules, cases, await engineOptions(flags));
      const failed = results.filter((result) => !result.passed);
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const result of results) {
          if (result.passed) process.stdout.write(`PASS ${result.name}\n`);
          else {
            const where = `${result.position.file}:${result.position.line}:${result.position.column}`;
            process.stdout.write(`FAIL ${result.name} (${where}): expected [${result.expected.join(', ')}], got [${result.actual.join(', ')}]\n`);
          }
        }
        process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
      }
      setExitCode(failed.length === 0 ? 0 : FINDINGS_EXIT_CODE);
    });

  program
    .command('runtime')
    .description('raise Falco-compatible alerts from recorded events: JSON lines, Kubernetes audit logs or sysdig captures')
    .requiredOption('-r, --rules <file...>', 'rule files, loaded in order')
    .option('-e, --events <file>', "JSON lines keyed by Falco field names, or audit.k8s.io Events/EventLists; '-' reads stdin")
    .option('--capture <file>', 'sysdig or Falco capture (.scap), read with the sysdig binary')
    .option('--event-source <source>', 'source of flat JSON events that carry no evt.source field', 'syscall')
    .option('--min-priority <priority>', 'skip rules less severe than this priority')
    .addOption(ruleMatchingOption())
    .addOption(formatOption())
    .action(async (flags: RuntimeFlags) => {
      if ((flags.events === undefined) === (flags.capture === undefined)) {
        throw new UsageError('give exactly one of --events FILE (or -) and --capture FILE.scap; live capture is not built yet');
      }
      const ruleset = await loadOrExit(flags.rules ?? []);
      const { RuleEngine } = await import('../runtime/rule-engine.js');
      const { createCounters, formatCounters, runEvents } = await import('../runtime/run-events.js');
      const { formatAlertJson, formatAlertText } = await import('../runtime/alerts/alert.js');
      const engine = new RuleEngine(ruleset.rules, await engineOptions(flags));
      const counters = createCounters();
      let events: AsyncIterable<import('../runtime/fields/field-types.js').RuntimeEvent>;
      if (flags.capture !== undefined) {
        const { readCaptureEvents } = await import('../runtime/events/sysdig-events.js');
        events = readCaptureEvents(flags.capture);
      } else {
        const { readJsonEvents } = await import('../runtime/events/json-events.js');
        const input = flags.events === '-' ? process.stdin : createReadStream(flags.events as string);
        events = readJsonEvents(input, {
          defaultSource: flags.eventSource,
          onMalformed: ({ line, message }) => {
            counters.malformed++;
            // Only the first few malformed lines are shown; the summary counts all of them.
            if (counters.malformed <= 10) process.stderr.write(`WARN ${flags.events}:${line}: skipped event: ${message}\n`);
          },
        });
      }
      const printCounters = (): void => {
        process.stderr.write(formatCounters(counters));
      };
      process.on('SIGUSR1', printCounters);
      const host = hostname();
      try {
        await runEvents(events, engine, counters, {
          hostname: host,
          onAlert: (alert) => process.stdout.write(`${flags.format === 'json' ? formatAlertJson(alert) : formatAlertText(alert)}\n`),
        });
      } finally {
        process.off('SIGUSR1', printCounters);
        printCounters();
      }
      setExitCode(0);
    });
}
