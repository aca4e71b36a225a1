import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModInfo, readQuotedPrefix } from '../../../../src/inventory/lang/go/go-modinfo.js';

test('modinfo lines of every kind', () => {
  const text = [
    'path\texample.com/app/cmd/app',
    'mod\texample.com/app\t(devel)\t',
    'dep\tgolang.org/x/text\tv0.3.7\th1:abc=',
    'dep\texample.com/old\tv0.1.0',
    '=>\texample.com/new\tv1.0.0\th1:def=',
    '',
    'build\t-compiler=gc',
    'build\t-ldflags="-X main.version=1.0.0"',
    'build\t"weird key"=`raw value`',
    'build\tvcs.modified=false',
    'future\tsomething new',
    '',
  ].join('\n');
  const info = parseModInfo('go1.22.1', text);
  assert.equal(info.path, 'example.com/app/cmd/app');
  assert.deepEqual(info.main, { path: 'example.com/app', version: '(devel)' });
  assert.deepEqual(info.deps, [
    { path: 'golang.org/x/text', version: 'v0.3.7', sum: 'h1:abc=' },
    { path: 'example.com/old', version: 'v0.1.0', replace: { path: 'example.com/new', version: 'v1.0.0', sum: 'h1:def=' } },
  ]);
  assert.deepEqual(info.settings, [
    { key: '-compiler', value: 'gc' },
    { key: '-ldflags', value: '-X main.version=1.0.0' },
    { key: 'weird key', value: 'raw value' },
    { key: 'vcs.modified', value: 'false' },
  ]);
  assert.deepEqual(info.invalidLines, []);
});

test('bad lines are listed', () => {
  const text = ['dep\tonly-one-column', '=>\ta\tb\tc', 'build\tnoequals', 'build\t-ldflags="unterminated', 'garbage'].join('\n');
  const info = parseModInfo('go1.21.0', text);
  assert.deepEqual(info.deps, []);
  assert.deepEqual(info.settings, []);
  assert.equal(info.invalidLines.length, 5);
  assert.match(info.invalidLines[0]!, /^line 1: expected 2 or 3 columns/);
  assert.match(info.invalidLines[1]!, /^line 2: replacement with no module/);
  assert.match(info.invalidLines[2]!, /^line 3: build line without "key=value"/);
  assert.match(info.invalidLines[3]!, /^line 4: invalid quoted value/);
  assert.match(info.invalidLines[4]!, /^line 5: no tab/);
});

test('Go quoted string escapes', () => {
  assert.deepEqual(readQuotedPrefix('"a\\tb\\"c" rest'), { value: 'a\tb"c', length: 9 });
  assert.deepEqual(readQuotedPrefix('"\\x41\\101\\u00e9\\U0001F600"'), { value: 'AAé😀', length: 26 });
  assert.deepEqual(readQuotedPrefix('`raw \\n`'), { value: 'raw \\n', length: 8 });
  assert.equal(readQuotedPrefix('"bad \\q"'), undefined);
  assert.equal(readQuotedPrefix('"unterminated'), undefined);
  assert.equal(readQuotedPrefix('plain'), undefined);
});
