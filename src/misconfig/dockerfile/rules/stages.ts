import type { Instruction, ParsedDockerfile, Stage } from '../model.js';
import { hadolintRule, runCommands, type DockerfileRule } from '../rule.js';

/** Returns the stage that becomes the image: the last one. */
export function finalStage(file: ParsedDockerfile): Stage | undefined {
  return file.stages.at(-1);
}

/** Returns the stage and the stages it builds on (`FROM build AS final`), nearest first. */
export function stageChain(file: ParsedDockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let parent = stage.parent === undefined ? undefined : file.stages[stage.parent];
  while (parent !== undefined) {
    chain.push(parent);
    parent = parent.parent === undefined ? undefined : file.stages[parent.parent];
  }
  return chain;
}

function ownInstructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword && !instruction.onbuild);
}

const copyFromUnknownStage: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3022', severity: 'MEDIUM', title: 'COPY --from names no earlier stage',
    description: 'A `--from` value that is not an earlier stage name or index is pulled as an image, which is rarely what a typo meant.',
    resolution: 'Name an earlier stage (`FROM golang:1.23 AS build` … `COPY --from=build`), or write a full image reference.',
    examples: { bad: 'FROM golang:1.23 AS build\nFROM debian:12\nCOPY --from=biuld /app /app', good: 'FROM golang:1.23 AS build\nFROM debian:12\nCOPY --from=build /app /app' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      for (const instruction of ownInstructions(stage, 'COPY')) {
        const from = instruction.flags.get('from')?.[0];
        if (from === undefined || from.includes('$') || /[/:.@]/.test(from)) continue;
        const named = context.file.stageIndexByName.get(from.toLowerCase());
        const known = /^\d+$/.test(from) ? Number(from) < stage.index : named !== undefined && named < stage.index;
        const isSelf = /^\d+$/.test(from) ? Number(from) === stage.index : stage.name === from.toLowerCase();
        if (!known && !isSelf) context.report(instruction, `COPY --from=${from} names no earlier stage`);
      }
    }
  },
};

const copyFromSelf: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3023', severity: 'HIGH', title: 'COPY --from names its own stage',
    description: 'A stage cannot copy from itself; BuildKit fails with a circular dependency.',
    resolution: 'Copy from an earlier stage, or use a plain COPY from the build context.',
    examples: { bad: 'FROM debian:12 AS app\nCOPY --from=app /a /b', good: 'FROM debian:12 AS base\nFROM debian:12 AS app\nCOPY --from=base /a /b' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      for (const instruction of ownInstructions(stage, 'COPY')) {
        const from = instruction.flags.get('from')?.[0]?.toLowerCase();
        if (from !== undefined && (from === stage.name || from === String(stage.index))) context.report(instruction, `COPY --from=${from} names the stage it is in`);
      }
    }
  },
};

const duplicateStageName: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3024', severity: 'HIGH', title: 'Stage name used twice',
    description: 'BuildKit rejects two stages with the same name, and older builders silently used the last one.',
    resolution: 'Give every `FROM … AS name` a unique name.',
    examples: { bad: 'FROM debian:12 AS build\nFROM debian:12 AS build', good: 'FROM debian:12 AS build\nFROM debian:12 AS test' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      if (stage.duplicateName) context.report(stage.from, `stage name "${stage.name}" is already used by an earlier stage`);
    }
  },
};

const instructionBeforeFrom: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3061', severity: 'HIGH', title: 'Instruction before the first FROM',
    description: 'Only ARG and comments may come before the first FROM; BuildKit rejects anything else there.',
    resolution: 'Move the instruction after FROM.',
    examples: { bad: 'LABEL a=b\nFROM debian:12', good: 'ARG TAG=12\nFROM debian:${TAG}\nLABEL a=b' },
  }),
  check(context) {
    const first = context.file.instructions.find((instruction) => instruction.stage === -1 && instruction.keyword !== 'ARG');
    if (first !== undefined && context.file.stages.length > 0) context.report(first, `${first.keyword} comes before the first FROM`);
  },
};

const forbiddenOnbuildTrigger: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3043', severity: 'HIGH', title: 'ONBUILD triggers ONBUILD, FROM or MAINTAINER',
    description: 'Docker does not allow ONBUILD, FROM or MAINTAINER as an ONBUILD trigger.',
    resolution: 'Trigger another instruction, or move the instruction out of ONBUILD.',
    examples: { bad: 'FROM debian:12\nONBUILD FROM alpine:3.20', good: 'FROM debian:12\nONBUILD RUN echo built' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.onbuild && ['ONBUILD', 'FROM', 'MAINTAINER'].includes(instruction.keyword)) context.report(instruction, `ONBUILD triggers ${instruction.keyword}`);
    }
  },
};

function repeatedRule(options: { code: string; keyword: string; severity: 'HIGH' | 'MEDIUM'; example: string; good: string; why: string }): DockerfileRule {
  return {
    meta: hadolintRule({
      code: options.code, severity: options.severity, title: `Several ${options.keyword} instructions in one stage`,
      description: `Only the last ${options.keyword} of a stage takes effect. ${options.why}`,
      resolution: `Keep one ${options.keyword} per stage.`,
      examples: { bad: options.example, good: options.good },
    }),
    check(context) {
      for (const stage of context.file.stages) {
        for (const instruction of ownInstructions(stage, options.keyword).slice(1)) {
          context.report(instruction, `${options.keyword} repeated in stage ${stage.index + 1}; only the last one takes effect`);
        }
      }
    },
  };
}

