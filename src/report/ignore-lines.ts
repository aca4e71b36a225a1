import type { Diagnostic } from '../model/diagnostic.js';
import { compileGlob } from './glob.js';
import type { IgnoreRule, IgnoreRules } from './ignore-rule.js';
import { isPurl, parsePurlPattern } from './purl-pattern.js';

/**
 * Parsers for the two line-based ignore formats. docs/ignore-file.md documents the syntax of
 * `.bulwarkignore`. In short, it has one rule per line:
 *
 *     <ID or *> [exp:YYYY-MM-DD] [pkg:<purl or name>]... [path:<glob>]... [# statement]
 *
 * `.trivyignore` is Trivy's format: an ID, optionally `exp:YYYY-MM-DD`, and fields that Trivy
 * skips. Both formats skip blank lines and lines that start with `#`.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The key prefixes that `.bulwarkignore` accepts after the ID. */
const SCOPE_KEYS = ['exp:', 'pkg:', 'path:'] as const;

/** Returns the date when the text is a valid calendar date written `YYYY-MM-DD`, else undefined. */
export function parseIsoDate(text: string): string | undefined {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? text : undefined;
}

/** Builds a diagnostic for one line of an ignore file. */
export function lineDiagnostic(file: string, line: number, message: string): Diagnostic {
  return { target: `${file}:${line}`, message, code: 'FORMAT_INVALID' };
}

interface SplitLine {
  /** 1-based line number. */
  line: number;
  fields: string[];
  /** The text after ` #`, trimmed; absent when there is no trailing comment. */
  comment?: string;
}

/** Splits text into the non-blank, non-comment lines, each cut into whitespace-separated fields. */
function splitLines(text: string): SplitLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const result: SplitLine[] = [];
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;

    // A trailing comment starts at a `#` preceded by whitespace, so `#` inside a purl subpath stays.
    const commentStart = trimmed.search(/\s#/);
    const body = commentStart < 0 ? trimmed : trimmed.slice(0, commentStart);
    const comment = commentStart < 0 ? undefined : trimmed.slice(commentStart).trim().slice(1).trim();
    result.push({ line: index + 1, fields: body.split(/\s+/), ...(comment ? { comment } : {}) });
  });
  return result;
}

/**
 * Parses a `.bulwarkignore` file. A line with an invalid field is skipped as a whole with a
 * diagnostic, because applying the rest of it could suppress more than its author meant.
 */
export function parseBulwarkIgnore(text: string, file: string): IgnoreRules {
  const rules: IgnoreRule[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const { line, fields, comment } of splitLines(text)) {
    const fail = (message: string): void => {
      diagnostics.push(lineDiagnostic(file, line, `${message}; the rule on this line is skipped`));
    };

    const [id, ...scopes] = fields as [string, ...string[]];
    if (SCOPE_KEYS.some((key) => id.startsWith(key))) {
      fail(`the line starts with "${id}" but must start with a finding ID or "*"`);
      continue;
    }

    const rule: IgnoreRule = { kind: 'any', paths: [], purls: [], packageNames: [], source: { file, line } };
    if (id !== '*') rule.id = id;
    if (comment !== undefined) rule.statement = comment;

    const error = applyScopes(rule, scopes);
    if (error !== undefined) {
      fail(error);
      continue;
    }
    if (rule.id === undefined && rule.paths.length + rule.purls.length + rule.packageNames.length === 0) {
      fail('"*" needs at least one pkg: or path: scope, else it would ignore every finding');
      continue;
    }
    rules.push(rule);
  }

  return { rules, diagnostics, files: [file] };
}

/** Adds each `key:value` field to the rule. Returns an error message for the first invalid field. */
function applyScopes(rule: IgnoreRule, fields: string[]): string | undefined {
  for (const field of fields) {
    if (field.startsWith('exp:')) {
      const date = parseIsoDate(field.slice(4));
      if (date === undefined) return `invalid expiry "${field}": write exp:YYYY-MM-DD with a real calendar date`;
      if (rule.expiresOn !== undefined) return `more than one exp: field ("${field}")`;
      rule.expiresOn = date;
    } else if (field.startsWith('pkg:')) {
      if (field.length === 4) return 'empty pkg: scope: write pkg:<purl> or pkg:<package name>';
      if (isPurl(field)) rule.purls.push(parsePurlPattern(field));
      else rule.packageNames.push(field.slice(4));
    } else if (field.startsWith('path:')) {
      const pattern = field.slice(5);
      if (pattern === '') return 'empty path: scope: write path:<path or glob>';
      try {
        rule.paths.push(compileGlob(pattern));
      } catch (error) {
        return `invalid path glob "${pattern}": ${(error as Error).message}`;
      }
    } else {
      return `unknown field "${field}": expected exp:, pkg:, path: or a "#" comment`;
    }
  }
  return undefined;
}

/**
 * Parses Trivy's `.trivyignore`. As in Trivy, an ID applies to every kind of finding, a line with
 * an invalid `exp:` date is skipped, and other fields are ignored. Bulwark also reports each
 * ignored field as a diagnostic, because a scope written there is not applied.
 */
export function parseTrivyIgnore(text: string, file: string): IgnoreRules {
  const rules: IgnoreRule[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const { line, fields, comment } of splitLines(text)) {
    const [id, ...rest] = fields as [string, ...string[]];
    const rule: IgnoreRule = { kind: 'any', id, paths: [], purls: [], packageNames: [], source: { file, line } };
    if (comment !== undefined) rule.statement = comment;

    let valid = true;
    for (const field of rest) {
      if (field.startsWith('exp:')) {
        const date = parseIsoDate(field.slice(4));
        if (date === undefined) {
          diagnostics.push(lineDiagnostic(file, line, `invalid expiry "${field}": write exp:YYYY-MM-DD; the rule on this line is skipped`));
          valid = false;
          break;
        }
        // Trivy uses the first exp: field of a line.
        rule.expiresOn ??= date;
      } else {
        diagnostics.push(lineDiagnostic(file, line, `field "${field}" is ignored: .trivyignore supports only an ID and exp:YYYY-MM-DD; use .trivyignore.yaml or .bulwarkignore for path and package scopes`));
      }
    }
    if (valid) rules.push(rule);
  }

  return { rules, diagnostics, files: [file] };
}
