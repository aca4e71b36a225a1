import type { Misconfiguration, RuleMetadata } from '../model/misconfiguration.js';
import type { PackageClass } from '../model/package.js';
import type { Severity } from '../model/severity.js';
import type { Vulnerability } from '../model/vulnerability.js';
import { compareText, sortedStrings } from './sort.js';

/**
 * SARIF reportingDescriptor objects (`runs[].tool.driver.rules[]`) for vulnerabilities and
 * misconfigurations, with the properties GitHub code scanning reads: `tags` (which must include
 * `security` for `security-severity` to count), `precision` and `security-severity`.
 */

export type SarifValue = string | number | boolean | SarifValue[] | { [key: string]: SarifValue };
export type SarifObject = { [key: string]: SarifValue };

/** Returns the SARIF `level` of a severity, as Trivy's SARIF writer maps them. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  if (severity === 'MEDIUM') return 'warning';
  return 'note';
}

/**
 * Scores for findings without a CVSS score, the values Trivy's SARIF writer uses. GitHub code
 * scanning shows a `security-severity` over 9.0 as critical, 7.0 to 8.9 as high, 4.0 to 6.9 as
 * medium and 0.1 to 3.9 as low, so CRITICAL gets 9.5 rather than 9.0.
 */
const SEVERITY_SCORES: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' };

/**
 * Returns the `security-severity` of a vulnerability: the base score of the newest CVSS version
 * the advisory gives, else the score for its severity.
 */
export function vulnerabilitySecuritySeverity(vulnerability: Vulnerability): string {
  const cvss = vulnerability.cvss ?? {};
  const versions = Object.keys(cvss).sort((a, b) => Number(b) - Number(a) || compareText(b, a));
  const score = versions.length === 0 ? undefined : cvss[versions[0]!]!.score;
  if (score === undefined || !Number.isFinite(score) || score < 0 || score > 10) return SEVERITY_SCORES[vulnerability.severity];
  return score.toFixed(1);
}

/** Returns a code fence that no backtick run inside `text` can close, around `text`. */
function fenced(text: string, language: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Returns a SARIF rule `name` in Pascal case from a title: "Last USER is root" gives `LastUserIsRoot`. */
export function ruleName(title: string, fallback: string): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase()).join('');
  return name === '' ? fallback : name;
}

/** Builds the rule of one vulnerability ID from the first finding of that ID. */
export function vulnerabilityRule(vulnerability: Vulnerability, resultClass: PackageClass): SarifObject {
  const references = sortedStrings(vulnerability.references ?? []);
  // Prefer the advisory's own page (NVD, GHSA, RUSTSEC) over a changelog or a package page.
  const ids = [vulnerability.id, ...sortedStrings(vulnerability.aliases)];
  const helpUri = ids.map((id) => references.find((reference) => reference.includes(id))).find((uri) => uri !== undefined) ?? references[0];
  const title = vulnerability.title ?? vulnerability.id;
  const description = vulnerability.description ?? title;
  const aliases = sortedStrings(vulnerability.aliases);

  const textLines = [`Vulnerability ${vulnerability.id}`, `Severity: ${vulnerability.severity}`];
  if (aliases.length > 0) textLines.push(`Aliases: ${aliases.join(', ')}`);
  textLines.push('', description);
  if (references.length > 0) textLines.push('', 'References:', ...references.map((reference) => `- ${reference}`));

  const markdown = [
    '| Vulnerability | Severity | Aliases |',
    '| --- | --- | --- |',
    `| ${escapeCell(vulnerability.id)} | ${vulnerability.severity} | ${escapeCell(aliases.join(', '))} |`,
    '',
    escapeMarkdown(description),
  ];
  if (references.length > 0) markdown.push('', '**References**', '', ...references.map((reference) => `- <${reference}>`));

  return {
    id: vulnerability.id,
    name: resultClass === 'os-pkgs' ? 'OsPackageVulnerability' : 'LanguageSpecificPackageVulnerability',
    shortDescription: { text: title },
    fullDescription: { text: description },
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { level: sarifLevel(vulnerability.severity) },
    help: { text: textLines.join('\n'), markdown: markdown.join('\n') },
    properties: {
      tags: ['vulnerability', 'security', vulnerability.severity],
      precision: 'very-high',
      'security-severity': vulnerabilitySecuritySeverity(vulnerability),
    },
  };
}

/** The language of code fences for examples, by config type. */
const EXAMPLE_LANGUAGES: Record<string, string> = { dockerfile: 'dockerfile', kubernetes: 'yaml' };

/**
 * Builds the rule of one misconfiguration ID. Uses the rule's metadata when the report has it,
 * else the fields of the first finding with that ID.
 */
export function misconfigurationRule(finding: Misconfiguration, configType: string, metadata: RuleMetadata | undefined): SarifObject {
  const title = metadata?.title ?? finding.title;
  const description = metadata?.description ?? finding.title;
  const resolution = metadata?.resolution ?? finding.resolution;
  const severity = metadata?.severity ?? finding.severity;
  const aliases = sortedStrings(metadata?.aliases ?? finding.aliases);
  const helpUri = metadata?.helpUri ?? sortedStrings(finding.references ?? [])[0];
  const language = EXAMPLE_LANGUAGES[configType] ?? '';

  const textLines = [description];
  if (aliases.length > 0) textLines.push('', `Aliases: ${aliases.join(', ')}`);
  if (resolution !== undefined) textLines.push('', `How to fix: ${resolution}`);
  const markdown = [`**${escapeMarkdown(title)}**`, '', escapeMarkdown(description)];
  if (aliases.length > 0) markdown.push('', `Aliases: ${aliases.map((alias) => `\`${alias.replace(/`/g, '')}\``).join(', ')}`);
  if (resolution !== undefined) markdown.push('', `**How to fix:** ${escapeMarkdown(resolution)}`);

  const examples = metadata?.examples;
  if (examples !== undefined) {
    textLines.push('', 'Bad:', examples.bad, '', 'Good:', examples.good);
    markdown.push('', 'Bad:', '', fenced(examples.bad, language), '', 'Good:', '', fenced(examples.good, language));
  }
  if (helpUri !== undefined) {
    textLines.push('', `More: ${helpUri}`);
    markdown.push('', `More: <${helpUri}>`);
  }

  const properties: SarifObject = {
    tags: ['misconfiguration', 'security', configType, severity],
    precision: 'very-high',
    'security-severity': SEVERITY_SCORES[severity],
  };
  if (aliases.length > 0) properties.aliases = aliases;

  return {
    id: finding.id,
    name: ruleName(title, finding.id),
    shortDescription: { text: title },
    fullDescription: { text: description },
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { level: sarifLevel(severity) },
    help: { text: textLines.join('\n'), markdown: markdown.join('\n') },
    properties,
  };
}

/** Escapes the characters that start Markdown syntax or HTML in prose. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (char) => `\\${char}`);
}

/** Escapes text for a Markdown table cell. */
function escapeCell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, ' ');
}
