import type { DiagnosticList } from './diagnostic-list.js';

/** One paragraph of a Debian control-style file. */
export interface Deb822Stanza {
  /** Field values keyed by the lower-cased field name. Continuation lines are joined with `\n`. */
  fields: Map<string, string>;
  /** The 1-based line number where the stanza starts, for diagnostics. */
  line: number;
}

export interface Deb822Options {
  /** Lower-cased names of the fields to keep. Default: every field. Skipping `Description` saves memory on large files. */
  keepFields?: ReadonlySet<string>;
  diagnostics?: DiagnosticList;
}

/** A field name is printable ASCII without a colon and does not start with `#` or `-` (deb822(5)). */
const FIELD_LINE = /^([!-9;-~][!-9;-~]*):[ \t]*(.*)$/;

/**
 * Splits deb822 text (a dpkg `status` file, a `status.d` entry) into stanzas. Lines that contain
 * only spaces or tabs separate stanzas, as deb822(5) allows. CRLF line ends and a missing final
 * newline are accepted. A line that is neither a field nor a continuation is reported and
 * skipped, and parsing goes on with the next line.
 */
export function parseDeb822(text: string, options: Deb822Options = {}): Deb822Stanza[] {
  const { keepFields, diagnostics } = options;
  const stanzas: Deb822Stanza[] = [];
  let current: Deb822Stanza | undefined;
  let currentField: string | undefined;

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;

    if (/^[ \t]*$/.test(line)) {
      current = undefined;
      currentField = undefined;
      continue;
    }

    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (currentField === undefined) {
        // A continuation of a skipped field is expected, but one before any field is not.
        if (current === undefined) diagnostics?.add('FORMAT_INVALID', `line ${lineNumber}: continuation line outside a field`);
        continue;
      }
      const previous = current!.fields.get(currentField) ?? '';
      current!.fields.set(currentField, `${previous}\n${line.trim()}`);
      continue;
    }

    const match = FIELD_LINE.exec(line);
    if (match === null || line.startsWith('#') || line.startsWith('-')) {
      diagnostics?.add('FORMAT_INVALID', `line ${lineNumber}: not a "Field: value" line: ${JSON.stringify(line.slice(0, 80))}`);
      currentField = undefined;
      continue;
    }

    if (current === undefined) {
      current = { fields: new Map(), line: lineNumber };
      stanzas.push(current);
    }

    const name = match[1]!.toLowerCase();
    if (keepFields !== undefined && !keepFields.has(name)) {
      currentField = undefined;
      continue;
    }
    if (current.fields.has(name)) {
      diagnostics?.add('FORMAT_INVALID', `line ${lineNumber}: field ${match[1]} repeats in the stanza that starts at line ${current.line}; the first value is kept`);
      currentField = undefined;
      continue;
    }
    current.fields.set(name, match[2]!.trimEnd());
    currentField = name;
  }
  return stanzas;
}
