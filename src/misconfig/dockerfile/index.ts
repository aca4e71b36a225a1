import type { ConfigFileResult, ConfigScanner } from '../config-scanner.js';
import type { RuleMetadata } from '../../model/misconfiguration.js';
import { DOCKERFILE_RULES } from './rules/index.js';
import { lintDockerfile } from './scanner.js';
import { readDockerfileSettings } from './settings.js';

export { lintDockerfile, type LintOptions } from './scanner.js';
export { parseDockerfile } from './parse.js';
export { readDockerfileSettings, type DockerfileSettings } from './settings.js';
export type { Instruction, ParsedDockerfile, Stage } from './model.js';

/**
 * True for `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*` and
 * `Containerfile.*`, but not for BuildKit's per-Dockerfile ignore files (`Dockerfile.dockerignore`).
 */
export function isDockerfileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/\.dockerignore$/i.test(name)) return false;
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

/** Returns the metadata of every Dockerfile rule, sorted by ID. */
export function dockerfileRules(): RuleMetadata[] {
  return DOCKERFILE_RULES.map((rule) => rule.meta);
}

export const dockerfileScanner: ConfigScanner = {
  id: 'dockerfile',
  claims: isDockerfileName,
  rules: dockerfileRules,
  async scan(files, options) {
    const { settings, diagnostics } = readDockerfileSettings(options.settings.dockerfile, '.bulwark.yaml');
    const global = { ignore: options.settings.ignore, severity: options.settings.severity };
    const results: ConfigFileResult[] = await Promise.all(files.map((file) => lintDockerfile(file, { settings, global })));
    results[0]?.diagnostics.unshift(...diagnostics);
    return results;
  },
};
