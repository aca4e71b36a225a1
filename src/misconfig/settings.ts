import { parse } from 'yaml';

import { InputError } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isSeverity, type Severity } from '../model/severity.js';

/**
 * The settings of `.bulwark.yaml`, which config scans read from the working directory (or from
 * `--config FILE`):
 *
 * ```yaml
 * ignore: [DL3008, pss/runAsNonRoot]      # rule IDs to drop everywhere
 * severity: { DL3008: LOW }               # severity overrides by rule ID
 * dockerfile:
 *   trustedRegistries: [docker.io, gcr.io]
 *   requiredLabels: { maintainer: text, org.opencontainers.image.created: rfc3339 }
 * kubernetes:
 *   pssLevel: restricted                  # baseline or restricted
 *   pssVersion: latest                    # like pod-security.kubernetes.io/enforce-version
 * ```
 *
 * Each section's fields are read by the scanner it names; unknown keys give a diagnostic.
 */
export interface BulwarkSettings {
  ignore: string[];
  severity: Record<string, Severity>;
  dockerfile: Record<string, unknown>;
  kubernetes: Record<string, unknown>;
  /** Problems found while reading the settings, reported under the file's name. */
  diagnostics: Diagnostic[];
}

export const EMPTY_SETTINGS: BulwarkSettings = { ignore: [], severity: {}, dockerfile: {}, kubernetes: {}, diagnostics: [] };

/** The largest settings file read, in bytes. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

const TOP_LEVEL_KEYS = new Set(['ignore', 'severity', 'dockerfile', 'kubernetes']);

/**
 * Parses `.bulwark.yaml`. Throws an InputError naming the file for YAML that cannot be parsed or is
 * too large; a wrong value for one key becomes a diagnostic and that key is ignored.
 */
export function parseSettings(text: string, file: string): BulwarkSettings {
  if (text.length > MAX_SETTINGS_BYTES) throw new InputError('LIMIT_EXCEEDED', `${file} is over ${MAX_SETTINGS_BYTES} bytes; a settings file should be a few lines`);
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 10, prettyErrors: true });
  } catch (error) {
    throw new InputError('FORMAT_INVALID', `${file}: invalid YAML: ${(error as Error).message}`, { cause: error });
  }

  const settings: BulwarkSettings = { ignore: [], severity: {}, dockerfile: {}, kubernetes: {}, diagnostics: [] };
  if (value === null || value === undefined) return settings;
  const report = (message: string) => settings.diagnostics.push({ target: file, code: 'FORMAT_INVALID', message });
  if (typeof value !== 'object' || Array.isArray(value)) {
    report('expected a mapping at the top level; the file is ignored');
    return settings;
  }

  const root = value as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_KEYS.has(key)) report(`unknown key "${key}"; expected one of ${[...TOP_LEVEL_KEYS].join(', ')}`);
  }

  if (root.ignore !== undefined) {
    if (Array.isArray(root.ignore) && root.ignore.every((item) => typeof item === 'string')) settings.ignore = root.ignore as string[];
    else report('"ignore" must be a list of rule IDs');
  }
  if (root.severity !== undefined) {
    if (root.severity !== null && typeof root.severity === 'object' && !Array.isArray(root.severity)) {
      for (const [id, level] of Object.entries(root.severity as Record<string, unknown>)) {
        const upper = typeof level === 'string' ? level.toUpperCase() : '';
        if (isSeverity(upper)) settings.severity[id] = upper;
        else report(`severity of "${id}" must be CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN, not ${JSON.stringify(level)}`);
      }
    } else {
      report('"severity" must map rule IDs to severities');
    }
  }
  for (const section of ['dockerfile', 'kubernetes'] as const) {
    const content = root[section];
    if (content === undefined || content === null) continue;
    if (typeof content === 'object' && !Array.isArray(content)) settings[section] = content as Record<string, unknown>;
    else report(`"${section}" must be a mapping`);
  }
  return settings;
}
