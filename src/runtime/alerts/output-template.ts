import { compileFieldReference } from '../condition/compile-condition.js';
import { TRANSFORMERS, type FieldReference, type Transformer } from '../condition/ast.js';
import type { FieldAccessor, FieldCatalogue, FieldValue, RuntimeEvent } from '../fields/field-types.js';

/** A rule output compiled once: literal text and field accessors in order. */
export interface OutputTemplate {
  /** The fields the output names, as written (`proc.aname[2]`, `tolower(proc.name)`), sorted. */
  readonly fieldNames: readonly string[];
  render(event: RuntimeEvent): string;
  /** The values of the named fields, `null` for a field without a value, as Falco's JSON alerts carry. */
  fieldValues(event: RuntimeEvent): Record<string, string | number | boolean | null>;
}

/** An output that names an unknown field; `offset` is in the output text. */
export class OutputTemplateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'OutputTemplateError';
  }
}

const FIELD_AT = /%(?:([a-z0-9]+)\(([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]]*\])?)\)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]]*\])?))/g;
const NOT_AVAILABLE = '<NA>';

function splitArg(text: string): { name: string; arg?: string } {
  const open = text.indexOf('[');
  return open < 0 ? { name: text } : { name: text.slice(0, open), arg: text.slice(open + 1, -1) };
}

/** Formats a field value as Falco prints it: lists in parentheses, separated by commas. */
export function formatFieldValue(value: FieldValue | undefined): string {
  if (value === undefined) return NOT_AVAILABLE;
  if (Array.isArray(value)) return `(${value.join(',')})`;
  return String(value);
}

/** Compiles `%field`, `%field[arg]` and `%transformer(field)` references of an output. */
export function compileOutputTemplate(text: string, catalogue: FieldCatalogue): OutputTemplate {
  const literals: string[] = [];
  const accessors: FieldAccessor[] = [];
  const named = new Map<string, FieldAccessor>();
  let last = 0;
  for (const match of text.matchAll(FIELD_AT)) {
    const [whole, transformer, inner, plain] = match;
    const offset = match.index;
    const written = plain ?? `${transformer}(${inner})`;
    const { name, arg } = splitArg(plain ?? (inner as string));
    if (transformer !== undefined && !(TRANSFORMERS as readonly string[]).includes(transformer)) {
      throw new OutputTemplateError(`unknown transformer '${transformer}' in output`, offset);
    }
    const reference: FieldReference = { name, transformers: transformer === undefined ? [] : [transformer as Transformer], offset };
    if (arg !== undefined) reference.arg = arg;
    let accessor: FieldAccessor;
    try {
      accessor = compileFieldReference(reference, catalogue).accessor;
    } catch (error) {
      throw new OutputTemplateError((error as Error).message, offset);
    }
    literals.push(text.slice(last, offset));
    accessors.push(accessor);
    named.set(written, accessor);
    last = offset + whole.length;
  }
  const tail = text.slice(last);
  const fieldNames = [...named.keys()].sort();
  return {
    fieldNames,
    render(event) {
      let out = '';
      for (let index = 0; index < accessors.length; index++) {
        out += (literals[index] as string) + formatFieldValue((accessors[index] as FieldAccessor)(event));
      }
      return out + tail;
    },
    fieldValues(event) {
      const values: Record<string, string | number | boolean | null> = {};
      for (const name of fieldNames) {
        const value = (named.get(name) as FieldAccessor)(event);
        values[name] = value === undefined ? null : Array.isArray(value) ? formatFieldValue(value) : (value as string | number | boolean);
      }
      return values;
    },
  };
}

/**
 * Returns a template that renders like `template` and adds the values of `extra`'s fields to
 * `fieldValues`, for fields that belong in JSON alerts only.
 */
export function withExtraFields(template: OutputTemplate, extra: OutputTemplate): OutputTemplate {
  return {
    fieldNames: [...new Set([...template.fieldNames, ...extra.fieldNames])].sort(),
    render: (event) => template.render(event),
    fieldValues(event) {
      const merged = { ...extra.fieldValues(event), ...template.fieldValues(event) };

      // Keys in sorted order, as the rule's own fields are, so that alerts stay deterministic.
      const values: Record<string, string | number | boolean | null> = {};
      for (const name of Object.keys(merged).sort()) values[name] = merged[name] as string | number | boolean | null;
      return values;
    },
  };
}
