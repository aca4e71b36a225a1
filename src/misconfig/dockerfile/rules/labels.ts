import valid from 'semver/functions/valid.js';
import parseSpdx from 'spdx-expression-parse';

import type { Instruction } from '../model.js';
import type { LabelType } from '../settings.js';
import { hadolintRule, type DockerfileRule, type RuleContext } from '../rule.js';
import { keyValuePairs } from './instructions.js';
import { finalStage, stageChain } from './stages.js';

/** Label keys: lower-case alphanumerics separated by single dots or dashes (Docker's label key guideline). */
const LABEL_KEY = /^[a-z0-9]+([.-][a-z0-9]+)*$/;
const RESERVED_NAMESPACES = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

const VALIDATORS: Record<Exclude<LabelType, 'text'>, { code: string; test: (value: string) => boolean; what: string }> = {
  url: { code: 'DL3052', what: 'a valid URL', test: (value) => URL.canParse(value) && /^[a-z][a-z0-9+.-]*:\/\/./i.test(value) },
  rfc3339: { code: 'DL3053', what: 'an RFC 3339 time', test: (value) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)) },
  spdx: { code: 'DL3054', what: 'an SPDX license expression', test: isSpdxExpression },
  hash: { code: 'DL3055', what: 'a git commit hash', test: (value) => /^[0-9a-f]{7,40}$/.test(value) },
  semver: { code: 'DL3056', what: 'a semantic version', test: (value) => valid(value) !== null },
  email: { code: 'DL3058', what: 'an email address', test: (value) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value) },
};

/** True when the value parses as an SPDX license expression of listed identifiers. */
function isSpdxExpression(value: string): boolean {
  try {
    parseSpdx(value);
    return true;
  } catch {
    return false;
  }
}

function labelsOf(context: RuleContext): { instruction: Instruction; key: string; value: string }[] {
  return context.file.instructions.filter((instruction) => instruction.keyword === 'LABEL').flatMap((instruction) => keyValuePairs(instruction).map((pair) => ({ instruction, ...pair })));
}

const invalidKey: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3048', severity: 'LOW', title: 'Invalid label key',
    description: 'Label keys should be lower-case, reverse-DNS namespaced and outside the namespaces Docker reserves, so tools can read them.',
    resolution: 'Use keys like `org.opencontainers.image.source`.',
    examples: { bad: 'FROM debian:12\nLABEL My_Label=x', good: 'FROM debian:12\nLABEL org.example.team=payments' },
  }),
  check(context) {
    for (const { instruction, key } of labelsOf(context)) {
      if (key.includes('$')) continue;
      if (!LABEL_KEY.test(key)) context.report(instruction, `label key "${key}" is not lower-case alphanumerics separated by . or -`);
      else if (RESERVED_NAMESPACES.some((namespace) => key.startsWith(namespace))) context.report(instruction, `label key "${key}" is in a namespace reserved by Docker`);
    }
  },
};

const missingLabel: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3049', severity: 'LOW', title: 'Required label missing',
    description: 'The labels listed in `dockerfile.requiredLabels` let people and tools find an image\'s source, owner and version.',
    resolution: 'Add the label to the final stage.',
    examples: { bad: 'FROM debian:12', good: 'FROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/example/app' },
  }),
  check(context) {
    const stage = finalStage(context.file);
    const required = Object.keys(context.settings.requiredLabels);
    if (stage === undefined || required.length === 0) return;
    const present = new Set(stageChain(context.file, stage).flatMap((member) => member.instructions.filter((i) => i.keyword === 'LABEL').flatMap((i) => keyValuePairs(i).map((pair) => pair.key))));
    for (const name of required.sort()) if (!present.has(name)) context.report(stage.from, `label "${name}" is missing`);
  },
};

const superfluousLabel: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3050', severity: 'LOW', title: 'Label not in the required set',
    description: 'With `dockerfile.strictLabels: true`, only the labels in `dockerfile.requiredLabels` are allowed.',
    resolution: 'Remove the label or add it to `requiredLabels`.',
    examples: { bad: 'FROM debian:12\nLABEL random=1', good: 'FROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/example/app' },
  }),
  check(context) {
    if (!context.settings.strictLabels) return;
    for (const { instruction, key } of labelsOf(context)) if (!(key in context.settings.requiredLabels)) context.report(instruction, `label "${key}" is not in requiredLabels`);
  },
};

const emptyLabel: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3051', severity: 'MEDIUM', title: 'Required label is empty',
    description: 'An empty value for a required label passes a presence check but carries no information.',
    resolution: 'Give the label a value.',
    examples: { bad: 'FROM debian:12\nLABEL org.opencontainers.image.source=""', good: 'FROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/example/app' },
  }),
  check(context) {
    for (const { instruction, key, value } of labelsOf(context)) if (key in context.settings.requiredLabels && value === '') context.report(instruction, `label "${key}" is empty`);
  },
};

function typedLabelRule(type: Exclude<LabelType, 'text'>, example: { bad: string; good: string; key: string }): DockerfileRule {
  const validator = VALIDATORS[type];
  return {
    meta: hadolintRule({
      code: validator.code, severity: 'MEDIUM', title: `Label is not ${validator.what}`,
      description: `A label declared as \`${type}\` in \`dockerfile.requiredLabels\` must hold ${validator.what}, or tools that read it fail.`,
      resolution: `Set the label to ${validator.what}.`,
      examples: { bad: `FROM debian:12\nLABEL ${example.key}=${example.bad}`, good: `FROM debian:12\nLABEL ${example.key}=${example.good}` },
    }),
    check(context) {
      for (const { instruction, key, value } of labelsOf(context)) {
        if (context.settings.requiredLabels[key] !== type || value === '' || value.includes('$')) continue;
        if (!validator.test(value)) context.report(instruction, `label "${key}" value "${value}" is not ${validator.what}`);
      }
    },
  };
}

export const labelRules: DockerfileRule[] = [
  invalidKey, missingLabel, superfluousLabel, emptyLabel,
  typedLabelRule('url', { key: 'org.opencontainers.image.source', bad: 'example', good: 'https://github.com/example/app' }),
  typedLabelRule('rfc3339', { key: 'org.opencontainers.image.created', bad: 'yesterday', good: '2024-11-02T10:00:00Z' }),
  typedLabelRule('spdx', { key: 'org.opencontainers.image.licenses', bad: '"Apache 2"', good: 'Apache-2.0' }),
  typedLabelRule('hash', { key: 'org.opencontainers.image.revision', bad: 'main', good: '3f2a9c1' }),
  typedLabelRule('semver', { key: 'org.opencontainers.image.version', bad: 'v1', good: '1.4.2' }),
  typedLabelRule('email', { key: 'maintainer', bad: 'nobody', good: 'team@example.com' }),
];
