/**
 * Parses a Java `.properties` file (the format of Maven's `pom.properties`) as
 * `java.util.Properties.load` reads it. Lines starting with `#` or `!` are comments. A key ends
 * at an unescaped `=`, `:` or whitespace. An odd number of trailing backslashes continues a line,
 * and the escapes `\t \n \r \f \uXXXX` are decoded. A later duplicate key wins, as in Java.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);

  for (let i = 0; i < lines.length; i++) {
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithOddBackslashes(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }

    const separator = findKeyEnd(logical);
    const key = unescape(logical.slice(0, separator));
    let rest = logical.slice(separator).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    properties.set(key, unescape(rest));
  }
  return properties;
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** Returns the index of the first unescaped `=`, `:` or whitespace, or the line length. */
function findKeyEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\') i++;
    else if (char === '=' || char === ':' || char === ' ' || char === '\t' || char === '\f') return i;
  }
  return line.length;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ESCAPES[escape] ?? escape;
  });
}
