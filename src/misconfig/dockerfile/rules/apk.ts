import { hadolintRule, hasFlag, type DockerfileRule } from '../rule.js';
import { commandRule, installedPackages } from './command-rule.js';

const pin = commandRule(hadolintRule({
  code: 'DL3018', severity: 'MEDIUM', title: 'apk add without pinned versions',
  description: 'Unpinned packages install whatever the Alpine mirror has on build day, so builds are not reproducible.',
  resolution: 'Pin each package: `apk add curl=8.9.1-r1`.',
  examples: { bad: 'FROM alpine:3.20\nRUN apk add --no-cache curl', good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1' },
}), (command) => {
  if (command.name !== 'apk') return undefined;
  const packages = installedPackages(command, { verbs: ['add'], valueFlags: ['-t', '--virtual', '-X', '--repository', '--repositories-file', '-p', '--root'] }) ?? [];
  const unpinned = packages.filter((name) => !/[=<>~]/.test(name) && !name.endsWith('.apk') && !name.includes('$') && !name.startsWith('.'));
  return unpinned.length > 0 ? `apk add of ${unpinned.join(', ')} without a version` : undefined;
});

const noCache = commandRule(hadolintRule({
  code: 'DL3019', severity: 'LOW', title: 'apk add without --no-cache',
  description: 'Without `--no-cache`, apk keeps its index in /var/cache/apk, which only adds size to the layer.',
  resolution: 'Use `apk add --no-cache`, which also makes `apk update` unnecessary.',
  examples: { bad: 'FROM alpine:3.20\nRUN apk update && apk add curl', good: 'FROM alpine:3.20\nRUN apk add --no-cache curl' },
}), (command, run) => {
  if (command.name !== 'apk' || !command.args.includes('add')) return undefined;
  const cleans = run.commands.some((other) => (other.name === 'rm' && other.args.some((arg) => arg.startsWith('/var/cache/apk'))) || (other.name === 'apk' && other.args.includes('cache') && other.args.includes('clean')));
  const cacheMount = (run.instruction.flags.get('mount') ?? []).some((mount) => mount.includes('/var/cache/apk'));
  return hasFlag(command, '--no-cache') || cleans || cacheMount ? undefined : 'apk add without --no-cache';
});

const upgrade = commandRule(hadolintRule({
  code: 'DL3017', severity: 'LOW', title: 'apk upgrade',
  description: 'Upgrading inside the image hides which base image the packages came from. hadolint has retired this rule, so it is off unless enabled in `dockerfile.enable`.',
  resolution: 'Rebuild on a newer base image, or keep the upgrade deliberately.',
  examples: { bad: 'FROM alpine:3.20\nRUN apk upgrade', good: 'FROM alpine:3.20.3\nRUN apk add --no-cache curl=8.9.1-r1' },
}), (command) => (command.name === 'apk' && command.args.includes('upgrade') ? 'apk upgrade in the image' : undefined), { enabledByDefault: false });

export const apkRules: DockerfileRule[] = [pin, noCache, upgrade];
