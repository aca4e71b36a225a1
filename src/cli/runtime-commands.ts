import { open, type FileHandle } from 'node:fs/promises';
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
  k8sAuditListen?: string;
  live?: boolean;
  k8sAuditCert?: string;
  k8sAuditKey?: string;
  k8sAuditClientCa?: string;
  outputFile?: string;
  outputHttp?: string;
  outputProgram?: string;
  route?: string[];
  appendOutput?: string[];
  appendField?: string[];
  repeatRate?: string;
  repeatBurst: string;
  eventSource: string;
}

/** Reports the first malformed inputs on stderr; the exit summary counts all of them. */
const MAX_REPORTED_MALFORMED = 10;

/** TLS errors of the audit webhook logged before the rest are only counted, against log floods. */
const MAX_LOGGED_TLS_ERRORS = 10;

/** Exit code of `rules validate` and `rules test` when rules are invalid or a case fails, as `falco -V` does. */
const FINDINGS_EXIT_CODE = 1;
/** Exit code when the rules cannot be loaded, so nothing starts. */
const LOAD_FAILURE_EXIT_CODE = 2;

const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
const ruleMatchingOption = (): Option =>
  new Option('--rule-matching <mode>', 'first: only the first matching rule per event alerts, as Falco does by default; all: every matching rule').choices(['first', 'all']).default('first');

/** Splits a `[SOURCE:]VALUE` flag value: a leading `syscall:` or `k8s_audit:` picks the source, else `syscall`. */
function splitSource(value: string): { source: string; rest: string } {
  const match = /^(syscall|k8s_audit):(.*)$/s.exec(value);
  return match === null ? { source: 'syscall', rest: value } : { source: match[1] as string, rest: match[2] as string };
}

/** Builds Falco-style `append_output` entries from `--append-output` and `--append-field`; throws a UsageError for a bad one. */
async function appendOutputOf(flags: RuntimeFlags): Promise<import('../runtime/rules/rule-types.js').AppendOutput[]> {
  const { checkAppendOutput } = await import('../runtime/rules/load-rules.js');
  const appends: import('../runtime/rules/rule-types.js').AppendOutput[] = [];
  for (const [flag, values] of [['--append-output', flags.appendOutput], ['--append-field', flags.appendField]] as const) {
    for (const value of values ?? []) {
      const { source, rest } = splitSource(value);
      const append = flag === '--append-output' ? { source, extraOutput: rest } : { source, extraFields: [rest.replace(/^%/, '')] };
      const problem = checkAppendOutput(append);
      if (problem !== undefined) throw new UsageError(`invalid ${flag} '${value}': ${problem}`);
      appends.push(append);
    }
  }
  return appends;
}

