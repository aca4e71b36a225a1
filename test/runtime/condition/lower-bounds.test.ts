import assert from 'node:assert/strict';
import { test } from 'node:test';

import { boundsOfAll, boundsOfAny, comparisonLowerBound, excludesNegativeIntegers, type LowerBounds } from '../../../src/runtime/condition/lower-bounds.js';
import { loadRules } from '../../../src/runtime/rules/load-rules.js';

test('comparison bounds by operator', () => {
  assert.deepEqual(comparisonLowerBound('>=', ['0']), { value: 0, inclusive: true });
  assert.deepEqual(comparisonLowerBound('>', ['-1']), { value: -1, inclusive: false });
  assert.deepEqual(comparisonLowerBound('=', ['3']), { value: 3, inclusive: true });
  assert.deepEqual(comparisonLowerBound('in', ['2', '0', '1']), { value: 0, inclusive: true });
  assert.deepEqual(comparisonLowerBound('>=', ['0x10']), { value: 16, inclusive: true });
  assert.equal(comparisonLowerBound('<', ['5']), undefined);
  assert.equal(comparisonLowerBound('!=', ['-1']), undefined);
  assert.equal(comparisonLowerBound('>=', ['abc']), undefined);
});

test('and keeps the tightest bound', () => {
  const a: LowerBounds = new Map([['fd.num', { value: -1, inclusive: true }]]);
  const b: LowerBounds = new Map([
    ['fd.num', { value: -1, inclusive: false }],
    ['evt.rawres', { value: 0, inclusive: true }],
  ]);
  const all = boundsOfAll([a, b]);
  assert.deepEqual(all.get('fd.num'), { value: -1, inclusive: false });
  assert.deepEqual(all.get('evt.rawres'), { value: 0, inclusive: true });
});

test('or keeps fields bounded in every part', () => {
  const a: LowerBounds = new Map([
    ['fd.num', { value: 0, inclusive: true }],
    ['evt.rawres', { value: 0, inclusive: true }],
  ]);
  const b: LowerBounds = new Map([['fd.num', { value: -1, inclusive: true }]]);
  const any = boundsOfAny([a, b]);
  assert.deepEqual(any.get('fd.num'), { value: -1, inclusive: true });
  assert.equal(any.has('evt.rawres'), false);
  assert.equal(boundsOfAny([]).size, 0);
});

test('negative integers excluded', () => {
  assert.equal(excludesNegativeIntegers({ value: 0, inclusive: true }), true);
  assert.equal(excludesNegativeIntegers({ value: -1, inclusive: false }), true);
  assert.equal(excludesNegativeIntegers({ value: -0.5, inclusive: true }), true);
  assert.equal(excludesNegativeIntegers({ value: -1, inclusive: true }), false);
  assert.equal(excludesNegativeIntegers({ value: -1.5, inclusive: false }), false);
  assert.equal(excludesNegativeIntegers(undefined), false);
});

// Each row: a condition and the fd.num bound its compiled rule carries, or undefined for none.
const CONDITION_BOUNDS: [string, { value: number; inclusive: boolean } | undefined][] = [
  ['evt.type = openat and fd.num >= 0', { value: 0, inclusive: true }],
  ['evt.type = openat and ok_open', { value: 0, inclusive: true }],
  ['evt.type = openat and (ok_open or fd.num = -1)', { value: -1, inclusive: true }],
  ['evt.type = openat and (ok_open or fd.name = /etc/shadow)', undefined],
  ['evt.type = openat and not fd.num < 0', undefined],
  ['evt.type = openat and len(fd.num) >= 0', undefined],
  ['evt.type = openat and fd.num in (3, 4)', { value: 3, inclusive: true }],
];

test('compiled rules carry condition bounds', () => {
  for (const [condition, expected] of CONDITION_BOUNDS) {
    const text = `- macro: ok_open\n  condition: fd.num >= 0\n- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: WARNING\n`;
    const ruleset = loadRules([{ file: 'rules.yaml', text }]);
    assert.deepEqual(ruleset.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), [], condition);
    assert.deepEqual(ruleset.rules[0]?.lowerBounds?.get('fd.num'), expected, condition);
  }
});

test('exceptions leave the bound', () => {
  const text = [
    '- rule: R',
    '  desc: d',
    '  condition: evt.type = openat and fd.num >= 0',
    '  output: o',
    '  priority: WARNING',
    '  exceptions:',
    '    - name: trusted',
    '      fields: [proc.name]',
    '      values: [[sshd]]',
    '',
  ].join('\n');
  const ruleset = loadRules([{ file: 'rules.yaml', text }]);
  assert.deepEqual(ruleset.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  assert.deepEqual(ruleset.rules[0]?.lowerBounds?.get('fd.num'), { value: 0, inclusive: true });
});
