import { hadolintRule, hasFlag, runCommands, runInstructions, type DockerfileRule } from '../rule.js';
import { runsInPosixShell } from '../script.js';
import { commandRule } from './command-rule.js';

const POINTLESS_COMMANDS = new Set(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node', 'php']);

const pointless = commandRule(hadolintRule({
  code: 'DL3001', severity: 'LOW', title: 'Command that makes no sense in a build',
  description: 'Interactive and system-management tools such as ssh, vim, top or service do nothing useful during `docker build`.',
  resolution: 'Remove the command; manage the container from outside it.',
  examples: { bad: 'FROM debian:12\nRUN service nginx start', good: 'FROM debian:12\nCMD ["nginx", "-g", "daemon off;"]' },
}), (command) => (POINTLESS_COMMANDS.has(command.name) ? `${command.name} has no use in a build` : undefined));

const cdCommand = commandRule(hadolintRule({
  code: 'DL3003', severity: 'MEDIUM', title: 'cd instead of WORKDIR',
  description: '`cd` lasts only until the end of its RUN, so later instructions silently run elsewhere; WORKDIR states the directory for all of them.',
  resolution: 'Use `WORKDIR /path`.',
  examples: { bad: 'FROM debian:12\nRUN cd /app && make', good: 'FROM debian:12\nWORKDIR /app\nRUN make' },
}), (command) => (command.name === 'cd' ? `cd ${command.args[0] ?? ''} in RUN; use WORKDIR` : undefined));

const sudo = commandRule(hadolintRule({
  code: 'DL3004', severity: 'HIGH', title: 'sudo in RUN',
  description: 'sudo needs a TTY and a sudoers entry, behaves differently across images, and leaves a privilege-escalation path in the image.',
  resolution: 'Run the step as root with `USER root` before it and `USER app` after, or use gosu in an entrypoint.',
  examples: { bad: 'FROM debian:12\nUSER app\nRUN sudo apt-get update', good: 'FROM debian:12\nUSER root\nRUN apt-get update\nUSER app' },
}), (command) => (command.name === 'sudo' || command.wrappers.includes('sudo') ? `sudo runs ${command.name === 'sudo' ? 'a command' : command.name}` : undefined));

const wgetAndCurl: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL4001', severity: 'MEDIUM', title: 'Both wget and curl used',
    description: 'Two download tools where one would do means two packages to install, patch and keep in the image.',
    resolution: 'Pick one of wget or curl for the whole Dockerfile.',
    examples: { bad: 'FROM debian:12\nRUN wget -q https://a/x\nRUN curl -fsSLO https://a/y', good: 'FROM debian:12\nRUN curl -fsSLO https://a/x\nRUN curl -fsSLO https://a/y' },
  }),
  check(context) {
    const runs = runInstructions(context.file);
    const users = (name: string) => runs.filter((instruction) => runCommands(context.file, instruction).some((command) => command.name === name));
    const wget = users('wget');
    const curl = users('curl');
    if (wget.length === 0 || curl.length === 0) return;
    for (const instruction of [...wget, ...curl]) context.report(instruction, 'wget and curl are both used in this Dockerfile');
  },
};

const linkShell = commandRule(hadolintRule({
  code: 'DL4005', severity: 'MEDIUM', title: 'Default shell changed with ln',
  description: 'Relinking /bin/sh changes the shell for everything in the image, including package scripts; SHELL changes it only for the Dockerfile.',
  resolution: 'Use `SHELL ["/bin/bash", "-c"]`.',
  examples: { bad: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh', good: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]' },
}), (command) => (command.name === 'ln' && command.args.at(-1) === '/bin/sh' ? 'ln replaces /bin/sh' : undefined));

const pipefail: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL4006', severity: 'MEDIUM', title: 'Pipe without pipefail',
    description: 'A pipeline\'s status is its last command\'s, so `curl … | tar x` succeeds even when the download fails, and the build goes on with a broken layer.',
    resolution: 'Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN, or start the script with `set -o pipefail` in a shell that has it.',
    examples: { bad: 'FROM debian:12\nRUN curl -fsSL https://a/x.tgz | tar -xz', good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://a/x.tgz | tar -xz' },
  }),
  check(context) {
    for (const instruction of runInstructions(context.file)) {
      if (instruction.json !== undefined || !runsInPosixShell(instruction)) continue;
      if (instruction.shell.some((arg, index) => arg === 'pipefail' && instruction.shell[index - 1] === '-o')) continue;
      const commands = runCommands(context.file, instruction);
      if (!commands.some((command) => command.pipesOut)) continue;
      const setsPipefail = commands.some((command) => command.name === 'set' && command.args.some((arg, index) => arg === 'pipefail' && /^-[a-z]*o$/.test(command.args[index - 1] ?? '')));
      if (!setsPipefail) context.report(instruction, 'RUN has a pipe but pipefail is not set');
    }
  },
};

const useraddLog = commandRule(hadolintRule({
  code: 'DL3046', severity: 'MEDIUM', title: 'useradd with a high UID and without -l',
  description: 'useradd writes a sparse /var/log/lastlog sized by the UID; in a layer the file is stored in full, gigabytes for UIDs like 1000000.',
  resolution: 'Add `-l` (`--no-log-init`), or use a UID below 100000.',
  examples: { bad: 'FROM debian:12\nRUN useradd -u 123456 app', good: 'FROM debian:12\nRUN useradd -l -u 123456 app' },
}), (command) => {
  if (command.name !== 'useradd' || hasFlag(command, '-l', '--no-log-init')) return undefined;
  const index = command.args.findIndex((arg) => arg === '-u' || arg === '--uid');
  const uid = index === -1 ? command.args.find((arg) => arg.startsWith('--uid='))?.slice(6) : command.args[index + 1];
  return uid !== undefined && /^\d{6,}$/.test(uid) ? `useradd -u ${uid} without -l` : undefined;
});