const maintainer: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL4000', severity: 'HIGH', title: 'MAINTAINER is deprecated',
    description: 'MAINTAINER has been deprecated since Docker 1.13; the maintainer belongs in a label.',
    resolution: 'Use `LABEL org.opencontainers.image.authors="name <email>"`.',
    examples: { bad: 'FROM debian:12\nMAINTAINER me@example.com', good: 'FROM debian:12\nLABEL org.opencontainers.image.authors="me@example.com"' },
  }),
  check(context) {
    for (const instruction of context.file.instructions) if (instruction.keyword === 'MAINTAINER' && !instruction.onbuild) context.report(instruction, 'MAINTAINER is deprecated');
  },
};

const ROOT_USERS = /^(root|0)(:(root|0))?$/;

const lastUserRoot: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3002', severity: 'MEDIUM', title: 'Last USER of the final stage is root',
    description: 'A container that runs as root turns any code-execution bug into root in the container, and one kernel or runtime bug away from root on the host.',
    resolution: 'Switch to an unprivileged user after the steps that need root: `USER 10001`.',
    examples: { bad: 'FROM debian:12\nUSER root', good: 'FROM debian:12\nRUN useradd -r app\nUSER app' },
  }),
  check(context) {
    const stage = finalStage(context.file);
    if (stage === undefined) return;
    const last = ownInstructions(stage, 'USER').at(-1);
    if (last !== undefined && ROOT_USERS.test(last.text.trim())) context.report(last, `the final stage runs as "${last.text.trim()}"`);
  },
};

const noUser: DockerfileRule = {
  meta: {
    id: 'BW-DF-5002', aliases: ['CIS-DI-0001'], severity: 'HIGH', title: 'Final stage sets no USER',
    description: 'Without USER, the container runs as the base image\'s user, which is root for almost every base image.',
    resolution: 'Create an unprivileged user and end the final stage with `USER <name or uid>`.',
    examples: { bad: 'FROM debian:12\nCMD ["app"]', good: 'FROM debian:12\nRUN useradd -r -u 10001 app\nUSER 10001\nCMD ["app"]' },
  },
  check(context) {
    const stage = finalStage(context.file);
    if (stage === undefined || stage.image.toLowerCase() === 'scratch') return;
    const hasUser = stageChain(context.file, stage).some((member) => ownInstructions(member, 'USER').length > 0);
    if (!hasUser) context.report(stage.from, 'the final stage sets no USER, so the container runs as the base image\'s user, usually root');
  },
};

const missingHealthcheck: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3057', severity: 'LOW', title: 'HEALTHCHECK missing',
    description: 'Without a HEALTHCHECK, Docker and Swarm cannot tell a hung process from a healthy one. Kubernetes uses its own probes instead, so images only run there may skip this.',
    resolution: 'Add `HEALTHCHECK CMD …` that exits non-zero when the service is unhealthy, or `HEALTHCHECK NONE` to state that none is wanted.',
    examples: { bad: 'FROM nginx:1.27\nCMD ["nginx"]', good: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\nCMD ["nginx"]' },
  }),
  check(context) {
    const stage = finalStage(context.file);
    if (stage === undefined) return;
    const has = stageChain(context.file, stage).some((member) => ownInstructions(member, 'HEALTHCHECK').length > 0);
    if (!has) context.report(stage.from, 'the final stage has no HEALTHCHECK');
  },
};

const consecutiveRun: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3059', severity: 'LOW', title: 'Consecutive RUN instructions',
    description: 'Each RUN adds a layer, and files deleted by a later RUN still take space in the earlier layer. RUNs of more than two commands, or with different flags, are taken as split on purpose.',
    resolution: 'Join consecutive RUNs with `&&`, or use one RUN with a heredoc.',
    examples: { bad: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10', good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      const own = stage.instructions.filter((instruction) => !instruction.onbuild && instruction.keyword !== 'ONBUILD');
      for (let i = 1; i < own.length; i++) {
        const previous = own[i - 1];
        const current = own[i];
        if (previous?.keyword !== 'RUN' || current?.keyword !== 'RUN') continue;
        if (JSON.stringify([...previous.flags]) !== JSON.stringify([...current.flags])) continue;
        // Like hadolint, a RUN of more than two chained commands counts as a deliberate split.
        if (runCommands(context.file, previous).length > 2 || runCommands(context.file, current).length > 2) continue;
        context.report(current, `RUN follows the RUN on line ${previous.startLine}; consider joining them`);
      }
    }
  },
};

export const stageRules: DockerfileRule[] = [
  copyFromUnknownStage, copyFromSelf, duplicateStageName, instructionBeforeFrom, forbiddenOnbuildTrigger,
  repeatedRule({ code: 'DL4003', keyword: 'CMD', severity: 'MEDIUM', why: 'The earlier ones are dead code that misleads readers.', example: 'FROM debian:12\nCMD ["a"]\nCMD ["b"]', good: 'FROM debian:12\nCMD ["b"]' }),
  repeatedRule({ code: 'DL4004', keyword: 'ENTRYPOINT', severity: 'HIGH', why: 'The earlier ones are dead code that misleads readers.', example: 'FROM debian:12\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]', good: 'FROM debian:12\nENTRYPOINT ["b"]' }),
  repeatedRule({ code: 'DL3012', keyword: 'HEALTHCHECK', severity: 'HIGH', why: 'A reader may trust a check that never runs.', example: 'FROM debian:12\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b', good: 'FROM debian:12\nHEALTHCHECK CMD b' }),
  maintainer, lastUserRoot, noUser, missingHealthcheck, consecutiveRun,
];
