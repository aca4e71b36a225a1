import { parseHeredocs } from './heredocs.js';
import type { Heredoc } from './model.js';

/** The lines of one instruction, before its arguments are read. */
export interface InstructionSpan {
  /** The upper-case keyword; for an ONBUILD trigger, `ONBUILD`. */
  keyword: string;
  /** The trigger keyword of an ONBUILD instruction, upper-case. */
  trigger?: string;
  startLine: number;
  /** The last line of the command, before any heredoc body. */
  commandEndLine: number;
  /** The last line, heredoc bodies and their delimiters included. */
  endLine: number;
  heredocs: Heredoc[];
}

export interface SplitResult {
  /** Parser directives by lower-case name, such as `syntax` and `escape`. */
  directives: Map<string, string>;
  /** The line-continuation character: `\` or, with `# escape=\``, a backquote. */
  escape: string;
  spans: InstructionSpan[];
}

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/;

/** Instructions whose arguments may start heredocs (Dockerfile syntax 1.4 and later). */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/**
 * Splits a Dockerfile into instructions the way BuildKit's parser does. Parser directives count only
 * at the very top, and comment and blank lines are skipped. A trailing `\` (or the escape character)
 * continues a line, also across comment and blank lines. Heredoc bodies belong to their RUN, COPY
 * or ADD.
 */
export function splitInstructions(lines: string[]): SplitResult {
  const directives = new Map<string, string>();
  let index = 0;
  for (; index < lines.length; index++) {
    const match = DIRECTIVE.exec(lines[index] ?? '');
    const name = match?.[1]?.toLowerCase();
    if (match === null || name === undefined || directives.has(name)) break;
    directives.set(name, match[2] ?? '');
  }
  const escapeDirective = directives.get('escape');
  const escape = escapeDirective === '`' ? '`' : '\\';

  const spans: InstructionSpan[] = [];
  while (index < lines.length) {
    const trimmed = (lines[index] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      index++;
      continue;
    }

    const startLine = index + 1;
    const words = trimmed.split(/\s+/, 2);
    const keyword = (words[0] ?? '').toUpperCase();
    const trigger = keyword === 'ONBUILD' ? words[1]?.toUpperCase() : undefined;
    const scan = parseHeredocs(lines, { startLine, escape, heredocs: HEREDOC_KEYWORDS.has(trigger ?? keyword) });
    const last = scan.heredocs.at(-1);
    const endLine = last === undefined ? scan.commandEndLine : Math.min(lines.length, last.bodyStartLine + last.body.split('\n').length - (last.terminated ? 0 : 1));

    const span: InstructionSpan = { keyword, startLine, commandEndLine: scan.commandEndLine, endLine: Math.max(endLine, scan.commandEndLine), heredocs: scan.heredocs };
    if (trigger !== undefined) span.trigger = trigger;
    spans.push(span);
    index = span.endLine;
  }
  return { directives, escape, spans };
}
