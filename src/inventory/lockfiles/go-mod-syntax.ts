/** One directive line of a go.mod file, in a block or on its own. */
export interface GoModDirective {
  /** `module`, `go`, `require`, `replace`, `exclude`, `retract`, `toolchain`… */
  verb: string;
  /** The fields after the verb, unquoted, with the comment removed. */
  fields: string[];
  /** True when the line's comment is `// indirect` (or starts with `indirect;`). */
  indirect: boolean;
  /** The 1-based line number. */
  line: number;
}

/**
 * Splits a go.mod file into directives, unfolding blocks such as `require ( … )` into one
 * directive per line. Returns each line that fits no directive form as an error.
 */
export function parseGoModSyntax(text: string): { directives: GoModDirective[]; errors: { line: number; message: string }[] } {
  const directives: GoModDirective[] = [];
  const errors: { line: number; message: string }[] = [];
  let blockVerb: string | undefined;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const commentStart = raw.indexOf('//');
    const comment = commentStart === -1 ? '' : raw.slice(commentStart + 2).trim();
    const code = (commentStart === -1 ? raw : raw.slice(0, commentStart)).trim();
    if (code === '') return;

    const tokens = tokenize(code);
    if (tokens === undefined) {
      errors.push({ line, message: `unterminated quoted string in "${code}"` });
      return;
    }
    // The go command writes `// indirect` and accepts `// indirect; other comment`.
    const indirect = comment === 'indirect' || comment.startsWith('indirect;');

    if (blockVerb !== undefined) {
      if (code === ')') blockVerb = undefined;
      else directives.push({ verb: blockVerb, fields: tokens, indirect, line });
      return;
    }
    const [verb, ...fields] = tokens;
    if (verb === undefined) return;
    if (fields.length === 1 && fields[0] === '(') {
      blockVerb = verb;
      return;
    }
    directives.push({ verb, fields, indirect, line });
  });

  if (blockVerb !== undefined) errors.push({ line: text.split(/\r?\n/).length, message: `the "${blockVerb} (" block is not closed with ")"` });
  return { directives, errors };
}

/** Splits on whitespace, keeping `"…"` and `` `…` `` strings whole and unquoted. */
function tokenize(code: string): string[] | undefined {
  const tokens: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of code.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push(match[1].replace(/\\(.)/g, '$1'));
    else if (match[2] !== undefined) tokens.push(match[2]);
    else if (match[3] !== undefined) {
      if (match[3].startsWith('"') || match[3].startsWith('`')) return undefined;
      tokens.push(match[3]);
    }
  }
  return tokens;
}
