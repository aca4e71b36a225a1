/** The comparison operators of the Falco condition language. */
export const BINARY_OPERATORS = [
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith',
  'endswith', 'glob', 'iglob', 'in', 'intersects', 'pmatch', 'regex',
] as const;

export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

/** The transformers that may wrap a field: `tolower(proc.name)`. */
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;

export type Transformer = (typeof TRANSFORMERS)[number];

/** A field as written in a condition, with its argument and transformers (outermost first). */
export interface FieldReference {
  name: string;
  arg?: string;
  transformers: Transformer[];
  /** Offset of the field in the condition text. */
  offset: number;
}

/** A list item: a literal, or a bare word that may name a list to expand. */
export interface ListItem {
  value: string;
  quoted: boolean;
}

/** The right-hand side of a comparison. */
export type Operand =
  | { kind: 'literal'; value: string; quoted: boolean }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'field'; field: FieldReference };

/** A parsed condition. */
export type ConditionNode =
  | { kind: 'and'; items: ConditionNode[] }
  | { kind: 'or'; items: ConditionNode[] }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'macro'; name: string; offset: number }
  | { kind: 'exists'; field: FieldReference }
  | { kind: 'compare'; field: FieldReference; operator: BinaryOperator; operand: Operand; offset: number };
