import type { ShellCommand } from '../shell-words.js';
import { hadolintRule, hasFlag, type DockerfileRule } from '../rule.js';
import { commandRule, installedPackages, mountsCacheAt } from './command-rule.js';

function isPip(command: ShellCommand): boolean {
  return /^pip(3(\.\d+)?)?$/.test(command.name) || (/^python(3(\.\d+)?)?$/.test(command.name) && command.args[0] === '-m' && /^pip3?$/.test(command.args[1] ?? ''));
}

function pipPackages(command: ShellCommand): string[] | undefined {
  if (!isPip(command)) return undefined;
  return installedPackages(command, { verbs: ['install'], valueFlags: ['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root', '-f', '--find-links', '--trusted-host', '--platform', '--python-version'] });
}

const pipPin = commandRule(hadolintRule({
  code: 'DL3013', severity: 'MEDIUM', title: 'pip install without pinned versions',
  description: 'Unpinned packages install the newest release on build day, so builds are not reproducible and a hijacked release goes straight in.',
  resolution: 'Pin with `name==version`, or install from a requirements file with hashes.',
  examples: { bad: 'FROM python:3.12\nRUN pip install --no-cache-dir flask', good: 'FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3' },
}), (command) => {
  const unpinned = (pipPackages(command) ?? []).filter((name) => !/[=<>~!@]/.test(name) && !/\.(whl|tar\.gz|zip)$/.test(name) && !name.startsWith('.') && !name.startsWith('/') && !name.includes('$') && !name.includes('://') && name !== 'pip' && name !== 'setuptools' && name !== 'wheel');
  return unpinned.length > 0 ? `pip install of ${unpinned.join(', ')} without a version` : undefined;
});

const pipCache = commandRule(hadolintRule({
  code: 'DL3042', severity: 'MEDIUM', title: 'pip install without --no-cache-dir',
  description: 'pip keeps downloaded wheels in ~/.cache/pip, which only adds size to the layer.',
  resolution: 'Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache at /root/.cache/pip.',
  examples: { bad: 'FROM python:3.12\nRUN pip install flask==3.0.3', good: 'FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3' },
}), (command, run) => {
  if (pipPackages(command) === undefined) return undefined;
  if (hasFlag(command, '--no-cache-dir') || mountsCacheAt(run.instruction, '/root/.cache') || run.commands.some((other) => other.args.some((arg) => /PIP_NO_CACHE_DIR/.test(arg)))) return undefined;
  return /PIP_NO_CACHE_DIR/.test(run.instruction.text) ? undefined : 'pip install without --no-cache-dir';
});

function npmPackages(command: ShellCommand): string[] | undefined {
  if (command.name !== 'npm') return undefined;
  return installedPackages(command, { verbs: ['install', 'i', 'add'], valueFlags: ['--prefix', '--registry', '--tag'] });
}

const npmPin = commandRule(hadolintRule({
  code: 'DL3016', severity: 'MEDIUM', title: 'npm install of a package without a version',
  description: 'A package named without a version installs the newest release on build day.',
  resolution: 'Name a version: `npm install -g pm2@5.4.2`, or install from a lock file with `npm ci`.',
  examples: { bad: 'FROM node:22\nRUN npm install -g pm2', good: 'FROM node:22\nRUN npm install -g pm2@5.4.2' },
}), (command) => {
  const unpinned = (npmPackages(command) ?? []).filter((name) => {
    if (name.startsWith('.') || name.startsWith('/') || name.includes('$') || name.includes('://') || name.startsWith('git') || name.endsWith('.tgz')) return false;
    return !(name.startsWith('@') ? name.slice(1).includes('@') : name.includes('@'));
  });
  return unpinned.length > 0 ? `npm install of ${unpinned.join(', ')} without a version` : undefined;
});

const npmProduction = commandRule(hadolintRule({
  code: 'DL3062', severity: 'MEDIUM', title: 'npm install or ci with development dependencies',
  description: 'Development dependencies (test tools, bundlers) are not needed at run time and add size and vulnerabilities to the image.',
  resolution: 'Use `npm ci --omit=dev`, or install everything in a build stage and copy only the output.',
  examples: { bad: 'FROM node:22\nRUN npm ci', good: 'FROM node:22\nRUN npm ci --omit=dev' },
}), (command) => {
  if (command.name !== 'npm' || !['install', 'i', 'ci'].includes(command.args[0] ?? '')) return undefined;
  const production = command.args.some((arg) => arg === '--production' || arg === '--omit=dev' || arg === '--only=production' || arg === '--only=prod');
  return production ? undefined : `npm ${command.args[0]} without --omit=dev`;
});

const gemPin = commandRule(hadolintRule({
  code: 'DL3028', severity: 'MEDIUM', title: 'gem install without pinned versions',
  description: 'A gem named without a version installs the newest release on build day.',
  resolution: 'Pin with `gem install rails:7.2.1` or `-v 7.2.1`.',
  examples: { bad: 'FROM ruby:3.3\nRUN gem install rails', good: 'FROM ruby:3.3\nRUN gem install rails:7.2.1' },
}), (command) => {
  if (command.name !== 'gem' || command.args[0] !== 'install' || hasFlag(command, '-v', '--version')) return undefined;
  const unpinned = (installedPackages(command, { verbs: ['install'], valueFlags: ['--source', '-i', '--install-dir', '-n', '--bindir'] }) ?? []).filter((name) => !name.includes(':') && !name.includes('$') && !name.endsWith('.gem'));
  return unpinned.length > 0 ? `gem install of ${unpinned.join(', ')} without a version` : undefined;
});

const yarnCache = commandRule(hadolintRule({
  code: 'DL3060', severity: 'LOW', title: 'yarn install without yarn cache clean',
  description: 'Yarn keeps every downloaded package in its cache, which only adds size to the layer.',
  resolution: 'End the same RUN with `yarn cache clean`, or mount a cache at the yarn cache folder.',
  examples: { bad: 'FROM node:22\nRUN yarn install --frozen-lockfile', good: 'FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean' },
}), (command, run) => {
  if (command.name !== 'yarn' || !['install', undefined].includes(command.args[0]) && command.args[0] !== 'add') return undefined;
  const cleans = run.commands.some((other) => other.name === 'yarn' && other.args[0] === 'cache' && other.args[1] === 'clean');
  const cacheMount = (run.instruction.flags.get('mount') ?? []).some((mount) => /type=cache/.test(mount));
  return cleans || cacheMount ? undefined : 'yarn install without yarn cache clean in the same RUN';
});

export const languagePackageRules: DockerfileRule[] = [pipPin, pipCache, npmPin, npmProduction, gemPin, yarnCache];
