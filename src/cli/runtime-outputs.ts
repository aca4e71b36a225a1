import type { Alert } from '../runtime/alerts/alert.js';
import type { AlertOutput } from '../runtime/alerts/alert-outputs.js';
import type { AlertOutputName, AlertRoute, AlertRouter } from '../runtime/alerts/alert-routes.js';
import { UsageError } from '../errors.js';
import { createRepeatLog, logRuntime } from './runtime-log.js';

/** The output flags of `bulwark runtime`. */
export interface RuntimeOutputFlags {
  format: 'text' | 'json';
  outputFile?: string;
  outputHttp?: string;
  outputProgram?: string;
  /** `--route SELECTOR=OUTPUT` values, in the order given. */
  route?: string[];
}

/** The alert outputs of one run, with routing applied. */
export interface RuntimeOutputs {
  send(alert: Alert): void;
  /** Flushes and closes every output, then logs drops and alerts that no output received. */
  close(): Promise<void>;
}

/** Output errors logged per output before the rest are only counted. */
const MAX_LOGGED_OUTPUT_ERRORS = 10;

const OUTPUT_FLAGS: Record<AlertOutputName, string> = { stdout: 'stdout', file: '--output-file', http: '--output-http', program: '--output-program' };

/**
 * Parses and checks the `--route` values, before any input starts, and returns the function that
 * opens the configured outputs. Throws a UsageError for a route that cannot be parsed or that
 * names an output whose flag is not given.
 */
export async function planRuntimeOutputs(flags: RuntimeOutputFlags): Promise<() => RuntimeOutputs> {
  const { AlertRouter, parseAlertRoute } = await import('../runtime/alerts/alert-routes.js');
  const { formatAlertJson, formatAlertText } = await import('../runtime/alerts/alert.js');
  const { createFileOutput, createHttpOutput, createProgramOutput } = await import('../runtime/alerts/alert-outputs.js');

  const routes = (flags.route ?? []).map((text) => {
    try {
      return parseAlertRoute(text);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`--route: ${error.message}`, { cause: error });
    }
  });
  const configured: Record<AlertOutputName, boolean> = { stdout: true, file: flags.outputFile !== undefined, http: flags.outputHttp !== undefined, program: flags.outputProgram !== undefined };
  for (const route of routes) {
    if (!configured[route.output]) {
      throw new UsageError(`--route '${route.selector}=${route.output}' names the ${route.output} output, but ${OUTPUT_FLAGS[route.output]} is not given`);
    }
  }
  const router = new AlertRouter(routes);
  return () => openOutputs(flags, routes, router, { formatAlertJson, formatAlertText, createFileOutput, createHttpOutput, createProgramOutput });
}

interface OutputModules {
  formatAlertJson: (alert: Alert) => string;
  formatAlertText: (alert: Alert) => string;
  createFileOutput: typeof import('../runtime/alerts/alert-outputs.js').createFileOutput;
  createHttpOutput: typeof import('../runtime/alerts/alert-outputs.js').createHttpOutput;
  createProgramOutput: typeof import('../runtime/alerts/alert-outputs.js').createProgramOutput;
}

function openOutputs(flags: RuntimeOutputFlags, routes: readonly AlertRoute[], router: AlertRouter, modules: OutputModules): RuntimeOutputs {
  const { formatAlertJson, formatAlertText, createFileOutput, createHttpOutput, createProgramOutput } = modules;

  const outputs: { name: AlertOutputName; output: AlertOutput; json: boolean; errors: ReturnType<typeof createRepeatLog> }[] = [];
  const open = (name: AlertOutputName, json: boolean, create: (onError: (error: Error) => void) => AlertOutput): void => {
    const errors = createRepeatLog('ERROR', MAX_LOGGED_OUTPUT_ERRORS);
    const output = create((error) => errors.log(`alert output ${name} failed: ${error.message}`));
    outputs.push({ name, output, json, errors });
    logRuntime('INFO', `opened alert output ${output.name}`);
  };
  const asJson = flags.format === 'json';
  if (flags.outputFile !== undefined) open('file', asJson, (onError) => createFileOutput(flags.outputFile as string, { onError }));
  if (flags.outputProgram !== undefined) open('program', asJson, (onError) => createProgramOutput(flags.outputProgram as string, { onError }));
  if (flags.outputHttp !== undefined) open('http', true, (onError) => createHttpOutput(flags.outputHttp as string, { onError }));
  for (const route of routes) logRuntime('INFO', `routing alerts that match ${route.selector} to ${route.output}`);

  let unrouted = 0;
  return {
    send(alert) {
      let received = false;
      const text = formatAlertText(alert);
      const json = formatAlertJson(alert);
      if (router.selects('stdout', alert)) {
        process.stdout.write(`${asJson ? json : text}\n`);
        received = true;
      }
      for (const { name, output, json: sendJson } of outputs) {
        if (!router.selects(name, alert)) continue;
        output.send(sendJson ? json : text);
        received = true;
      }
      if (!received) unrouted++;
    },
    async close() {
      for (const { output, errors } of outputs) {
        await output.close();
        if (output.dropped() > 0) logRuntime('WARN', `${output.dropped()} alerts dropped by output ${output.name}`);
        if (errors.suppressed() > 0) logRuntime('WARN', `${errors.suppressed()} further errors of output ${output.name} were not logged`);
        logRuntime('INFO', `closed alert output ${output.name}`);
      }
      if (unrouted > 0) logRuntime('INFO', `${unrouted} alerts matched no --route of any output, so no output received them`);
    },
  };
}
