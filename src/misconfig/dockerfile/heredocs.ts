import type { Heredoc } from './model.js';

/** A heredoc operator: `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`, but not the here-string `<<<`. */
const HEREDOC_OPERATOR = /(?<!<)<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;

export interface HeredocScan {
  heredocs: Heredoc[];
  /** The 1-based last line of the command before the first body. */
  commandEndLine: number;
}

/**
 * Finds where the command of the instruction at `startLine` ends, then (when `heredocs` is set) the
 * heredocs it starts, and reads their bodies one after
 * the other as BuildKit does (`RUN <<A <<B` has A's body, then B's). A body runs to a line equal to
 * its delimiter; with `<<-`, leading tabs are removed first. A file that ends first gives an
 * unterminated heredoc.
 */
export function parseHeredocs(lines: string[], options: { startLine: number; escape: string; heredocs: boolean }): HeredocScan {
  let commandEndLine = options.startLine;
  const commandParts: string[] = [];
  for (let line = options.startLine; line <= lines.length; line++) {
    const content = lines[line - 1] ?? '';
    commandEndLine = line;
    if (line > options.startLine && (content.trim() === '' || content.trimStart().startsWith('#'))) continue;
    const trimmed = content.trimEnd();
    if (!trimmed.endsWith(options.escape)) {
      commandParts.push(content);
      break;
    }
    commandParts.push(trimmed.slice(0, -1));
  }

  const heredocs: Heredoc[] = [];
  if (!options.heredocs) return { heredocs, commandEndLine };
  let cursor = commandEndLine + 1;
  for (const match of commandParts.join(' ').matchAll(HEREDOC_OPERATOR)) {
    const stripTabs = match[1] === '-';
    const name = match[3] ?? '';
    const body: string[] = [];
    const bodyStartLine = cursor;
    let terminated = false;
    while (cursor <= lines.length) {
      const raw = lines[cursor - 1] ?? '';
      cursor++;
      const content = stripTabs ? raw.replace(/^\t+/, '') : raw;
      if (content === name) {
        terminated = true;
        break;
      }
      body.push(content);
    }
    heredocs.push({ name, body: body.join('\n'), bodyStartLine, terminated });
    if (!terminated) break;
  }
  return { heredocs, commandEndLine };
}
