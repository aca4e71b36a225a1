import { BINARY_OPERATORS, TRANSFORMERS, type BinaryOperator, type ConditionNode, type FieldReference, type ListItem, type Operand, type Transformer } from './ast.js';

/** A condition that does not parse; `offset` is where in the text the parser stopped. */
export class ConditionSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ConditionSyntaxError';
    this.offset = offset;
  }
}

/** The maximum nesting of parentheses and `not`, so a hostile condition cannot exhaust the stack. */
const MAX_DEPTH = 200;

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const FIELD_NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+/y;
// Bare values stop at blanks, parentheses, commas and quotes.
const BARE_VALUE = /[^\s(),"']+/y;
const WORD_OPERATORS = new Set<string>(BINARY_OPERATORS.filter((op) => /^[a-z]/.test(op)));
const TRANSFORMER_NAMES = new Set<string>(TRANSFORMERS);
const KEYWORDS = new Set(['and', 'or', 'not']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t' };

/**
 * Parses a Falco condition into a syntax tree. `not` binds tighter than `and`, which binds tighter
 * than `or`; an identifier alone is a macro reference. Lists and macros are resolved later.
 */
export function parseCondition(text: string): ConditionNode {
  const parser = new Parser(text);
  const node = parser.parseOr(0);
  parser.skipBlanks();
  if (!parser.atEnd()) parser.fail(`unexpected '${parser.peekWord()}' after a complete expression`);
  return node;
}

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  fail(message: string): never {
    throw new ConditionSyntaxError(message, this.position);
  }

  skipBlanks(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] as string)) this.position++;
  }

  peekWord(): string {
    return this.text.slice(this.position, this.position + 20).split(/\s/)[0] ?? '';
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (found === null) return undefined;
    this.position += found[0].length;
    return found[0];
  }

  private tryKeyword(word: string): boolean {
    this.skipBlanks();
    const end = this.position + word.length;
    if (this.text.startsWith(word, this.position) && !/[A-Za-z0-9_.]/.test(this.text[end] ?? ' ')) {
      this.position = end;
      return true;
    }
    return false;
  }

  private expect(char: string): void {
    this.skipBlanks();
    if (this.text[this.position] !== char) this.fail(`expected '${char}'`);
    this.position++;
  }

  parseOr(depth: number): ConditionNode {
    const items = [this.parseAnd(depth)];
    while (this.tryKeyword('or')) items.push(this.parseAnd(depth));
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'or', items };
  }

  private parseAnd(depth: number): ConditionNode {
    const items = [this.parseNot(depth)];
    while (this.tryKeyword('and')) items.push(this.parseNot(depth));
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'and', items };
  }

  private parseNot(depth: number): ConditionNode {
    if (depth > MAX_DEPTH) this.fail(`condition nests deeper than ${MAX_DEPTH} levels`);
    if (this.tryKeyword('not')) return { kind: 'not', operand: this.parseNot(depth + 1) };
    this.skipBlanks();
    if (this.text[this.position] === '(') {
      this.position++;
      const inner = this.parseOr(depth + 1);
      this.expect(')');
      return inner;
    }
    return this.parseCheck();
  }

  private parseCheck(): ConditionNode {
    this.skipBlanks();
    const offset = this.position;
    if (this.atEnd()) this.fail('expected a field, a macro or a parenthesis, found the end of the condition');
    const field = this.tryFieldReference();
    if (field === undefined) {
      const name = this.match(IDENTIFIER);
      if (name === undefined) this.fail(`expected a field, a macro or a parenthesis, found '${this.peekWord()}'`);
      return { kind: 'macro', name, offset };
    }
    if (field.transformers.length === 0 && field.arg === undefined && !field.name.includes('.')) {
      if (KEYWORDS.has(field.name)) {
        this.position = offset;
        this.fail(`unexpected '${field.name}': expected a field, a macro or a parenthesis`);
      }
      return { kind: 'macro', name: field.name, offset };
    }
    this.skipBlanks();
    if (this.tryKeyword('exists')) return { kind: 'exists', field };
    const operator = this.parseOperator();
    const operand = this.parseOperand(operator);
    return { kind: 'compare', field, operator, operand, offset };
  }

  /** Reads `name`, `name[arg]` or `transformer(field)`; returns undefined when none starts here. */
  private tryFieldReference(): FieldReference | undefined {
    const offset = this.position;
    const name = this.match(FIELD_NAME) ?? this.match(IDENTIFIER);
    if (name === undefined) return undefined;
    if (this.text[this.position] === '(' && TRANSFORMER_NAMES.has(name)) {
      this.position++;
      this.skipBlanks();
      const inner = this.tryFieldReference();
      if (inner === undefined) this.fail(`expected a field inside ${name}()`);
      this.expect(')');
      return { ...inner, transformers: [name as Transformer, ...inner.transformers], offset };
    }
    const reference: FieldReference = { name, transformers: [], offset };
    if (this.text[this.position] === '[') {
      const close = this.text.indexOf(']', this.position);
      if (close < 0) this.fail(`missing ']' after the argument of ${name}`);
      reference.arg = this.text.slice(this.position + 1, close);
      this.position = close + 1;
    }
    return reference;
  }

  private parseOperator(): BinaryOperator {
    this.skipBlanks();
    const symbol = this.match(/(?:==|!=|<=|>=|=|<|>)/y);
    if (symbol !== undefined) return symbol as BinaryOperator;
    const word = this.match(IDENTIFIER);
    if (word !== undefined && WORD_OPERATORS.has(word)) return word as BinaryOperator;
    if (word !== undefined) this.position -= word.length;
    return this.fail(`expected an operator, found '${this.peekWord()}'`);
  }

  private parseOperand(operator: BinaryOperator): Operand {
    this.skipBlanks();
    if (operator === 'in' || operator === 'intersects' || operator === 'pmatch') {
      if (this.text[this.position] !== '(') this.fail(`'${operator}' needs a list in parentheses`);
      return { kind: 'list', items: this.parseList() };
    }
    if (this.text.startsWith('val(', this.position)) {
      this.position += 4;
      this.skipBlanks();
      const field = this.tryFieldReference();
      if (field === undefined) this.fail('expected a field inside val()');
      this.expect(')');
      return { kind: 'field', field };
    }
    const value = this.parseValue();
    if (value === undefined) this.fail(`expected a value after '${operator}'`);
    return { kind: 'literal', value: value.value, quoted: value.quoted };
  }

  private parseList(): ListItem[] {
    this.position++;
    const items: ListItem[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.text[this.position] === ')') {
        this.position++;
        return items;
      }
      if (items.length > 0) {
        if (this.text[this.position] === ',') this.position++;
        this.skipBlanks();
      }
      const item = this.parseValue();
      if (item === undefined) this.fail(this.atEnd() ? "missing ')' at the end of a list" : `unexpected '${this.peekWord()}' in a list`);
      items.push(item);
    }
  }

  private parseValue(): ListItem | undefined {
    const quote = this.text[this.position];
    if (quote === '"' || quote === "'") return { value: this.parseQuoted(quote), quoted: true };
    const bare = this.match(BARE_VALUE);
    return bare === undefined ? undefined : { value: bare, quoted: false };
  }

  private parseQuoted(quote: string): string {
    let out = '';
    let index = this.position + 1;
    while (index < this.text.length) {
      const char = this.text[index] as string;
      if (char === '\\' && index + 1 < this.text.length) {
        const next = this.text[index + 1] as string;
        out += ESCAPES[next] ?? next;
        index += 2;
        continue;
      }
      if (char === quote) {
        this.position = index + 1;
        return out;
      }
      out += char;
      index++;
    }
    return this.fail('unterminated quoted string');
  }
}
