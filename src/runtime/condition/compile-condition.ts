import { storedFieldAccessor, type FieldAccessor, type FieldCatalogue, type FieldType, type FieldValue, type RuntimeEvent } from '../fields/field-types.js';
import type { BinaryOperator, ConditionNode, FieldReference, Operand, Transformer } from './ast.js';
import { boundsOfAll, boundsOfAny, comparisonLowerBound, NO_BOUNDS, type LowerBounds } from './lower-bounds.js';
import {
  OperandError,
  networkMatcher,
  numberMatcher,
  parseNumberLiteral,
  pathPrefixMatcher,
  setMatcher,
  stringMatcher,
  type ScalarMatcher,
} from './value-matchers.js';

/**
 * Maximum nesting of a condition with its macros expanded. The parser caps one condition text at
 * 200 levels, but a chain of macros can nest far deeper, and compiling and evaluating such a tree
 * recurse once per level, so without this cap a long chain overflows the stack.
 */
export const MAX_EXPANDED_DEPTH = 1000;

/** A compiled condition: true when the event matches. */
export type Predicate = (event: RuntimeEvent) => boolean;

/** The macros, lists and fields a condition compiles against. The loader applies Falco's visibility rules in it. */
export interface CompileScope {
  catalogue: FieldCatalogue;
  /**
   * The parsed condition of a macro visible from `enclosingMacro` (or from the rule itself when
   * undefined), or `undefined` when none is visible.
   */
  resolveMacro(name: string, enclosingMacro: string | undefined): ConditionNode | undefined;
  /** The items of a list visible from `enclosingMacro`, already expanded, or `undefined`. */
  resolveList(name: string, enclosingMacro: string | undefined): readonly string[] | undefined;
}

/** A condition that cannot compile: an unknown field or macro, a value of the wrong type, a cycle. */
export class CompileError extends Error {
  /** `unknown-field` lets rules with skip-if-unknown-filter be dropped instead of failing. */
  readonly kind: 'unknown-field' | 'unknown-macro' | 'macro-cycle' | 'too-deep' | 'invalid-value';
  /** The macros being expanded when the error happened, outermost first. */
  readonly macroPath: readonly string[];
  /** Offset of the offending field or macro in the condition text of the innermost macro, or of the rule. */
  readonly offset: number | undefined;

  constructor(kind: CompileError['kind'], message: string, macroPath: readonly string[], offset?: number) {
    super(message);
    this.name = 'CompileError';
    this.kind = kind;
    this.macroPath = macroPath;
    this.offset = offset;
  }
}

/** The result of compiling a condition. */
export interface CompiledCondition {
  predicate: Predicate;
  /** The `evt.type` values the condition can match, or `'all'` when it does not restrict them. */
  eventTypes: ReadonlySet<string> | 'all';
  /** Lower bounds the condition implies for numeric fields, such as 0 for `fd.num` in `fd.num >= 0 and …`. */
  lowerBounds: LowerBounds;
  /** Every macro the condition expands, directly or through other macros. */
  macrosUsed: ReadonlySet<string>;
  /** Every list the condition expands. */
  listsUsed: ReadonlySet<string>;
}

interface Compiled {
  predicate: Predicate;
  eventTypes: Set<string> | 'all';
  lowerBounds?: LowerBounds;
}

/** Compiles a parsed condition into a predicate, expanding macros and lists from `scope`. */
export function compileCondition(node: ConditionNode, scope: CompileScope): CompiledCondition {
  const compiler = new ConditionCompiler(scope);
  const compiled = compiler.compile(node, []);
  return { predicate: compiled.predicate, eventTypes: compiled.eventTypes, lowerBounds: compiled.lowerBounds ?? NO_BOUNDS, macrosUsed: compiler.macrosUsed, listsUsed: compiler.listsUsed };
}

/** Builds an accessor for a field reference, with its transformers applied innermost first. */
export function compileFieldReference(reference: FieldReference, catalogue: FieldCatalogue): { accessor: FieldAccessor; type: FieldType } {
  const definition = catalogue.lookup(reference.name);
  if (definition === undefined) throw new CompileError('unknown-field', `unknown field '${reference.name}' for source '${catalogue.source}'`, []);
  if (definition.arg === 'required' && reference.arg === undefined) {
    throw new CompileError('invalid-value', `field '${reference.name}' needs an argument in brackets, as in ${reference.name}[...]`, []);
  }
  if (definition.arg === 'none' && reference.arg !== undefined) {
    throw new CompileError('invalid-value', `field '${reference.name}' takes no argument, found [${reference.arg}]`, []);
  }
  let accessor = definition.accessor?.(reference.arg) ?? storedFieldAccessor(reference.name, reference.arg);
  let type = definition.type;
  for (const transformer of [...reference.transformers].reverse()) {
    accessor = applyTransformer(accessor, transformer);
    if (transformer === 'len') type = 'number';
  }
  return { accessor, type };
}

