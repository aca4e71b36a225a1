import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, LimitError, UsageError } from '../errors.js';
import { parseBulwarkIgnore, parseTrivyIgnore } from './ignore-lines.js';
import type { IgnoreRules } from './ignore-rule.js';
import { parseTrivyIgnoreYaml } from './trivyignore-yaml.js';

/** The ignore-file formats Bulwark reads. */
export type IgnoreFileFormat = 'bulwarkignore' | 'trivyignore' | 'trivyignore-yaml';

/**
 * The file names to look up in the current directory when no ignore file is named, as Trivy
 * looks up `.trivyignore`. Files inside a scanned artifact must not be used, because the
 * artifact's author could hide its own findings.
 */
export const DEFAULT_IGNORE_FILES = ['.bulwarkignore', '.trivyignore.yaml', '.trivyignore'] as const;

/** The default maximum size of an ignore file, in bytes. */
export const DEFAULT_MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Returns the format of an ignore file from its name: `.yaml` and `.yml` files are Trivy's YAML
 * format, names containing `trivyignore` are `.trivyignore`, and anything else is `.bulwarkignore`.
 */
export function detectIgnoreFormat(path: string): IgnoreFileFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'trivyignore-yaml';
  if (name.includes('trivyignore')) return 'trivyignore';
  return 'bulwarkignore';
}

export interface ParseIgnoreFileOptions {
  /** The file name used in diagnostics and in each rule's source. */
  file: string;
  /** The format; detected from `file` when absent. */
  format?: IgnoreFileFormat;
}

/** The maximum number of rules applied from one ignore file. */
export const MAX_IGNORE_RULES = 20_000;

/**
 * The maximum number of rules without an ID applied from one ignore file. The filter compares
 * each of them with every finding, while rules with an ID cost one lookup.
 */
export const MAX_WILDCARD_IGNORE_RULES = 1_000;

/**
 * Parses the text of an ignore file. Malformed lines and entries become diagnostics naming the
 * file and line, and the rules that parsed still apply. Rules past MAX_IGNORE_RULES or
 * MAX_WILDCARD_IGNORE_RULES are dropped with a diagnostic, so they suppress nothing.
 */
export function parseIgnoreFile(text: string, options: ParseIgnoreFileOptions): IgnoreRules {
  const format = options.format ?? detectIgnoreFormat(options.file);
  switch (format) {
    case 'bulwarkignore':
      return capRules(parseBulwarkIgnore(text, options.file), options.file);
    case 'trivyignore':
      return capRules(parseTrivyIgnore(text, options.file), options.file);
    case 'trivyignore-yaml':
      return capRules(parseTrivyIgnoreYaml(text, options.file), options.file);
  }
}

function capRules(parsed: IgnoreRules, file: string): IgnoreRules {
  const rules: IgnoreRules['rules'] = [];
  let wildcards = 0;
  let dropped = 0;
  for (const rule of parsed.rules) {
    const wildcard = rule.id === undefined;
    if (rules.length >= MAX_IGNORE_RULES || (wildcard && wildcards >= MAX_WILDCARD_IGNORE_RULES)) {
      dropped += 1;
      continue;
    }
    if (wildcard) wildcards += 1;
    rules.push(rule);
  }
  if (dropped === 0) return parsed;

  const message =
    `rules not applied: ${dropped} of ${parsed.rules.length}, because the file exceeds the maximum of ${MAX_IGNORE_RULES} rules ` +
    `or ${MAX_WILDCARD_IGNORE_RULES} rules without an ID; merge rules or split the file`;
  return { ...parsed, rules, diagnostics: [...parsed.diagnostics, { target: file, message, code: 'LIMIT_EXCEEDED' }] };
}

export interface ReadIgnoreFileOptions {
  /** The format; detected from the file name when absent. */
  format?: IgnoreFileFormat;
  /** The maximum file size in bytes. Default: DEFAULT_MAX_IGNORE_FILE_BYTES (4 MiB). */
  maxBytes?: number;
  /**
   * Return an empty rule set when the file does not exist, for the default file names.
   * Default: false, because a file the user named must exist.
   */
  missingOk?: boolean;
}

/**
 * Reads and parses an ignore file. Throws an InputError with code NOT_FOUND for a missing file
 * (unless `missingOk`), IO for an unreadable one, and a LimitError for a file over `maxBytes`.
 */
export async function readIgnoreFile(path: string, options: ReadIgnoreFileOptions = {}): Promise<IgnoreRules> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IGNORE_FILE_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new UsageError(`invalid maxBytes ${maxBytes} for the ignore file: expected a positive integer`);
  }

  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError('IO', `ignore file ${path} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (options.missingOk === true) return { rules: [], diagnostics: [], files: [] };
      throw new InputError('NOT_FOUND', `ignore file ${path} not found: check the path given with --ignorefile`, { cause: error });
    }
    throw new InputError('IO', `failed to read ignore file ${path}: ${(error as Error).message}`, { cause: error });
  }

  if (size > maxBytes) {
    throw new LimitError(`ignore file ${path} is ${size} bytes, more than the maximum of ${maxBytes}; split it into several ignore files`);
  }

  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('IO', `failed to read ignore file ${path}: ${(error as Error).message}`, { cause: error });
  }
  // The file may have grown between stat and read.
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new LimitError(`ignore file ${path} is more than the maximum of ${maxBytes} bytes; split it into several ignore files`);
  }

  const parseOptions: ParseIgnoreFileOptions = { file: path };
  if (options.format !== undefined) parseOptions.format = options.format;
  return parseIgnoreFile(text, parseOptions);
}
