/** One entry of a yarn v1 lock file: its descriptors, scalar fields and dependency sections. */
export interface YarnV1Entry {
  /** The `name@range` descriptors of the header line, unquoted. */
  descriptors: string[];
  /** The 1-based line of the header. */
  line: number;
  /** Scalar fields such as `version` and `resolved`, unquoted. */
  fields: Map<string, string>;
  /** Sections such as `dependencies`, mapping a package name to its range. */
  sections: Map<string, Map<string, string>>;
}

export interface YarnV1SyntaxError {
  line: number;
  message: string;
}

/**
 * Splits a yarn v1 lock file into entries. The format is yarn's own, close to YAML but not YAML:
 * an unindented header lists comma-separated descriptors and ends with `:`, two-space lines hold
 * `key value` fields or open a `key:` section, and four-space lines hold a section's
 * `name range` pairs. Values may be double-quoted. Lines that fit none of these are returned as
 * errors, and the reader moves on to the next line.
 */
export function parseYarnV1Syntax(text: string): { entries: YarnV1Entry[]; errors: YarnV1SyntaxError[] } {
  const entries: YarnV1Entry[] = [];
  const errors: YarnV1SyntaxError[] = [];
  let entry: YarnV1Entry | undefined;
  let section: Map<string, string> | undefined;

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const lineNumber = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;

    const indent = raw.length - raw.trimStart().length;
    const content = raw.trim();
    if (indent === 0) {
      if (!content.endsWith(':')) {
        errors.push({ line: lineNumber, message: 'expected an entry header ending with ":"' });
        entry = undefined;
        continue;
      }
      const descriptors = splitDescriptors(content.slice(0, -1));
      entry = { descriptors, line: lineNumber, fields: new Map(), sections: new Map() };
      entries.push(entry);
      section = undefined;
    } else if (entry === undefined) {
      // The header was invalid, and its error covers the indented lines below it.
      continue;
    } else if (indent === 2) {
      if (content.endsWith(':')) {
        section = new Map();
        entry.sections.set(unquote(content.slice(0, -1)), section);
        continue;
      }
      section = undefined;
      const pair = splitPair(content);
      if (pair === undefined) errors.push({ line: lineNumber, message: `expected "key value", found "${content}"` });
      else entry.fields.set(pair[0], pair[1]);
    } else if (indent === 4 && section !== undefined) {
      const pair = splitPair(content);
      if (pair === undefined) errors.push({ line: lineNumber, message: `expected "name range", found "${content}"` });
      else section.set(pair[0], pair[1]);
    } else {
      errors.push({ line: lineNumber, message: `unexpected indentation of ${indent} spaces` });
    }
  }
  return { entries, errors };
}

/** Splits `"a@^1", a@^2` into unquoted descriptors. */
function splitDescriptors(header: string): string[] {
  return header
    .split(/,\s*/)
    .map((descriptor) => unquote(descriptor.trim()))
    .filter((descriptor) => descriptor !== '');
}

/** Splits `key value` or `"key" "value"` at the first space outside quotes. */
function splitPair(content: string): [string, string] | undefined {
  let end: number;
  if (content.startsWith('"')) {
    const closing = content.indexOf('"', 1);
    if (closing === -1) return undefined;
    end = closing + 1;
  } else {
    end = content.indexOf(' ');
  }
  if (end <= 0 || end >= content.length) return undefined;
  const key = unquote(content.slice(0, end));
  const value = unquote(content.slice(end).trim());
  return [key, value];
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}