function transformScalar(transformer: Transformer, value: string | number | boolean): string | number {
  const text = String(value);
  switch (transformer) {
    case 'tolower':
      return text.toLowerCase();
    case 'toupper':
      return text.toUpperCase();
    case 'b64':
      return Buffer.from(text, 'base64').toString('utf8');
    case 'basename': {
      const slash = text.lastIndexOf('/');
      return slash < 0 ? text : text.slice(slash + 1);
    }
    case 'len':
      return text.length;
  }
}

function applyTransformer(inner: FieldAccessor, transformer: Transformer): FieldAccessor {
  return (event) => {
    const value = inner(event);
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return transformer === 'len' ? value.length : value.map((item) => transformScalar(transformer, item as string));
    return transformScalar(transformer, value as string | number | boolean);
  };
}

class ConditionCompiler {
  readonly macrosUsed = new Set<string>();
  readonly listsUsed = new Set<string>();
  private depth = 0;

  constructor(private readonly scope: CompileScope) {}

  compile(node: ConditionNode, macroPath: string[]): Compiled {
    if (this.depth >= MAX_EXPANDED_DEPTH) {
      const offset = node.kind === 'macro' || node.kind === 'compare' ? node.offset : undefined;
      throw new CompileError('too-deep', `condition nests deeper than ${MAX_EXPANDED_DEPTH} levels with its macros expanded; shorten the chain of macros`, macroPath, offset);
    }
    this.depth++;
    try {
      return this.compileNode(node, macroPath);
    } finally {
      this.depth--;
    }
  }

  private compileNode(node: ConditionNode, macroPath: string[]): Compiled {
    switch (node.kind) {
      case 'and':
      case 'or':
        return this.compileJunction(node.kind, node.items, macroPath);
      case 'not': {
        const operand = this.compile(node.operand, macroPath).predicate;
        return { predicate: (event) => !operand(event), eventTypes: 'all' };
      }
      case 'macro':
        return this.compileMacro(node.name, node.offset, macroPath);
      case 'exists': {
        const { accessor } = this.field(node.field, macroPath);
        return { predicate: (event) => accessor(event) !== undefined, eventTypes: 'all' };
      }
      case 'compare':
        return this.compileComparison(node, macroPath);
    }
  }

  private compileJunction(kind: 'and' | 'or', nodes: ConditionNode[], macroPath: string[]): Compiled {
    const parts = nodes.map((item) => this.compile(item, macroPath));
    const predicates = parts.map((part) => part.predicate);
    let eventTypes: Set<string> | 'all' = kind === 'and' ? 'all' : new Set();
    for (const part of parts) eventTypes = kind === 'and' ? intersect(eventTypes, part.eventTypes) : unite(eventTypes, part.eventTypes);
    const partBounds = parts.map((part) => part.lowerBounds ?? NO_BOUNDS);
    const lowerBounds = kind === 'and' ? boundsOfAll(partBounds) : boundsOfAny(partBounds);
    if (predicates.length === 2) {
      const [first, second] = predicates as [Predicate, Predicate];
      return { predicate: kind === 'and' ? (e) => first(e) && second(e) : (e) => first(e) || second(e), eventTypes, lowerBounds };
    }
    const predicate: Predicate =
      kind === 'and'
        ? (event) => {
            for (const item of predicates) if (!item(event)) return false;
            return true;
          }
        : (event) => {
            for (const item of predicates) if (item(event)) return true;
            return false;
          };
    return { predicate, eventTypes, lowerBounds };
  }

  private compileMacro(name: string, offset: number, macroPath: string[]): Compiled {
    if (macroPath.includes(name)) {
      throw new CompileError('macro-cycle', `macros refer to each other in a cycle: ${[...macroPath, name].join(' -> ')}`, macroPath, offset);
    }
    const body = this.scope.resolveMacro(name, macroPath[macroPath.length - 1]);
    if (body === undefined) throw new CompileError('unknown-macro', `undefined macro '${name}'`, macroPath, offset);
    this.macrosUsed.add(name);
    return this.compile(body, [...macroPath, name]);
  }

