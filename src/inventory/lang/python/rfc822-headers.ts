/**
 * Header fields of a Python core metadata file (`METADATA`, `PKG-INFO`), keyed by lower-case
 * field name. A field that appears several times (`Classifier`, `Requires-Dist`) keeps every value
 * in file order.
 */
export type HeaderFields = Map<string, string[]>;

/**
 * Parses the RFC 822 style header block of a core metadata file. The block ends at the first empty
 * line, after which Metadata-Version 2.1+ puts the description. A line that starts with a space or
 * a tab continues the previous field. The value keeps that line break, so a multi-line `License`
 * text stays recognisable. Returns the fields and the 1-based numbers of lines that are neither a
 * field nor a continuation.
 */
export function parseHeaderFields(text: string): { fields: HeaderFields; invalidLines: number[] } {
  const fields: HeaderFields = new Map();
  const invalidLines: number[] = [];
  const lines = text.split(/\r?\n/);
  let current: { values: string[]; index: number } | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;

    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined) invalidLines.push(i + 1);
      else current.values[current.index] += `\n${line.trim()}`;
      continue;
    }

    const colon = line.indexOf(':');
    if (colon <= 0) {
      invalidLines.push(i + 1);
      current = undefined;
      continue;
    }

    const key = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(key, values);
    current = { values, index: values.length - 1 };
  }
  return { fields, invalidLines };
}

/** Returns the first value of a field, or undefined when the field is absent or empty. */
export function firstField(fields: HeaderFields, name: string): string | undefined {
  const value = fields.get(name.toLowerCase())?.[0];
  return value === undefined || value === '' ? undefined : value;
}
