import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayWidth, padToWidth, sanitizeCell, truncateToWidth } from '../../src/report/display-width.js';

test('displayWidth counts columns', () => {
  assert.equal(displayWidth('openssl'), 7);
  assert.equal(displayWidth('漢字'), 4);
  assert.equal(displayWidth('ｆｕｌｌ'), 8);
  assert.equal(displayWidth('한국어'), 6);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('👍🏽'), 2);
  assert.equal(displayWidth('👨‍👩‍👧'), 2);
  assert.equal(displayWidth('a\u200Bb'), 2);
  assert.equal(displayWidth(''), 0);
});

test('truncateToWidth adds ellipsis', () => {
  assert.equal(truncateToWidth('openssl: denial of service', 10), 'openssl:…');
  assert.equal(displayWidth(truncateToWidth('openssl: denial of service', 10)), 9);
  assert.equal(truncateToWidth('short', 10), 'short');
  assert.equal(truncateToWidth('exactly10!', 10), 'exactly10!');
});

test('truncateToWidth never splits wide characters', () => {
  const cut = truncateToWidth('漢字漢字漢字', 6);
  assert.equal(cut, '漢字…');
  assert.equal(displayWidth(cut), 5);
  assert.equal(truncateToWidth('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 4), '👨‍👩‍👧…');
});

test('padToWidth pads by display width', () => {
  assert.equal(padToWidth('漢', 4), '漢  ');
  assert.equal(padToWidth('toolong', 3), 'toolong');
});

test('sanitizeCell removes terminal controls', () => {
  assert.equal(sanitizeCell('evil\u001b[2J\u001b]0;title\u0007 title'), 'evil\uFFFD[2J\uFFFD]0;title\uFFFD title');
  assert.equal(sanitizeCell('line one\nline two\ttabbed'), 'line one line two tabbed');
  assert.equal(sanitizeCell('abc\u202Edcba'), 'abcdcba');
  assert.equal(sanitizeCell('c1 \u009b31m'), 'c1 \uFFFD31m');
});

test('display width of truncated ascii', () => {
  assert.equal(displayWidth('nodejs-lodash: command injection…'), 33);
  assert.equal(displayWidth('…'), 1);
  assert.equal(displayWidth('漢字…'), 5);
});
