import type { Diagnostic } from '../../model/diagnostic.js';

/** The label types of hadolint's label schema. */
export const LABEL_TYPES = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

/** The `dockerfile:` section of `.bulwark.yaml`, checked and with defaults applied. */
export interface DockerfileSettings {
  /** Registries that FROM may pull from; empty turns the check off. */
  trustedRegistries: string[];
  /** Labels every image must carry, with the type of their value. */
  requiredLabels: Record<string, LabelType>;
  /** When true, labels outside `requiredLabels` are reported (hadolint's `strict-labels`). */
  strictLabels: boolean;
  /** When true, base images must be pinned by digest. */
  requireDigest: boolean;
  /** Rule IDs or hadolint codes of rules that are off by default but wanted. */
  enable: string[];
  /** When true, in-file ignore pragmas are not honoured (hadolint's `disable-ignore-pragma`). */
  disableIgnorePragma: boolean;
}

const KEYS = ['trustedRegistries', 'requiredLabels', 'strictLabels', 'requireDigest', 'enable', 'disableIgnorePragma'];

/** Reads the `dockerfile:` section; a wrong value becomes a diagnostic and its default is used. */
export function readDockerfileSettings(section: Record<string, unknown>, target: string): { settings: DockerfileSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (message: string) => diagnostics.push({ target, code: 'FORMAT_INVALID', message: `dockerfile.${message}` });
  const settings: DockerfileSettings = { trustedRegistries: [], requiredLabels: {}, strictLabels: false, requireDigest: false, enable: [], disableIgnorePragma: false };

  for (const key of Object.keys(section)) if (!KEYS.includes(key)) report(`${key}: unknown key; expected one of ${KEYS.join(', ')}`);

  const stringList = (key: 'trustedRegistries' | 'enable') => {
    const value = section[key];
    if (value === undefined || value === null) return;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) settings[key] = value as string[];
    else report(`${key}: must be a list of strings`);
  };
  stringList('trustedRegistries');
  stringList('enable');

  for (const key of ['strictLabels', 'requireDigest', 'disableIgnorePragma'] as const) {
    const value = section[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') settings[key] = value;
    else report(`${key}: must be true or false, not ${JSON.stringify(value)}`);
  }

  const labels = section.requiredLabels;
  if (labels !== undefined && labels !== null) {
    if (typeof labels === 'object' && !Array.isArray(labels)) {
      for (const [name, type] of Object.entries(labels as Record<string, unknown>)) {
        if (typeof type === 'string' && (LABEL_TYPES as readonly string[]).includes(type)) settings.requiredLabels[name] = type as LabelType;
        else report(`requiredLabels.${name}: type must be one of ${LABEL_TYPES.join(', ')}, not ${JSON.stringify(type)}`);
      }
    } else {
      report('requiredLabels: must map label names to types');
    }
  }
  return { settings, diagnostics };
}
