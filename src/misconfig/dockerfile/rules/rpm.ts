import type { ShellCommand } from '../shell-words.js';
import { hadolintRule, hasFlag, type DockerfileRule } from '../rule.js';
import { commandRule, installedPackages, mountsCacheAt } from './command-rule.js';

const RPM_VALUE_FLAGS = ['--enablerepo', '--disablerepo', '--setopt', '-c', '--config', '--installroot', '--releasever'];

function managerInstall(command: ShellCommand, names: string[]): string[] | undefined {
  if (!names.includes(command.name)) return undefined;
  return installedPackages(command, { verbs: ['install', 'in', 'groupinstall', 'localinstall'], valueFlags: RPM_VALUE_FLAGS });
}

/** Yum and dnf name a version as `name-version`; a module stream as `name:stream`. */
function isPinnedRpm(name: string): boolean {
  return /-\d/.test(name) || name.includes(':') || name.endsWith('.rpm') || name.includes('$') || name.startsWith('/') || name.startsWith('@');
}

function family(options: { manager: string; names: string[]; codes: { yes: string; clean: string; pin: string; update: string }; yesFlags: string[]; cleanTest: (command: ShellCommand) => boolean; cacheDir: string; cleanCommand: string; pinExample: string; image: string }): DockerfileRule[] {
  const { manager } = options;
  const yes = commandRule(hadolintRule({
    code: options.codes.yes, severity: 'MEDIUM', title: `${manager} install without a non-interactive switch`,
    description: `Without \`${options.yesFlags[0]}\`, ${manager} waits for a confirmation that never comes in a build, and the build fails.`,
    resolution: `Add \`${options.yesFlags[0]}\`.`,
    examples: { bad: `FROM ${options.image}\nRUN ${manager} install httpd`, good: `FROM ${options.image}\nRUN ${manager} install ${options.yesFlags[0]} httpd` },
  }), (command) => {
    if (managerInstall(command, options.names) === undefined) return undefined;
    return hasFlag(command, ...options.yesFlags) ? undefined : `${command.name} install without ${options.yesFlags[0]}`;
  });

  const clean = commandRule(hadolintRule({
    code: options.codes.clean, severity: 'MEDIUM', title: `${manager} cache not cleaned`,
    description: `${manager} keeps downloaded packages and metadata in ${options.cacheDir}; left in the layer they only add size.`,
    resolution: `End the same RUN with \`${options.cleanCommand}\`, or mount a cache at ${options.cacheDir}.`,
    examples: { bad: `FROM ${options.image}\nRUN ${manager} install -y httpd`, good: `FROM ${options.image}\nRUN ${manager} install -y httpd && ${options.cleanCommand}` },
  }), (command, run) => {
    if (managerInstall(command, options.names) === undefined) return undefined;
    const cleans = run.commands.some((other) => options.cleanTest(other) || (other.name === 'rm' && other.args.some((arg) => arg.startsWith(options.cacheDir))));
    return cleans || mountsCacheAt(run.instruction, options.cacheDir) ? undefined : `${command.name} install without ${options.cleanCommand} in the same RUN`;
  });

  const pin = commandRule(hadolintRule({
    code: options.codes.pin, severity: 'MEDIUM', title: `${manager} install without pinned versions`,
    description: 'Unpinned packages install whatever the repository has on build day, so builds are not reproducible.',
    resolution: `Pin each package: \`${options.pinExample}\`.`,
    examples: { bad: `FROM ${options.image}\nRUN ${manager} install -y httpd`, good: `FROM ${options.image}\nRUN ${options.pinExample}` },
  }), (command) => {
    const unpinned = (managerInstall(command, options.names) ?? []).filter((name) => !(manager === 'zypper' ? /[=<>]/.test(name) || name.endsWith('.rpm') || name.includes('$') : isPinnedRpm(name)));
    return unpinned.length > 0 ? `${command.name} install of ${unpinned.join(', ')} without a version` : undefined;
  });

  const updateVerb = manager === 'zypper' ? ['dist-upgrade', 'dup'] : ['update', 'upgrade'];
  const update = commandRule(hadolintRule({
    code: options.codes.update, severity: manager === 'zypper' ? 'MEDIUM' : 'LOW', title: manager === 'zypper' ? 'zypper dist-upgrade' : `${manager} update`,
    description: manager === 'zypper'
      ? 'A distribution upgrade inside an image can move the image to another release than its base image states.'
      : `Upgrading inside the image hides which base image the packages came from. hadolint has retired this rule, so it is off unless enabled in \`dockerfile.enable\`.`,
    resolution: 'Rebuild on a newer base image instead.',
    examples: { bad: `FROM ${options.image}\nRUN ${manager} ${updateVerb[0]} -y`, good: 'FROM ${options.image}\nRUN echo rebuilt on a newer base' },
  }), (command) => (options.names.includes(command.name) && command.args.some((arg) => updateVerb.includes(arg)) ? `${command.name} ${updateVerb[0]} in the image` : undefined), manager === 'zypper' ? {} : { enabledByDefault: false });

  return [yes, clean, pin, update];
}

export const rpmRules: DockerfileRule[] = [
  ...family({ manager: 'yum', names: ['yum'], codes: { yes: 'DL3030', update: 'DL3031', clean: 'DL3032', pin: 'DL3033' }, yesFlags: ['-y', '--assumeyes'], cleanTest: (c) => c.name === 'yum' && c.args.includes('clean') && c.args.includes('all'), cacheDir: '/var/cache/yum', cleanCommand: 'yum clean all', pinExample: 'yum install -y httpd-2.4.62', image: 'rockylinux:9' }),
  ...family({ manager: 'zypper', names: ['zypper'], codes: { yes: 'DL3034', update: 'DL3035', clean: 'DL3036', pin: 'DL3037' }, yesFlags: ['-n', '--non-interactive', '-y', '--no-confirm'], cleanTest: (c) => c.name === 'zypper' && (c.args.includes('clean') || c.args.includes('cc')), cacheDir: '/var/cache/zypp', cleanCommand: 'zypper clean', pinExample: 'zypper install -y httpd=2.4.62', image: 'opensuse/leap:15.6' }),
  ...family({ manager: 'dnf', names: ['dnf', 'microdnf'], codes: { yes: 'DL3038', update: 'DL3039', clean: 'DL3040', pin: 'DL3041' }, yesFlags: ['-y', '--assumeyes'], cleanTest: (c) => (c.name === 'dnf' || c.name === 'microdnf') && c.args.includes('clean') && c.args.includes('all'), cacheDir: '/var/cache/dnf', cleanCommand: 'dnf clean all', pinExample: 'dnf install -y httpd-2.4.62', image: 'fedora:41' }),
];
