import { Command, CommanderError, Option } from 'commander';

import { BulwarkError } from '../errors.js';
import { USAGE_OR_SCAN_FAILURE_EXIT_CODE } from '../report/exit-code.js';
import { addConfigCommands } from './config-commands.js';
import { addDbCommands } from './db-commands.js';
import { ExitError } from './exit-error.js';
import { addNetpolCommands } from './netpol-commands.js';
import { addRuntimeCommands } from './runtime-commands.js';
import { addSbomCommands } from './sbom-commands.js';
import { addScanCommands } from './scan-commands.js';
import { BULWARK_VERSION } from './version.js';


/** Builds the command tree. Actions run the library and resolve with an exit code. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('bulwark')
    .description('Container security toolkit: vulnerable packages in images, root filesystems and projects; Dockerfile and Kubernetes checks; SBOMs; Falco-compatible rules')
    .version(BULWARK_VERSION)
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  addScanCommands(program, setExitCode);
  addConfigCommands(program, setExitCode);
  addNetpolCommands(program, setExitCode);
  addSbomCommands(program, setExitCode);
  addRuntimeCommands(program, setExitCode);
  addDbCommands(program, setExitCode);
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 on success, the `--exit-code` value when
 * findings remain, 2 for a usage error or a failed scan. This is the only place that maps errors
 * to exit codes; commands throw typed errors and never call `process.exit`.
 */
export async function main(argv: string[]): Promise<number> {
  // A reader that closes early (`| head`) is not an error of the scan: stop writing and exit.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with code 0; commander already printed its own message.
      return error.exitCode === 0 ? 0 : USAGE_OR_SCAN_FAILURE_EXIT_CODE;
    }
    if (error instanceof ExitError) return error.exitCode;
    const debug = argv.includes('--debug');
    if (error instanceof BulwarkError) {
      process.stderr.write(`ERROR ${error.message}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      // Requests of a timed-out scan may still hold sockets open, which would keep the process alive.
      if (error.code === 'TIMEOUT') process.exit(USAGE_OR_SCAN_FAILURE_EXIT_CODE);
      return USAGE_OR_SCAN_FAILURE_EXIT_CODE;
    }
    process.stderr.write(`ERROR internal error, please report it with the command you ran: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return USAGE_OR_SCAN_FAILURE_EXIT_CODE;
  }
}
