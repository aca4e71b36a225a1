import type { Instruction } from '../model.js';
import { hadolintRule, runCommands, type DockerfileRule } from '../rule.js';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tar\.lz|gz|bz2|xz)$/i;
const URL = /^(https?|ftp):\/\//i;
const GIT = /^git@|\.git(#.*)?$/;

/** Returns the sources and destination of COPY or ADD, from exec or shell form. */
export function copyOperands(instruction: Instruction): { sources: string[]; destination: string | undefined } {
  const words = (instruction.json ?? instruction.words.map(unquote)).filter((word) => !/^<<-?/.test(word));
  if (words.length < 2) return { sources: words.slice(0, -1), destination: undefined };
  return { sources: words.slice(0, -1), destination: words.at(-1) };
}

function unquote(word: string): string {
  return word.replace(/^(["'])(.*)\1$/, '$2');
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\');
}

const relativeWorkdir: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3000', severity: 'HIGH', title: 'WORKDIR is not absolute',
    description: 'A relative WORKDIR depends on every WORKDIR before it, including those of the base image, which the Dockerfile does not show.',
    resolution: 'Use an absolute path: `WORKDIR /app`.',
    examples: { bad: 'FROM debian:12\nWORKDIR app', good: 'FROM debian:12\nWORKDIR /app' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'WORKDIR') continue;
      const path = unquote(instruction.text.trim());
      if (path !== '' && !isAbsolutePath(path)) context.report(instruction, `WORKDIR "${path}" is not absolute`);
    }
  },
};

function exposedPorts(instruction: Instruction): { port: string; numbers: number[] }[] {
  return instruction.words.map(unquote).filter((word) => !word.includes('$')).map((word) => {
    const port = word.replace(/\/(tcp|udp|sctp)$/i, '');
    return { port: word, numbers: port.split('-').map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN)) };
  });
}

const invalidPort: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3011', severity: 'HIGH', title: 'EXPOSE port outside 0-65535',
    description: 'TCP and UDP ports are 16-bit numbers; BuildKit rejects anything else.',
    resolution: 'Expose a port between 0 and 65535.',
    examples: { bad: 'FROM debian:12\nEXPOSE 80000', good: 'FROM debian:12\nEXPOSE 8080' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const { port, numbers } of exposedPorts(instruction)) {
        if (numbers.some((number) => Number.isNaN(number) || number > 65535)) context.report(instruction, `EXPOSE ${port} is not a port between 0 and 65535`);
      }
    }
  },
};

const exposeSsh: DockerfileRule = {
  meta: {
    id: 'BW-DF-5006', aliases: [], severity: 'MEDIUM', title: 'EXPOSE 22 (SSH)',
    description: 'An SSH server in a container is another service to patch and another way in; `docker exec` and `kubectl exec` already give a shell.',
    resolution: 'Remove the SSH server and `EXPOSE 22`; use `docker exec` or `kubectl exec` for debugging.',
    examples: { bad: 'FROM debian:12\nEXPOSE 22', good: 'FROM debian:12\nEXPOSE 8080' },
  },
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'EXPOSE') continue;
      for (const { port, numbers } of exposedPorts(instruction)) {
        const [low = Number.NaN, high = low] = numbers;
        if (low <= 22 && 22 <= high) context.report(instruction, `EXPOSE ${port} opens the SSH port`);
      }
    }
  },
};

const shellFormCommand: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3025', severity: 'MEDIUM', title: 'CMD or ENTRYPOINT in shell form',
    description: 'In shell form, `/bin/sh -c` becomes PID 1, so the process does not get SIGTERM and the container is killed after the stop timeout.',
    resolution: 'Use the exec form: `CMD ["nginx", "-g", "daemon off;"]`.',
    examples: { bad: 'FROM nginx:1.27\nCMD nginx -g "daemon off;"', good: 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if ((instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') && instruction.json === undefined && instruction.text !== '') {
        context.report(instruction, `${instruction.keyword} is in shell form`);
      }
    }
  },
};

/** Returns the `name=value` pairs of ENV or LABEL, or the legacy `ENV name value` form as one pair. */
export function keyValuePairs(instruction: Instruction): { key: string; value: string }[] {
  const words = instruction.words;
  if (words.length > 0 && !(words[0] ?? '').includes('=')) {
    const [key = '', ...rest] = words;
    return [{ key: unquote(key), value: unquote(rest.join(' ')) }];
  }
  return words.map((word) => {
    const equals = word.indexOf('=');
    return equals === -1 ? { key: unquote(word), value: '' } : { key: unquote(word.slice(0, equals)), value: unquote(word.slice(equals + 1)) };
  });
}

const envSelfReference: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3044', severity: 'HIGH', title: 'ENV refers to a variable it defines',
    description: 'Within one ENV, a reference expands to the value from before the instruction, not the one just set, so `ENV A=1 B=$A` leaves B empty.',
    resolution: 'Split the ENV in two, or write the value out.',
    examples: { bad: 'FROM debian:12\nENV APP=/app BIN=$APP/bin', good: 'FROM debian:12\nENV APP=/app\nENV BIN=$APP/bin' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'ENV') continue;
      const defined = new Set<string>();
      for (const { key, value } of keyValuePairs(instruction)) {
        for (const match of value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
          const name = match[1] ?? '';
          if (defined.has(name)) context.report(instruction, `ENV ${key} refers to ${name}, which the same ENV defines`);
        }
        defined.add(key);
      }
    }
  },
};

