import type { ShellCommand } from '../shell-words.js';
import { hadolintRule, hasFlag, runCommands, type DockerfileRule } from '../rule.js';
import { commandRule, installedPackages, mountsCacheAt } from './command-rule.js';
import { finalStage, stageChain } from './stages.js';

const APT_VALUE_FLAGS = ['-o', '-t', '--target-release', '-c', '--config-file'];

function aptInstall(command: ShellCommand): string[] | undefined {
  return command.name === 'apt-get' ? installedPackages(command, { verbs: ['install'], valueFlags: APT_VALUE_FLAGS }) : undefined;
}

const pin = commandRule(hadolintRule({
  code: 'DL3008', severity: 'MEDIUM', title: 'apt-get install without pinned versions',
  description: 'Unpinned packages install whatever the mirror has on build day, so two builds of one Dockerfile differ and a bad update arrives unreviewed.',
  resolution: 'Pin each package: `apt-get install -y curl=7.88.1-10+deb12u8`.',
  examples: { bad: 'FROM debian:12\nRUN apt-get install -y curl', good: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u8' },
}), (command) => {
  const unpinned = (aptInstall(command) ?? []).filter((name) => !name.includes('=') && !name.endsWith('.deb') && !name.includes('$') && !name.startsWith('/'));
  return unpinned.length > 0 ? `apt-get install of ${unpinned.join(', ')} without a version` : undefined;
});

const listsKept: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3009', severity: 'LOW', title: 'apt lists not deleted',
    description: 'The package lists in /var/lib/apt/lists take tens of megabytes and go stale; left in the layer they only add size.',
    resolution: 'End the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount a cache at /var/lib/apt/lists.',
    examples: { bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*' },
  }),
  check(context) {
    const stage = finalStage(context.file);
    if (stage === undefined) return;
    // Only layers that end up in the image matter: the final stage and the stages it builds on.
    for (const instruction of stageChain(context.file, stage).flatMap((member) => member.instructions)) {
      if (instruction.keyword !== 'RUN' || mountsCacheAt(instruction, '/var/lib/apt')) continue;
      const commands = runCommands(context.file, instruction);
      const updates = commands.some((command) => command.name === 'apt-get' && command.args.includes('update'));
      const cleans = commands.some((command) => command.name === 'rm' && command.args.some((arg) => arg.startsWith('/var/lib/apt/lists')));
      if (updates && !cleans) context.report(instruction, 'apt-get update without rm -rf /var/lib/apt/lists/* in the same RUN');
    }
  },
};

const assumeYes = commandRule(hadolintRule({
  code: 'DL3014', severity: 'MEDIUM', title: 'apt-get install without -y',
  description: 'Without `-y`, apt-get waits for a confirmation that never comes in a build, and the build fails.',
  resolution: 'Add `-y` (or `--yes`, `--assume-yes`, `-qq`).',
  examples: { bad: 'FROM debian:12\nRUN apt-get install curl', good: 'FROM debian:12\nRUN apt-get install -y curl' },
}), (command) => {
  if (aptInstall(command) === undefined) return undefined;
  const quietTwice = command.args.includes('-qq') || command.args.filter((arg) => arg === '-q').length >= 2 || command.args.includes('-q=2');
  return hasFlag(command, '-y', '--yes', '--assume-yes') || quietTwice ? undefined : 'apt-get install without -y';
});

const recommends = commandRule(hadolintRule({
  code: 'DL3015', severity: 'LOW', title: 'apt-get install without --no-install-recommends',
  description: 'Recommended packages are not needed to run the requested ones and often double the image size and its attack surface.',
  resolution: 'Add `--no-install-recommends`.',
  examples: { bad: 'FROM debian:12\nRUN apt-get install -y curl', good: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl' },
}), (command) => {
  if (aptInstall(command) === undefined) return undefined;
  const off = command.args.includes('--no-install-recommends') || command.args.some((arg) => /APT::Install-Recommends=(false|0)/i.test(arg));
  return off ? undefined : 'apt-get install without --no-install-recommends';
});

const aptNotApt = commandRule(hadolintRule({
  code: 'DL3027', severity: 'MEDIUM', title: 'apt used in a script',
  description: '`apt` is meant for people at a terminal; its output and options are not stable for scripts, and it warns so itself.',
  resolution: 'Use `apt-get` or `apt-cache`.',
  examples: { bad: 'FROM debian:12\nRUN apt install -y curl', good: 'FROM debian:12\nRUN apt-get install -y curl' },
}), (command) => (command.name === 'apt' ? `apt ${command.args[0] ?? ''} in a script; use apt-get` : undefined));

const upgrade = commandRule(hadolintRule({
  code: 'DL3005', severity: 'LOW', title: 'apt-get upgrade or dist-upgrade',
  description: 'Upgrading inside the image hides which base image the packages came from. hadolint has retired this rule, because upgrading is how images get fixes before the base is rebuilt, so it is off unless enabled in `dockerfile.enable`.',
  resolution: 'Rebuild on a newer base image, or keep the upgrade deliberately.',
  examples: { bad: 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y', good: 'FROM debian:12.8\nRUN apt-get update' },
}), (command) => (command.name === 'apt-get' && (command.args.includes('upgrade') || command.args.includes('dist-upgrade')) ? 'apt-get upgrade in the image' : undefined), { enabledByDefault: false });

export const aptRules: DockerfileRule[] = [pin, listsKept, assumeYes, recommends, aptNotApt, upgrade];
