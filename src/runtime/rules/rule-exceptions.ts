import { BINARY_OPERATORS, type BinaryOperator, type ConditionNode, type FieldReference, type ListItem } from '../condition/ast.js';
import { parseCondition } from '../condition/condition-parser.js';
import type { RuleException } from './rule-types.js';

/** An exception that cannot become a condition: a bad field, operator or value tuple. */
export class ExceptionError extends Error {}

const LIST_OPERATORS = new Set<BinaryOperator>(['in', 'intersects', 'pmatch']);

function parseField(text: string): FieldReference {
  const parsed = parseCondition(`${text} exists`);
  if (parsed.kind !== 'exists') throw new ExceptionError(`'${text}' is not a field`);
  return parsed.field;
}

function parseOperator(text: string): BinaryOperator {
  if (!(BINARY_OPERATORS as readonly string[]).includes(text)) throw new ExceptionError(`'${text}' is not a comparison operator`);
  return text as BinaryOperator;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExceptionError(`exception value ${JSON.stringify(value)} must be a string or number`);
}

function compare(field: FieldReference, operator: BinaryOperator, value: unknown): ConditionNode {
  if (!LIST_OPERATORS.has(operator)) return { kind: 'compare', field, operator, operand: { kind: 'literal', value: scalarText(value), quoted: true }, offset: 0 };
  // A list operator takes a list of values or the name of a list, which compilation expands.
  const items: ListItem[] = (Array.isArray(value) ? value : [value]).map((item) => ({ value: scalarText(item), quoted: false }));
  return { kind: 'compare', field, operator, operand: { kind: 'list', items }, offset: 0 };
}

/** Builds the condition that matches one exception's values, or `undefined` when it has none. */
function exceptionCondition(exception: RuleException): ConditionNode | undefined {
  if (exception.values.length === 0 || exception.fields === undefined) return undefined;
  if (typeof exception.fields === 'string') {
    // One field: the values form one list, compared with `in` unless comps names another operator.
    const operator = parseOperator(typeof exception.comps === 'string' ? exception.comps : 'in');
    const field = parseField(exception.fields);
    if (LIST_OPERATORS.has(operator)) return compare(field, operator, exception.values);
    return { kind: 'or', items: exception.values.map((value) => compare(field, operator, value)) };
  }
  const fields = exception.fields.map(parseField);
  const comps = Array.isArray(exception.comps) ? exception.comps : fields.map(() => (typeof exception.comps === 'string' ? exception.comps : '='));
  const operators = comps.map((comp) => parseOperator(comp as string));
  const tuples = exception.values.map((tuple) => {
    if (!Array.isArray(tuple) || tuple.length !== fields.length) {
      throw new ExceptionError(`exception '${exception.name}' has ${fields.length} fields, so each value must be a list of ${fields.length} items; found ${JSON.stringify(tuple)}`);
    }
    const checks = fields.map((field, index) => compare(field, operators[index] as BinaryOperator, tuple[index]));
    return checks.length === 1 ? (checks[0] as ConditionNode) : ({ kind: 'and', items: checks } as ConditionNode);
  });
  return tuples.length === 1 ? tuples[0] : { kind: 'or', items: tuples };
}

/**
 * Adds a rule's exceptions to its condition as Falco compiles them:
 * `(condition) and not (exception1 or exception2 ...)`, where each exception matches any of its
 * value tuples and a tuple matches when every field compares true with its value.
 */
export function applyExceptions(condition: ConditionNode, exceptions: readonly RuleException[]): ConditionNode {
  const matches = exceptions.map(exceptionCondition).filter((node): node is ConditionNode => node !== undefined);
  if (matches.length === 0) return condition;
  const excluded: ConditionNode = matches.length === 1 ? (matches[0] as ConditionNode) : { kind: 'or', items: matches };
  return { kind: 'and', items: [condition, { kind: 'not', operand: excluded }] };
}