/** Loads rule files; prints the diagnostics to stderr and ends with exit 2 when any is an error. */
async function loadOrExit(files: readonly string[], options: import('../runtime/rules/load-rules.js').LoadRulesOptions = {}) {
  const { loadRuleFiles, isUsable } = await import('../runtime/rules/load-rules.js');
  const { formatDiagnostic } = await import('../runtime/rules/format-diagnostics.js');
  const ruleset = await loadRuleFiles(files, options);
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

/** Opens a file that a flag names for reading, or throws a UsageError that names the flag and the reason. */
async function openInputFile(path: string, flag: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${path}: ${(error as Error).message}`, { cause: error });
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new UsageError(`cannot read ${flag} ${path}: it is a directory; give a file`);
  }
  return handle;
}

/** Reads a whole file that a flag names, or throws a UsageError that names the flag and the reason. */
async function readInputFile(path: string, flag: string): Promise<Buffer> {
  const handle = await openInputFile(path, flag);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Opens the --output-file for appending and closes it again, so that a path that cannot be written stops the run before any input starts. */
async function checkOutputFile(path: string): Promise<void> {
  try {
    await (await open(path, 'a')).close();
  } catch (error) {
    throw new UsageError(`cannot write --output-file ${path}: ${(error as Error).message}`, { cause: error });
  }
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
      const casesText = (await readInputFile(flags.cases, '--cases')).toString('utf8');
      let cases;
      try {
        cases = parseRuleCases(flags.cases, casesText);
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
    .description('raise Falco-compatible alerts from live syscalls (bpftrace, as root), recorded events (JSON lines, Kubernetes audit logs, sysdig captures) or an audit webhook')
    .requiredOption('-r, --rules <file...>', 'rule files, loaded in order')
    .option('-e, --events <file>', "JSON lines keyed by Falco field names, or audit.k8s.io Events/EventLists; '-' reads stdin")
    .option('--capture <file>', 'sysdig or Falco capture (.scap), read with the sysdig binary')
    .option('--live', 'capture system calls live with bpftrace (needs root); the default when no --events, --capture or --k8s-audit-listen is given')
    .option('--k8s-audit-listen <host:port>', "serve HTTPS for the API server's audit webhook backend at /k8s-audit until SIGINT or SIGTERM")
    .option('--k8s-audit-cert <file>', 'PEM certificate chain of the audit webhook server')
    .option('--k8s-audit-key <file>', 'PEM private key of the audit webhook server')
    .option('--k8s-audit-client-ca <file>', 'PEM CA certificates; the audit webhook then requires a client certificate signed by one of them (mutual TLS)')
    .option('--output-file <file>', 'also append alerts to this file, in the --format layout')
    .option('--output-http <url>', 'also POST each alert as JSON to this URL, with 3 attempts per alert')
    .option('--output-program <command>', "also write alerts to this shell command's stdin, in the --format layout")
    .option(
      '--route <selector=output>',
      'send alerts that match SELECTOR (priority>=LEVEL, priority=LEVEL, rule=GLOB, tag=TAG, source=SOURCE) to OUTPUT (stdout, file, http, program); an output named by routes gets only the alerts they match, others get all; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--append-output <[source:]text>',
      'append this text with %fields to the output of every rule of the source (syscall unless prefixed k8s_audit:), as Falco\'s append_output; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--append-field <[source:]field>',
      'add this field to output_fields of JSON alerts of every rule of the source, as extra_fields of Falco\'s append_output; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--repeat-rate <alerts-per-second>', 'hold back repeats of the same alert (rule and output) beyond this rate, by event time')
    .option('--repeat-burst <count>', 'repeats of the same alert that pass at once before --repeat-rate applies', '1')
    .option('--event-source <source>', 'source of flat JSON events that carry no evt.source field', 'syscall')
    .option('--min-priority <priority>', 'skip rules less severe than this priority')
    .addOption(ruleMatchingOption())
    .addOption(formatOption())
    .action(async (flags: RuntimeFlags) => {
      const inputs = [flags.events, flags.capture, flags.k8sAuditListen].filter((input) => input !== undefined);
      if (inputs.length > 1 || (flags.live === true && inputs.length > 0)) {
        throw new UsageError('give at most one of --events FILE (or -), --capture FILE.scap, --k8s-audit-listen HOST:PORT and --live; with none, bulwark captures live');
      }
      if (flags.k8sAuditListen !== undefined && (flags.k8sAuditCert === undefined || flags.k8sAuditKey === undefined)) {
        throw new UsageError('--k8s-audit-listen needs --k8s-audit-cert FILE and --k8s-audit-key FILE (PEM)');
      }
      if (flags.k8sAuditClientCa !== undefined && flags.k8sAuditListen === undefined) {
        throw new UsageError('--k8s-audit-client-ca applies only to the audit webhook; add --k8s-audit-listen HOST:PORT');
      }
      const { planRuntimeOutputs } = await import('./runtime-outputs.js');
      const { createRepeatLog, logRuntime } = await import('./runtime-log.js');
      const openOutputs = await planRuntimeOutputs(flags);
      let repeatLimiter: import('../runtime/alerts/repeat-limiter.js').RepeatLimiter | undefined;
      if (flags.repeatRate !== undefined) {
        const perSecond = Number(flags.repeatRate);
        const burst = Number(flags.repeatBurst);
        if (!(perSecond > 0) || !Number.isInteger(burst) || burst < 1) {
          throw new UsageError(`invalid --repeat-rate '${flags.repeatRate}' or --repeat-burst '${flags.repeatBurst}': use a positive rate and a whole burst of 1 or more`);
        }
        const { RepeatLimiter } = await import('../runtime/alerts/repeat-limiter.js');
        repeatLimiter = new RepeatLimiter({ perSecond, burst });
      }
      const ruleset = await loadOrExit(flags.rules ?? [], { appendOutput: await appendOutputOf(flags) });
      if (flags.outputFile !== undefined) await checkOutputFile(flags.outputFile);
      const eventsFile = flags.events === undefined || flags.events === '-' ? undefined : await openInputFile(flags.events, '--events');
      const { RuleEngine } = await import('../runtime/rule-engine.js');
      const { createCounters, formatCounters, runEvents } = await import('../runtime/run-events.js');
      const engine = new RuleEngine(ruleset.rules, await engineOptions(flags));
      const counters = createCounters();
      const reportMalformed = (where: string, message: string): void => {
        counters.malformed++;
        if (counters.malformed <= MAX_REPORTED_MALFORMED) process.stderr.write(`WARN ${where}: skipped event: ${message}\n`);
      };
      let events: AsyncIterable<import('../runtime/fields/field-types.js').RuntimeEvent>;
      let stop: (() => Promise<void>) | undefined;
      let liveInput: import('./runtime-live.js').LiveInput | undefined;
      if (inputs.length === 0) {
        const { startLiveInput } = await import('./runtime-live.js');
        liveInput = await startLiveInput(ruleset.rules, flags.format);
        stop = liveInput.stop;
        events = liveInput.events;
      } else if (flags.k8sAuditListen !== undefined) {
        const { EventQueue } = await import('../runtime/events/event-queue.js');
        const { startAuditWebhook, DEFAULT_AUDIT_PATH } = await import('../runtime/events/k8s-audit-webhook.js');
        const queue = new EventQueue();
        const webhook = await startAuditWebhook({
          listen: flags.k8sAuditListen,
          cert: await readInputFile(flags.k8sAuditCert as string, '--k8s-audit-cert'),
          key: await readInputFile(flags.k8sAuditKey as string, '--k8s-audit-key'),
          onEvent: (event) => queue.push(event),
          onMalformed: (message) => reportMalformed('audit webhook request', message),
          ...(flags.k8sAuditClientCa === undefined ? {} : { clientCa: await readInputFile(flags.k8sAuditClientCa, '--k8s-audit-client-ca') }),
          onTlsError: createRepeatLog('WARN', MAX_LOGGED_TLS_ERRORS).log,
        });
        const { host, port } = webhook.address;
        const urlHost = host.includes(':') ? `[${host}]` : host;
        const clientCheck = flags.k8sAuditClientCa === undefined ? '' : `, requiring client certificates signed by a CA in ${flags.k8sAuditClientCa}`;
        logRuntime('INFO', `listening for Kubernetes audit events on https://${urlHost}:${port}${DEFAULT_AUDIT_PATH}${clientCheck}`);
        stop = async () => {
          await webhook.close();
          queue.close();
          logRuntime('INFO', 'stopped the audit webhook');
        };
        events = queue;
      } else if (flags.capture !== undefined) {
        const { readCaptureEvents } = await import('../runtime/events/sysdig-events.js');
        events = readCaptureEvents(flags.capture);
      } else {
        const { readJsonEvents } = await import('../runtime/events/json-events.js');
        const input = eventsFile === undefined ? process.stdin : eventsFile.createReadStream();
        // SIGINT and SIGTERM end the input as its end would, so queued alerts are sent and the counters printed.
        const endOfInput = new AbortController();
        stop = async () => {
          endOfInput.abort();
          input.destroy();
        };
        events = readJsonEvents(input, {
          signal: endOfInput.signal,
          defaultSource: flags.eventSource,
          onMalformed: ({ line, message }) => reportMalformed(`${flags.events}:${line}`, message),
        });
      }
      const printCounters = (): void => {
        process.stderr.write(liveInput === undefined ? formatCounters(counters) : liveInput.summary(counters));
      };
      process.on('SIGUSR1', printCounters);
      const onSignal = (): void => {
        void stop?.();
      };
      if (stop !== undefined) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }
      const host = hostname();
      const outputs = openOutputs();
      logRuntime('INFO', `started with ${ruleset.rules.length} rules from ${(flags.rules ?? []).join(', ')}`);
      try {
        await runEvents(events, engine, counters, {
          hostname: host,
          ...(repeatLimiter === undefined ? {} : { repeatLimiter }),
          onAlert: (alert) => outputs.send(alert),
        });
      } finally {
        await outputs.close();
        logRuntime('INFO', `stopped after ${counters.events} events and ${counters.alerts} alerts`);
        process.off('SIGUSR1', printCounters);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        printCounters();
      }
      setExitCode(0);
    });
}
