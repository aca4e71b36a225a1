import type { DockerfileRule } from '../rule.js';
import { apkRules } from './apk.js';
import { aptRules } from './apt.js';
import { baseImageRules } from './base-image.js';
import { instructionRules } from './instructions.js';
import { labelRules } from './labels.js';
import { languagePackageRules } from './language-packages.js';
import { rpmRules } from './rpm.js';
import { secretRules } from './secrets.js';
import { shellCommandRules } from './shell-commands.js';
import { stageRules } from './stages.js';
import { syntaxRules } from './syntax.js';

/** Every Dockerfile rule, sorted by ID. Throws at load time on a duplicate ID, which is a bug. */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = buildRegistry([
  ...syntaxRules, ...baseImageRules, ...stageRules, ...instructionRules, ...shellCommandRules,
  ...aptRules, ...apkRules, ...rpmRules, ...languagePackageRules, ...labelRules, ...secretRules,
]);

function buildRegistry(rules: DockerfileRule[]): DockerfileRule[] {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.meta.id)) throw new Error(`duplicate Dockerfile rule ID ${rule.meta.id}`);
    seen.add(rule.meta.id);
  }
  return [...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}
