import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConditionSyntaxError, parseCondition } from '../../../src/runtime/condition/condition-parser.js';

describe('parseCondition', () => {
  it('binds not tighter than and, and and tighter than or', () => {
    const node = parseCondition('a or not b and c');
    assert.equal(node.kind, 'or');
    if (node.kind !== 'or') return;
    assert.deepEqual(node.items[0], { kind: 'macro', name: 'a', offset: 0 });
    const right = node.items[1];
    assert.equal(right?.kind, 'and');
    if (right?.kind !== 'and') return;
    assert.equal(right.items[0]?.kind, 'not');
  });

  it('reads bare, quoted and list values', () => {
    const node = parseCondition(`fd.name startswith /etc/ and proc.name in (bash, "my shell", 'x\\'y', shell_binaries)`);
    assert.equal(node.kind, 'and');
    if (node.kind !== 'and') return;
    const [first, second] = node.items;
    assert.deepEqual(first, {
      kind: 'compare',
      field: { name: 'fd.name', transformers: [], offset: 0 },
      operator: 'startswith',
      operand: { kind: 'literal', value: '/etc/', quoted: false },
      offset: 0,
    });
    assert.equal(second?.kind, 'compare');
    if (second?.kind !== 'compare') return;
    assert.deepEqual(second.operand, {
      kind: 'list',
      items: [
        { value: 'bash', quoted: false },
        { value: 'my shell', quoted: true },
        { value: "x'y", quoted: true },
        { value: 'shell_binaries', quoted: false },
      ],
    });
  });

  it('reads field arguments, transformers, val() and exists', () => {
    const node = parseCondition('tolower(basename(proc.aname[2])) = val(proc.name) and jevt.value[/a/b] exists');
    assert.equal(node.kind, 'and');
    if (node.kind !== 'and') return;
    const [compare, exists] = node.items;
    assert.equal(compare?.kind, 'compare');
    if (compare?.kind !== 'compare') return;
    assert.equal(compare.field.name, 'proc.aname');
    assert.equal(compare.field.arg, '2');
    assert.deepEqual(compare.field.transformers, ['tolower', 'basename']);
    assert.equal(compare.operand.kind, 'field');
    assert.deepEqual(exists, { kind: 'exists', field: { name: 'jevt.value', arg: '/a/b', transformers: [], offset: 54 } });
  });

  it('reads operators written without blanks', () => {
    const node = parseCondition('evt.rawres>=0');
    assert.equal(node.kind, 'compare');
    if (node.kind !== 'compare') return;
    assert.equal(node.operator, '>=');
    assert.deepEqual(node.operand, { kind: 'literal', value: '0', quoted: false });
  });

  const invalid: [string, string, number][] = [
    ['proc.name =', 'a missing value', 11],
    ['(proc.name = a', 'an unclosed parenthesis', 14],
    ['proc.name in (a, b', 'an unclosed list', 18],
    ['proc.name = a b', 'a trailing word', 14],
    ['proc.name foo a', 'an unknown operator', 10],
    ['proc.name = "abc', 'an unterminated string', 12],
  ];
  for (const [text, what, offset] of invalid) {
    it(`rejects ${what} at its offset`, () => {
      assert.throws(() => parseCondition(text), (error: unknown) => error instanceof ConditionSyntaxError && error.offset === offset);
    });
  }

  it('rejects nesting deeper than the cap', () => {
    assert.throws(() => parseCondition(`${'('.repeat(500)}a${')'.repeat(500)}`), ConditionSyntaxError);
  });
});
