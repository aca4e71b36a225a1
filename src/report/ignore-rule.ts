import type { Diagnostic } from '../model/diagnostic.js';
import type { Misconfiguration } from '../model/misconfiguration.js';
import type { Package } from '../model/package.js';
import type { Vulnerability } from '../model/vulnerability.js';
import type { Glob } from './glob.js';
import { normalizeGlobPath } from './glob.js';
import type { PurlPattern } from './purl-pattern.js';
import { matchPurl } from './purl-pattern.js';
import type { RuleSource } from './types.js';

/**
 * The kind of finding an ignore rule applies to. `any` comes from `.trivyignore` and
 * `.bulwarkignore`, where an ID line applies to every kind, as in Trivy.
 */
export type IgnoreRuleKind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license' | 'any';

/**
 * One parsed ignore rule. A finding is suppressed when every scope that the rule sets matches:
 * the ID (or any of the finding's aliases), at least one path glob, and at least one purl
 * pattern or package name. A rule without an ID (written `*` in `.bulwarkignore`) has at least
 * one scope, because the parsers reject rules that would match everything.
 */
export interface IgnoreRule {
  kind: IgnoreRuleKind;
  /** The finding ID, compared case-insensitively with the ID and aliases; absent for any ID. */
  id?: string;
  paths: Glob[];
  purls: PurlPattern[];
  /** Package names, compared with the package name and its source package name. */
  packageNames: string[];
  /** The first day on which the rule no longer applies, `YYYY-MM-DD` in UTC. */
  expiresOn?: string;
  statement?: string;
  source?: RuleSource;
}

/** The rules of one or more ignore files and the problems found while parsing them. */
export interface IgnoreRules {
  rules: IgnoreRule[];
  diagnostics: Diagnostic[];
  /** The files the rules came from, in the order given. */
  files: string[];
}

/** Concatenates rule sets, keeping the order of files and rules. */
export function mergeIgnoreRules(...sets: IgnoreRules[]): IgnoreRules {
  return {
    rules: sets.flatMap((set) => set.rules),
    diagnostics: sets.flatMap((set) => set.diagnostics),
    files: sets.flatMap((set) => set.files),
  };
}

/**
 * Returns whether the rule's expiry date has passed at `now`: after 00:00 UTC on that date, as
 * Trivy compares `expired_at`.
 */
export function isRuleExpired(rule: IgnoreRule, now: Date): boolean {
  if (rule.expiresOn === undefined) return false;
  return now.getTime() > Date.parse(`${rule.expiresOn}T00:00:00Z`);
}

/** The finding, result target and package that a vulnerability rule is compared with. */
export interface VulnerabilityContext {
  vulnerability: Vulnerability;
  /** The result target: the lock file, the package database, the language directory. */
  target: string;
  /** The package the vulnerability was found in, when the result lists it. */
  pkg?: Package;
}

/** Returns whether the rule suppresses the vulnerability. Expiry is checked by the caller. */
export function matchVulnerabilityRule(rule: IgnoreRule, context: VulnerabilityContext): boolean {
  if (rule.kind !== 'vulnerability' && rule.kind !== 'any') return false;

  const { vulnerability, target, pkg } = context;
  if (rule.id !== undefined) {
    const expected = rule.id.toUpperCase();
    const ids = [vulnerability.id, ...vulnerability.aliases];
    if (!ids.some((id) => id.toUpperCase() === expected)) return false;
  }

  // The package scope is checked before paths because it costs less.
  if (rule.purls.length + rule.packageNames.length > 0 && !matchPackageScope(rule, context)) return false;

  if (rule.paths.length > 0) {
    const candidates = [target, vulnerability.pkgPath, pkg?.path].filter((path): path is string => path !== undefined);
    const paths = candidates.map(normalizeGlobPath);
    if (!rule.paths.some((glob) => paths.some((path) => glob.matches(path)))) return false;
  }

  return true;
}

/**
 * Returns whether any purl pattern or package name of the rule matches. Both come from `pkg:`
 * fields, so they form one scope. Unlike Trivy, a finding without a purl never matches a purl
 * pattern, because a scope must only narrow a rule.
 */
function matchPackageScope(rule: IgnoreRule, context: VulnerabilityContext): boolean {
  const { vulnerability, pkg } = context;
  const purls = [vulnerability.purl, pkg?.purl].filter((purl): purl is string => purl !== undefined);
  if (rule.purls.some((pattern) => purls.some((purl) => matchPurl(pattern, purl)))) return true;

  const names = [vulnerability.pkgName, pkg?.name, pkg?.srcName].filter((name): name is string => name !== undefined);
  return rule.packageNames.some((name) => names.includes(name));
}

/** The finding and result target that a misconfiguration rule is compared with. */
export interface MisconfigurationContext {
  misconfiguration: Misconfiguration;
  /** The result target: the config file relative to the scanned root. */
  target: string;
}

/**
 * Returns whether the rule suppresses the misconfiguration. The ID is compared with the
 * finding's ID and aliases, so `DL3008` matches a finding that lists hadolint's code as an alias.
 * Path globs are compared with the result target and the finding's location path. A rule with a
 * package scope never matches, because a misconfiguration has no package and a scope must only
 * narrow a rule. Expiry is checked by the caller.
 */
export function matchMisconfigurationRule(rule: IgnoreRule, context: MisconfigurationContext): boolean {
  if (rule.kind !== 'misconfiguration' && rule.kind !== 'any') return false;
  if (rule.purls.length + rule.packageNames.length > 0) return false;

  const { misconfiguration, target } = context;
  if (rule.id !== undefined) {
    const expected = rule.id.toUpperCase();
    const ids = [misconfiguration.id, ...misconfiguration.aliases];
    if (!ids.some((id) => id.toUpperCase() === expected)) return false;
  }

  if (rule.paths.length > 0) {
    const candidates = [target, misconfiguration.location?.path].filter((path): path is string => path !== undefined);
    const paths = candidates.map(normalizeGlobPath);
    if (!rule.paths.some((glob) => paths.some((path) => glob.matches(path)))) return false;
  }

  return true;
}

/** Returns the ID to show for a rule: its ID, or `*` for a rule scoped only by path or package. */
export function ruleLabel(rule: IgnoreRule): string {
  return rule.id ?? '*';
}
