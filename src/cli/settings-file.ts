import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { errorMessage, InputError } from '../errors.js';
import type { BulwarkSettings } from '../misconfig/settings.js';

/** The settings file read from the working directory when `--config` is not given. */
export const DEFAULT_SETTINGS_FILE = '.bulwark.yaml';

/** Loads `--config FILE`, else `.bulwark.yaml` in the working directory when present, else no settings. */
export async function loadSettings(explicit: string | undefined): Promise<BulwarkSettings> {
  const { EMPTY_SETTINGS, parseSettings } = await import('../misconfig/settings.js');
  const file = explicit ?? (existsSync(DEFAULT_SETTINGS_FILE) ? DEFAULT_SETTINGS_FILE : undefined);
  if (file === undefined) return structuredClone(EMPTY_SETTINGS);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('NOT_FOUND', `cannot read the settings file ${file}: ${errorMessage(error)}`, { cause: error });
  }
  return parseSettings(text, file);
}
