import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBoxTable } from '../../src/report/box-table.js';
import { displayWidth } from '../../src/report/display-width.js';

test('box table layout', () => {
  const lines = renderBoxTable({
    columns: [{ header: 'Name' }, { header: 'Value' }],
    groups: [[['a', '1'], ['a', '22']], [['bb', '3']]],
  });
  assert.deepEqual(lines, [
    '┌──────┬───────┐',
    '│ Name │ Value │',
    '├──────┼───────┤',
    '│ a    │ 1     │',
    '│ a    │ 22    │',
    '├──────┼───────┤',
    '│ bb   │ 3     │',
    '└──────┴───────┘',
  ]);
});

test('box table aligns wide text', () => {
  const lines = renderBoxTable({
    columns: [{ header: 'Title' }, { header: 'X' }],
    groups: [[['漢字の説明', 'a'], ['ascii', 'b']]],
  });
  const widths = new Set(lines.map(displayWidth));
  assert.equal(widths.size, 1);
  assert.equal(lines[3], '│ 漢字の説明 │ a │');
  assert.equal(lines[4], '│ ascii      │ b │');
});

test('box table truncates to maxWidth', () => {
  const lines = renderBoxTable({ columns: [{ header: 'T', maxWidth: 5 }], groups: [[['abcdefgh']]] });
  assert.equal(lines[3], '│ abcd… │');
});

test('box table color skips widths', () => {
  const lines = renderBoxTable({
    columns: [{ header: 'S' }],
    groups: [[['HIGH']]],
    colorCell: ({ padded }) => `<${padded}>`,
  });
  assert.equal(lines[0], '┌──────┐');
  assert.equal(lines[1], '│ S    │');
  assert.equal(lines[3], '│ <HIGH> │');
});
