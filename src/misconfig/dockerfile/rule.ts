import type { RuleMetadata } from '../../model/misconfiguration.js';
import type { Instruction, ParsedDockerfile } from './model.js';
import { runScript, runsInPosixShell } from './script.js';
import { parseShellCommands, type ShellCommand } from './shell-words.js';
import type { DockerfileSettings } from './settings.js';

/** A line range in the Dockerfile that a finding points at. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

export interface RuleContext {
  file: ParsedDockerfile;
  settings: DockerfileSettings;
  /** Records a finding of the running rule at an instruction or line range. */
  report(at: LineRange, message: string): void;
}

/** One Dockerfile check: its metadata and a pure function over the parsed file. */
export interface DockerfileRule {
  meta: RuleMetadata;
  /** False for rules that run only when the settings turn them on, like hadolint's "off" rules. */
  enabledByDefault?: boolean;
  check(context: RuleContext): void;
}

const commandCache = new WeakMap<Instruction, ShellCommand[]>();

/**
 * Returns the simple commands of a RUN instruction: its shell script split into commands, or its
 * exec-form array as one command. Other instructions and non-POSIX shells give none.
 */
export function runCommands(file: ParsedDockerfile, instruction: Instruction): ShellCommand[] {
  const cached = commandCache.get(instruction);
  if (cached !== undefined) return cached;

  let commands: ShellCommand[] = [];
  if (instruction.keyword === 'RUN') {
    if (instruction.json !== undefined) {
      const [first = '', ...args] = instruction.json;
      const name = first.slice(first.lastIndexOf('/') + 1);
      const script = ['sh', 'bash', 'dash', 'ash'].includes(name) && args[0] === '-c' ? args[1] : undefined;
      commands = script !== undefined ? parseShellCommands(script) : [{ name, args, wrappers: [], pipesIn: false, pipesOut: false }];
    } else if (runsInPosixShell(instruction)) {
      const script = runScript(file, instruction);
      if (script !== undefined) commands = parseShellCommands(script.map((line) => line.text).join('\n'));
    }
  }
  commandCache.set(instruction, commands);
  return commands;
}

/** Returns the RUN instructions, ONBUILD triggers included. */
export function runInstructions(file: ParsedDockerfile): Instruction[] {
  return file.instructions.filter((instruction) => instruction.keyword === 'RUN');
}

/** True when a command has one of the flags, as `-y`, `--yes`, or inside a short-flag group (`-qy`). */
export function hasFlag(command: ShellCommand, ...flags: string[]): boolean {
  return command.args.some((arg) => {
    if (flags.includes(arg) || flags.some((flag) => flag.startsWith('--') && arg.startsWith(`${flag}=`))) return true;
    if (/^-[A-Za-z]{2,}$/.test(arg)) return flags.some((flag) => /^-[A-Za-z]$/.test(flag) && arg.includes(flag.slice(1)));
    return false;
  });
}

/** Returns the words that are not flags, after the given subcommand words. */
export function positionalArgs(command: ShellCommand, options: { skipValueFlags?: string[] } = {}): string[] {
  const result: string[] = [];
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i] ?? '';
    if (arg.startsWith('-')) {
      if (options.skipValueFlags?.includes(arg)) i++;
      continue;
    }
    result.push(arg);
  }
  return result;
}

/** Builds a rule's metadata with hadolint's code as its alias. */
export function hadolintRule(rule: Omit<RuleMetadata, 'aliases' | 'id'> & { code: string }): RuleMetadata {
  const { code, ...rest } = rule;
  return { id: `BW-DF-${code.slice(2)}`, aliases: [code], helpUri: `https://github.com/hadolint/hadolint/wiki/${code}`, ...rest };
}
