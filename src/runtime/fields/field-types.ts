/** The value of one field in an event. A list contains several values (ancestors, containers). */
export type FieldValue = string | number | boolean | readonly (string | number | boolean)[];

/** The value types that conditions compare by. They follow the libsinsp field types in spirit. */
export type FieldType = 'string' | 'number' | 'bool' | 'ipaddr' | 'ipnet' | 'list' | 'reltime' | 'abstime';

/** An event as the rule engine reads it: its source and its field values. */
export interface RuntimeEvent {
  /** The event source: `syscall` or `k8s_audit`. */
  readonly source: string;
  /**
   * Values keyed by the full Falco field name, argument included as written (`proc.aname[2]`,
   * `evt.arg.flags`). Fields missing here have no value.
   */
  readonly fields: Readonly<Record<string, FieldValue | null | undefined>>;
  /** The decoded source document, for sources whose fields are computed from it (k8s audit). */
  readonly raw?: unknown;
}

/** Reads one field of an event; `undefined` when the event has no value for it. */
export type FieldAccessor = (event: RuntimeEvent) => FieldValue | undefined;

/** A field of the catalogue: its type and how an argument in brackets is handled. */
export interface FieldDefinition {
  readonly name: string;
  readonly type: FieldType;
  /** `required` fields need `[arg]`, `optional` ones may take it, `none` reject it. */
  readonly arg: 'none' | 'optional' | 'required';
  /** Builds the accessor for the given argument; by default the value is read from `event.fields`. */
  readonly accessor?: (arg: string | undefined) => FieldAccessor;
}

/** The fields of one event source. */
export interface FieldCatalogue {
  readonly source: string;
  /** Finds the definition of `name`, or `undefined` for an unknown field. */
  lookup(name: string): FieldDefinition | undefined;
}

/** Builds the default accessor: the value stored under the field name with its argument. */
export function storedFieldAccessor(name: string, arg: string | undefined): FieldAccessor {
  const key = arg === undefined ? name : `${name}[${arg}]`;
  return (event) => {
    const value = event.fields[key];
    return value === null ? undefined : value;
  };
}
