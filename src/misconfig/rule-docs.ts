import type { RuleMetadata } from '../model/misconfiguration.js';

/**
 * Renders one rule's section of a generated rule page: ID heading, title, severity and aliases,
 * why it matters, how to fix it, and the bad and good examples in a fenced block of `language`.
 */
export function renderRuleSection(rule: RuleMetadata, options: { language: string; note?: string }): string[] {
  const aliases = rule.aliases.length > 0 ? `. Aliases: ${rule.aliases.join(', ')}` : '';
  const lines = ['', `## ${rule.id}`, '', `**${rule.title}**`, '', `Severity: ${rule.severity}${aliases}.${options.note ?? ''}`];
  lines.push('', `Why: ${rule.description}`, '', `Fix: ${rule.resolution}`);
  if (rule.examples !== undefined) {
    // Carriage returns and byte-order marks are shown by name, since Markdown would hide them.
    const bad = rule.examples.bad.replace(/\r/g, '\\r').replace(/\uFEFF/g, '<BOM>');
    lines.push('', 'Bad:', '', `\`\`\`${options.language}`, bad, '```', '', 'Good:', '', `\`\`\`${options.language}`, rule.examples.good, '```');
  }
  return lines;
}

/** Returns the Markdown anchor of a rule heading. */
export function ruleAnchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

/** Escapes text for a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