const relativeCopyWithoutWorkdir: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3045', severity: 'MEDIUM', title: 'COPY to a relative path without WORKDIR',
    description: 'A relative destination resolves against the base image\'s working directory, which can change between base image versions.',
    resolution: 'Set `WORKDIR` first, or copy to an absolute path.',
    examples: { bad: 'FROM node:22\nCOPY package.json .', good: 'FROM node:22\nWORKDIR /app\nCOPY package.json .' },
  }),
  check(context) {
    // Stages only build on earlier ones, so a parent's result is always computed before its children.
    const endsWithWorkdir: boolean[] = [];
    for (const stage of context.file.stages) {
      let hasWorkdir = stage.parent !== undefined && endsWithWorkdir[stage.parent] === true;
      for (const instruction of stage.instructions) {
        if (instruction.onbuild) continue;
        if (instruction.keyword === 'WORKDIR') hasWorkdir = true;
        if (instruction.keyword !== 'COPY' || hasWorkdir) continue;
        const { destination } = copyOperands(instruction);
        if (destination !== undefined && !isAbsolutePath(destination)) context.report(instruction, `COPY to "${destination}" with no WORKDIR set`);
      }
      endsWithWorkdir[stage.index] = hasWorkdir;
    }
  },
};

const addForFiles: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3020', severity: 'HIGH', title: 'ADD used for plain files',
    description: 'ADD also unpacks archives and downloads URLs, so a reader has to check which one happens. For plain files COPY does exactly one thing.',
    resolution: 'Use COPY; keep ADD for local archives to extract, or URLs with `--checksum`.',
    examples: { bad: 'FROM debian:12\nADD app.py /app/', good: 'FROM debian:12\nCOPY app.py /app/' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'ADD' || instruction.heredocs.length > 0) continue;
      const { sources } = copyOperands(instruction);
      const plain = sources.filter((source) => !URL.test(source) && !GIT.test(source) && !ARCHIVE.test(source) && !source.includes('$'));
      if (plain.length > 0) context.report(instruction, `ADD copies plain files (${plain.join(', ')}); use COPY`);
    }
  },
};

const copyDestinationSlash: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3021', severity: 'HIGH', title: 'COPY of several sources to a destination without a trailing /',
    description: 'With more than one source the destination must be a directory, written with a trailing `/`; BuildKit rejects it otherwise.',
    resolution: 'End the destination with `/`.',
    examples: { bad: 'FROM debian:12\nCOPY a b /app', good: 'FROM debian:12\nCOPY a b /app/' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if ((instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || instruction.heredocs.length > 0) continue;
      const { sources, destination } = copyOperands(instruction);
      if (sources.length > 1 && destination !== undefined && !destination.endsWith('/') && !destination.includes('$')) {
        context.report(instruction, `${instruction.keyword} has ${sources.length} sources but the destination "${destination}" does not end with /`);
      }
    }
  },
};

const copyThenExtract: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3010', severity: 'LOW', title: 'Archive copied and then extracted',
    description: 'COPY of an archive followed by `tar -x` keeps the archive in a layer; ADD extracts a local archive without keeping it.',
    resolution: 'Use `ADD archive.tar.gz /dest/`, or extract in a build stage and copy the result.',
    examples: { bad: 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt', good: 'FROM debian:12\nADD app.tar.gz /opt/' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      const copied = new Map<string, Instruction>();
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'COPY' && instruction.flags.get('from') === undefined) {
          for (const source of copyOperands(instruction).sources) if (ARCHIVE.test(source)) copied.set(source.slice(source.lastIndexOf('/') + 1), instruction);
        }
        if (instruction.keyword !== 'RUN' || copied.size === 0) continue;
        for (const command of runCommands(context.file, instruction)) {
          if (command.name !== 'tar' || !command.args.some((arg) => /^-?[A-Za-z]*x/.test(arg) || arg === '--extract')) continue;
          for (const [name, copy] of copied) {
            if (command.args.some((arg) => arg.endsWith(name))) context.report(copy, `${name} is copied and then extracted on line ${instruction.startLine}; ADD extracts it without keeping the archive`);
          }
        }
      }
    }
  },
};

const inlineIgnore: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL1001', severity: 'LOW', title: 'Inline ignore pragma',
    description: 'Inline ignores hide findings from reviews of the central settings. Off unless enabled in `dockerfile.enable`.',
    resolution: 'Move the ignore to `ignore:` in `.bulwark.yaml`.',
    examples: { bad: 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl', good: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10' },
  }),
  enabledByDefault: false,
  check(context) {
    for (const pragma of context.file.pragmas) context.report({ startLine: pragma.line, endLine: pragma.line }, `inline ignore of ${pragma.codes.join(', ')}`);
  },
};

const remoteAdd: DockerfileRule = {
  meta: {
    id: 'BW-DF-5007', aliases: [], severity: 'MEDIUM', title: 'ADD downloads a URL without --checksum',
    description: 'A download without a checksum takes whatever the server returns today; a compromised or changed file goes into the image unnoticed.',
    resolution: 'Add `--checksum=sha256:…` (Dockerfile syntax 1.6 and later), or download in RUN and verify with `sha256sum -c`.',
    examples: { bad: 'FROM debian:12\nADD https://example.com/tool.tar.gz /opt/', good: 'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/' },
  },
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'ADD' || instruction.flags.has('checksum')) continue;
      for (const source of copyOperands(instruction).sources) {
        if (URL.test(source)) context.report(instruction, `ADD downloads ${source} without --checksum${source.startsWith('http:') ? ', over plain HTTP' : ''}`);
      }
    }
  },
};

export const instructionRules: DockerfileRule[] = [
  relativeWorkdir, invalidPort, exposeSsh, shellFormCommand, envSelfReference, relativeCopyWithoutWorkdir, addForFiles, copyDestinationSlash, copyThenExtract, inlineIgnore, remoteAdd,
];