const wgetProgress = commandRule(hadolintRule({
  code: 'DL3047', severity: 'LOW', title: 'wget without --progress',
  description: 'wget\'s default progress bar prints a line per chunk in build logs, bloating them for large files.',
  resolution: 'Add `--progress=dot:giga`, or `-q`/`-nv`.',
  examples: { bad: 'FROM debian:12\nRUN wget https://a/x.tgz', good: 'FROM debian:12\nRUN wget --progress=dot:giga https://a/x.tgz' },
}), (command) => (command.name === 'wget' && !hasFlag(command, '--progress', '-q', '--quiet', '-nv', '--no-verbose') ? 'wget without --progress' : undefined));

const pipeToShell: DockerfileRule = {
  meta: {
    id: 'BW-DF-5003', aliases: [], severity: 'HIGH', title: 'Downloaded script piped into a shell',
    description: '`curl … | sh` runs whatever the server sends, unverified; a compromised or changed script runs as root in the build.',
    resolution: 'Download to a file, verify its checksum or signature, then run it.',
    examples: { bad: 'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh', good: 'FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh && echo "<sha256>  /tmp/install.sh" | sha256sum -c && sh /tmp/install.sh' },
  },
  check(context) {
    for (const instruction of runInstructions(context.file)) {
      const commands = runCommands(context.file, instruction);
      commands.forEach((command, index) => {
        const next = commands[index + 1];
        if ((command.name === 'curl' || command.name === 'wget') && command.pipesOut && next?.pipesIn && INTERPRETERS.has(next.name)) {
          context.report(instruction, `output of ${command.name} is piped into ${next.name}`);
        }
      });
    }
  },
};

const worldWritable = commandRule({
  id: 'BW-DF-5008', aliases: [], severity: 'MEDIUM', title: 'chmod makes files world-writable',
  description: 'World-writable files let any user in the container, or a process that gets in, change what others run.',
  resolution: 'Grant write access to the owning user or group only, such as `chmod 755` or `chown app`.',
  examples: { bad: 'FROM debian:12\nRUN chmod -R 777 /app', good: 'FROM debian:12\nRUN chown -R app /app && chmod -R 755 /app' },
}, (command) => (command.name === 'chmod' && command.args.some((arg) => /^[0-7]?[0-7][0-7][2367]$/.test(arg) || /^(a|o)[+=][rwxX]*w/.test(arg)) ? `chmod ${command.args.join(' ')} makes files world-writable` : undefined));

const insecureSecurity: DockerfileRule = {
  meta: {
    id: 'BW-DF-5009', aliases: [], severity: 'HIGH', title: 'RUN --security=insecure',
    description: 'An insecure RUN has all capabilities and no seccomp profile, like a privileged container, during the build.',
    resolution: 'Remove `--security=insecure`; do the privileged step outside the build.',
    examples: { bad: 'FROM debian:12\nRUN --security=insecure mount -t tmpfs none /mnt', good: 'FROM debian:12\nRUN echo no privileged steps' },
  },
  check(context) {
    for (const instruction of runInstructions(context.file)) {
      if ((instruction.flags.get('security') ?? []).includes('insecure')) context.report(instruction, 'RUN --security=insecure runs the step with all privileges');
    }
  },
};

const tlsDisabled = commandRule({
  id: 'BW-DF-5010', aliases: [], severity: 'HIGH', title: 'TLS or signature verification turned off',
  description: 'Downloads without certificate or package-signature checks accept whatever a network attacker serves.',
  resolution: 'Remove the option; install the CA certificate the server needs instead.',
  examples: { bad: 'FROM debian:12\nRUN curl -k https://example.com/x', good: 'FROM debian:12\nRUN curl -fsSL https://example.com/x' },
}, (command) => {
  const insecure =
    (command.name === 'curl' && hasFlag(command, '-k', '--insecure')) ||
    (command.name === 'wget' && command.args.includes('--no-check-certificate')) ||
    (/^pip3?$/.test(command.name) && command.args.includes('--trusted-host')) ||
    ((command.name === 'npm' || command.name === 'yarn') && command.args.includes('strict-ssl') && command.args.includes('false')) ||
    (command.name === 'git' && command.args.some((arg) => /sslVerify=false/i.test(arg))) ||
    ((command.name === 'apt-get' || command.name === 'apt') && command.args.some((arg) => /allow-unauthenticated|AllowUnauthenticated|--force-yes/.test(arg))) ||
    (['yum', 'dnf', 'microdnf'].includes(command.name) && command.args.includes('--nogpgcheck')) ||
    (command.name === 'apk' && command.args.includes('--allow-untrusted'));
  return insecure ? `${command.name} ${command.args.join(' ').slice(0, 60)} turns verification off` : undefined;
});

export const shellCommandRules: DockerfileRule[] = [pointless, cdCommand, sudo, wgetAndCurl, linkShell, pipefail, useraddLog, wgetProgress, pipeToShell, worldWritable, insecureSecurity, tlsDisabled];
