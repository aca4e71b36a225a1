/** One simple command of a shell script, with quotes removed from its words. */
export interface ShellCommand {
  /** The command name with any directory removed (`/usr/bin/apt-get` becomes `apt-get`). */
  name: string;
  /** The words after the name, redirections left out. */
  args: string[];
  /** True when the command's output goes into a pipe (`curl … |`). */
  pipesOut: boolean;
  /** True when the command reads from a pipe (`| sh`). */
  pipesIn: boolean;
  /** Wrappers that ran the command, such as `sudo` or `env`. */
  wrappers: string[];
}

/** Words that start a compound command or negate one; the real command follows them. */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', '(', ')', 'time', 'exec', 'fi', 'done', 'esac']);

/** Wrappers that run their arguments as the command: `sudo apt-get`, `env X=1 pip`. */
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'command', 'xargs']);

/** A run of characters with no quoting, expansion, operator or blank among them. */
const PLAIN_RUN = /[^\\'"$`#\n \t&|;()<>]+/y;

interface Token {
  word: string;
  operator?: string;
}

/**
 * Splits a POSIX shell script into simple commands. This is a linter's view, not a shell: it
 * removes quotes, honours backslash-newline, skips heredoc bodies and keeps `$(…)` and backquoted
 * text inside the word it belongs to, without looking into it.
 */
export function parseShellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let pipesIn = false;

  const finish = (operator: string) => {
    const command = toCommand(words, { pipesIn, pipesOut: operator === '|' });
    if (command !== undefined) commands.push(command);
    pipesIn = operator === '|';
    words = [];
  };

  for (const token of tokenize(script)) {
    if (token.operator === undefined) words.push(token.word);
    else finish(token.operator);
  }
  finish('');
  return commands;
}

function toCommand(words: string[], pipes: { pipesIn: boolean; pipesOut: boolean }): ShellCommand | undefined {
  let index = 0;
  const wrappers: string[] = [];
  const isWrapperOption = (word: string) => word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
  while (index < words.length) {
    const word = words[index] ?? '';
    if (LEADING_KEYWORDS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      index++;
      continue;
    }
    if (WRAPPERS.has(word)) {
      wrappers.push(word);
      index++;
      while (index < words.length && isWrapperOption(words[index] ?? '')) index++;
      continue;
    }
    break;
  }
  const rest = words.slice(index);
  const [first, ...args] = rest;
  if (first === undefined) return undefined;
  const name = first.slice(first.lastIndexOf('/') + 1);
  return { name, args, wrappers, ...pipes };
}

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const pendingHeredocs: { name: string; stripTabs: boolean }[] = [];
  let i = 0;

  const flush = () => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };

  while (i < script.length) {
    PLAIN_RUN.lastIndex = i;
    const plain = PLAIN_RUN.exec(script);
    if (plain !== null) {
      word += plain[0];
      inWord = true;
      i += plain[0].length;
      continue;
    }
    const char = script[i] ?? '';
    const next = script[i + 1] ?? '';

    if (char === '\\') {
      if (next === '\n') i += 2;
      else {
        word += next;
        inWord = true;
        i += 2;
      }
      continue;
    }
    if (char === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (char === '"') {
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length) {
          const escaped = script[i + 1] ?? '';
          // Inside double quotes a backslash escapes only $ ` " \ and newline (which it removes).
          // Before any other character the backslash stays.
          if ('$`"\\'.includes(escaped)) word += escaped;
          else if (escaped !== '\n') word += `\\${escaped}`;
          i += 2;
        } else {
          word += script[i];
          i++;
        }
      }
      inWord = true;
      i++;
      continue;
    }
    if (char === '$' && next === '(' ) {
      const end = matchingParen(script, i + 1);
      word += script.slice(i, end + 1);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (char === '`') {
      const end = script.indexOf('`', i + 1);
      const stop = end === -1 ? script.length : end;
      word += script.slice(i, stop + 1);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (char === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (char === '\n') {
      flush();
      tokens.push({ word: '', operator: '\n' });
      i++;
      i = skipHeredocBodies(script, i, pendingHeredocs);
      continue;
    }
    if (char === ' ' || char === '\t') {
      flush();
      i++;
      continue;
    }
    if ('&|;'.includes(char)) {
      const double = (char === '&' || char === '|' || char === ';') && next === char;
      if (char === '&' && next === '>') {
        word += char;
        inWord = true;
        i++;
        continue;
      }
      flush();
      tokens.push({ word: '', operator: double ? char + char : char });
      i += double ? 2 : 1;
      continue;
    }
    if (char === '(' || char === ')') {
      flush();
      tokens.push({ word: '', operator: char });
      i++;
      continue;
    }
    if (char === '<' || char === '>') {
      // A redirection: drop the operator and its target word, but remember heredoc delimiters.
      const isWordStart = !inWord || /^\d+$/.test(word);
      if (isWordStart) {
        word = '';
        inWord = false;
        let j = i;
        while (j < script.length && '<>&-|'.includes(script[j] ?? '')) j++;
        const operator = script.slice(i, j);
        while (script[j] === ' ' || script[j] === '\t') j++;
        const targetStart = j;
        while (j < script.length && !' \t\n;&|()'.includes(script[j] ?? '')) j++;
        const target = script.slice(targetStart, j);
        if (operator.startsWith('<<') && !operator.startsWith('<<<')) {
          pendingHeredocs.push({ name: target.replace(/["'\\]/g, ''), stripTabs: operator.startsWith('<<-') });
        }
        i = j;
        continue;
      }
    }
    word += char;
    inWord = true;
    i++;
  }
  flush();
  return tokens;
}

function matchingParen(script: string, open: number): number {
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    if (script[i] === '(') depth++;
    else if (script[i] === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return script.length - 1;
}

function skipHeredocBodies(script: string, start: number, pending: { name: string; stripTabs: boolean }[]): number {
  let i = start;
  while (pending.length > 0) {
    const heredoc = pending.shift();
    if (heredoc === undefined) break;
    while (i < script.length) {
      const end = script.indexOf('\n', i);
      const stop = end === -1 ? script.length : end;
      const line = script.slice(i, stop);
      i = stop + 1;
      if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.name) break;
    }
  }
  return i;
}
