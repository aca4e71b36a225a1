import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { compileGlob } from './glob.js';
import { lineDiagnostic, parseIsoDate } from './ignore-lines.js';
import type { IgnoreRule, IgnoreRuleKind, IgnoreRules } from './ignore-rule.js';
import { parsePurlPattern } from './purl-pattern.js';

/** The top-level lists of `.trivyignore.yaml` and the kind of finding each one applies to. */
const SECTIONS: Record<string, IgnoreRuleKind> = {
  vulnerabilities: 'vulnerability',
  misconfigurations: 'misconfiguration',
  secrets: 'secret',
  licenses: 'license',
};

const ENTRY_KEYS = new Set(['id', 'paths', 'purls', 'expired_at', 'statement']);

/** The maximum number of aliases (`*name`) that one file may use, as a cap on expansion. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses Trivy's `.trivyignore.yaml`: lists of entries with `id`, `paths` (globs), `purls`,
 * `expired_at` and `statement`, under `vulnerabilities`, `misconfigurations`, `secrets` and
 * `licenses`. As in recent Trivy, `id` may be omitted when `paths` or `purls` scope the entry.
 *
 * Unlike Trivy, an entry with an unknown key (such as `path:` for `paths:`) is skipped with a
 * diagnostic instead of applying without the misspelled scope. A file with YAML syntax errors
 * yields no rules at all, so that a broken file never hides findings.
 */
export function parseTrivyIgnoreYaml(text: string, file: string): IgnoreRules {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (node: { range?: unknown } | null | undefined): number => {
    const range = node?.range as [number, number, number] | undefined;
    return range === undefined ? 1 : lineCounter.linePos(range[0]).line;
  };

  if (document.errors.length > 0) {
    const diagnostics = document.errors.map((error) => {
      const line = lineCounter.linePos(error.pos[0]).line;
      const reason = error.message.split('\n')[0]!;
      return lineDiagnostic(file, line, `invalid YAML: ${reason}; no rule of this file is applied`);
    });
    return { rules: [], diagnostics, files: [file] };
  }

  const rules: IgnoreRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const resolve = aliasResolver(document);
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { rules, diagnostics, files: [file] };
  if (!isMap(root)) {
    diagnostics.push(lineDiagnostic(file, lineOf(root), 'the document must be a mapping with vulnerabilities, misconfigurations, secrets or licenses lists'));
    return { rules, diagnostics, files: [file] };
  }

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const kind = SECTIONS[key];
    const value = resolve(pair.value as Node | null);
    if (kind === undefined) {
      diagnostics.push(lineDiagnostic(file, lineOf(pair.key as Node), `unknown section "${key}" is ignored: expected vulnerabilities, misconfigurations, secrets or licenses`));
      continue;
    }
    // An empty section (`secrets:` with nothing after it) is common in real files.
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isSeq(value)) {
      diagnostics.push(lineDiagnostic(file, lineOf(value), `"${key}" must be a list of entries`));
      continue;
    }

    for (const entry of value.items as Node[]) {
      const line = lineOf(entry);
      const item = resolve(entry);
      if (!isMap(item)) {
        diagnostics.push(lineDiagnostic(file, line, `each entry of "${key}" must be a mapping with an id; the entry is skipped`));
        continue;
      }
      const result = parseEntry(item, kind, { file, line }, resolve);
      if (typeof result === 'string') diagnostics.push(lineDiagnostic(file, line, `${result}; the entry is skipped`));
      else rules.push(result);
    }
  }

  if (resolve.count > MAX_ALIAS_COUNT) {
    const message = `the file uses ${resolve.count} YAML aliases, more than the maximum of ${MAX_ALIAS_COUNT}; no rule of this file is applied`;
    return { rules: [], diagnostics: [lineDiagnostic(file, 1, message)], files: [file] };
  }
  return { rules, diagnostics, files: [file] };
}

/** Builds a rule from one entry, or returns the reason the entry is invalid. */
function parseEntry(entry: YAMLMap, kind: IgnoreRuleKind, source: { file: string; line: number }, resolve: Resolve): IgnoreRule | string {
  const rule: IgnoreRule = { kind, paths: [], purls: [], packageNames: [], source };

  for (const pair of entry.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!ENTRY_KEYS.has(key)) return `unknown key "${key}": expected id, paths, purls, expired_at or statement`;
    const value = resolve(pair.value as Node | null);

    if (key === 'id' || key === 'statement') {
      const text = scalarText(value);
      if (text === undefined || text === '') return `"${key}" must be a non-empty string`;
      if (key === 'id') rule.id = text;
      else rule.statement = text;
    } else if (key === 'expired_at') {
      const text = scalarText(value);
      const date = text === undefined ? undefined : parseIsoDate(text);
      if (date === undefined) return `invalid expired_at "${text ?? ''}": write a date as YYYY-MM-DD`;
      rule.expiresOn = date;
    } else {
      const items = stringList(value, resolve);
      if (items === undefined) return `"${key}" must be a list of strings`;
      for (const item of items) {
        try {
          if (key === 'paths') rule.paths.push(compileGlob(item));
          else rule.purls.push(parsePurlPattern(item));
        } catch (error) {
          return `invalid ${key === 'paths' ? 'path glob' : 'purl'} "${item}": ${(error as Error).message}`;
        }
      }
    }
  }

  if (rule.id === undefined && rule.paths.length === 0 && rule.purls.length === 0) {
    return 'an entry needs an id, paths or purls, else it would ignore every finding';
  }
  return rule;
}

/** Replaces an alias by the node its anchor names, and counts the aliases resolved. */
type Resolve = ((node: Node | null) => Node | null) & { count: number };

/**
 * Returns a resolver for the aliases (`*name`) of the document. Past MAX_ALIAS_COUNT aliases it
 * returns null, so a file of aliases to large lists cannot multiply the work.
 */
function aliasResolver(document: Document): Resolve {
  const resolve = ((node: Node | null): Node | null => {
    if (!isAlias(node)) return node;
    resolve.count += 1;
    if (resolve.count > MAX_ALIAS_COUNT) return null;
    return (node.resolve(document) as Node | undefined) ?? null;
  }) as Resolve;
  resolve.count = 0;
  return resolve;
}

function scalarText(node: Node | null): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function stringList(node: Node | null, resolve: Resolve): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const items: string[] = [];
  for (const item of node.items as Node[]) {
    const text = scalarText(resolve(item));
    if (text === undefined || text === '') return undefined;
    items.push(text);
  }
  return items;
}
