import type { RuleMetadata } from '../../../model/misconfiguration.js';
import type { Instruction } from '../model.js';
import { runCommands, runInstructions, type DockerfileRule } from '../rule.js';
import type { ShellCommand } from '../shell-words.js';

/**
 * Builds a rule that looks at each simple command of every RUN: `test` returns the finding message
 * for a bad command, or undefined.
 */
export function commandRule(meta: RuleMetadata, test: (command: ShellCommand, run: { instruction: Instruction; commands: ShellCommand[] }) => string | undefined, options: { enabledByDefault?: boolean } = {}): DockerfileRule {
  const rule: DockerfileRule = {
    meta,
    check(context) {
      for (const instruction of runInstructions(context.file)) {
        const commands = runCommands(context.file, instruction);
        for (const command of commands) {
          const message = test(command, { instruction, commands });
          if (message !== undefined) context.report(instruction, message);
        }
      }
    },
  };
  if (options.enabledByDefault === false) rule.enabledByDefault = false;
  return rule;
}

/** Returns the package arguments of an install subcommand: words after `verb` that are not flags. */
export function installedPackages(command: ShellCommand, options: { verbs: string[]; valueFlags?: string[] }): string[] | undefined {
  const verbIndex = command.args.findIndex((arg) => options.verbs.includes(arg));
  if (verbIndex === -1) return undefined;
  const packages: string[] = [];
  const args = command.args.slice(verbIndex + 1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('-')) {
      if (options.valueFlags?.includes(arg)) i++;
      continue;
    }
    packages.push(arg);
  }
  return packages;
}

/** True when the RUN also runs a command matching the test (a cleanup in the same layer). */
export function sameRunHas(commands: ShellCommand[], test: (command: ShellCommand) => boolean): boolean {
  return commands.some(test);
}

/** True when the RUN mounts a cache or tmpfs at a path under the prefix, so nothing there lands in the layer. */
export function mountsCacheAt(instruction: Instruction, prefix: string): boolean {
  return (instruction.flags.get('mount') ?? []).some((mount) => /type=(cache|tmpfs)/.test(mount) && new RegExp(`(target|dst|destination)=${prefix}`).test(mount));
}