  private field(reference: FieldReference, macroPath: string[]): { accessor: FieldAccessor; type: FieldType } {
    try {
      return compileFieldReference(reference, this.scope.catalogue);
    } catch (error) {
      if (error instanceof CompileError) throw new CompileError(error.kind, error.message, macroPath, reference.offset);
      throw error;
    }
  }

  private compileComparison(node: Extract<ConditionNode, { kind: 'compare' }>, macroPath: string[]): Compiled {
    const { accessor, type } = this.field(node.field, macroPath);
    const { operator, operand } = node;
    if (operand.kind === 'field') {
      const right = this.field(operand.field, macroPath).accessor;
      return { predicate: fieldToFieldPredicate(accessor, right, operator, type), eventTypes: 'all' };
    }
    const literals = operand.kind === 'list' ? this.expandList(operand, macroPath) : [operand.value];
    let matcher: ScalarMatcher;
    try {
      matcher = buildMatcher(operator, type, literals);
    } catch (error) {
      if (!(error instanceof OperandError)) throw error;
      throw new CompileError('invalid-value', `field '${node.field.name}' with '${operator}': ${error.message}`, macroPath, node.offset);
    }
    const allOf = operator === 'in' && type === 'list';
    const negateList = operator === '!=';
    const predicate: Predicate = (event) => {
      const value = accessor(event);
      if (value === undefined) return false;
      if (typeof value !== 'object') return matcher(value);
      if (value.length === 0) return false;
      // For list fields, `in` requires every value to be in the set and `!=` requires no value to be equal.
      if (allOf) return value.every(matcher);
      if (negateList) return value.every(matcher);
      return value.some(matcher);
    };
    const isEventType = node.field.name === 'evt.type' && node.field.transformers.length === 0;
    const eventTypes = isEventType && (operator === '=' || operator === '==' || operator === 'in') ? new Set(literals) : 'all';
    // Only a numeric field without transformers gives a bound, because a transformer changes the compared value.
    const bound = type === 'number' && node.field.transformers.length === 0 ? comparisonLowerBound(operator, literals) : undefined;
    const lowerBounds = bound === undefined ? NO_BOUNDS : new Map([[fieldKey(node.field), bound]]);
    return { predicate, eventTypes, lowerBounds };
  }

  private expandList(operand: Extract<Operand, { kind: 'list' }>, macroPath: string[]): string[] {
    const values: string[] = [];
    for (const item of operand.items) {
      const named = item.quoted ? undefined : this.scope.resolveList(item.value, macroPath[macroPath.length - 1]);
      if (named === undefined) values.push(item.value);
      else {
        this.listsUsed.add(item.value);
        values.push(...named);
      }
    }
    return values;
  }
}

function buildMatcher(operator: BinaryOperator, type: FieldType, literals: string[]): ScalarMatcher {
  const numeric = type === 'number' || type === 'reltime' || type === 'abstime';
  if (type === 'ipnet') return networkMatcher(operator, literals);
  if (operator === 'in' || operator === 'intersects') return setMatcher(literals, { numeric });
  if (operator === 'pmatch') return pathPrefixMatcher(literals);
  const literal = literals[0] as string;
  if (numeric && !['contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex'].includes(operator)) {
    return numberMatcher(operator, parseNumberLiteral(literal));
  }
  return stringMatcher(operator, literal);
}

function fieldToFieldPredicate(left: FieldAccessor, right: FieldAccessor, operator: BinaryOperator, type: FieldType): Predicate {
  const numeric = type === 'number';
  return (event) => {
    const a = left(event);
    const b = right(event);
    if (a === undefined || b === undefined || Array.isArray(a) || Array.isArray(b)) return false;
    const matcher = numeric ? numberMatcher(operator, Number(b)) : stringMatcher(operator, String(b as FieldValue));
    return matcher(a as string | number | boolean);
  };
}

/** Builds the key that events store the field under, with its argument: `proc.apid[2]`. */
function fieldKey(field: FieldReference): string {
  return field.arg === undefined ? field.name : `${field.name}[${field.arg}]`;
}

function intersect(a: Set<string> | 'all', b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all') return b === 'all' ? 'all' : new Set(b);
  if (b === 'all') return a;
  return new Set([...a].filter((item) => b.has(item)));
}

function unite(a: Set<string> | 'all', b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}
