import assert from 'node:assert/strict';
import { test } from 'node:test';
import { langAnalyzers } from '../../../src/inventory/lang/index.js';

test('langAnalyzers ids are unique', () => {
  const ids = langAnalyzers.map((analyzer) => analyzer.id);
  assert.deepEqual(ids, ['node-pkg', 'python-pkg', 'gobinary', 'jar']);
  assert.equal(new Set(ids).size, ids.length);
});

test('each analyzer claims its own files', () => {
  const files: Array<[string, number, string | undefined]> = [
    ['app/node_modules/x/package.json', 0o644, 'node-pkg'],
    ['usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA', 0o644, 'python-pkg'],
    ['usr/local/bin/server', 0o755, 'gobinary'],
    ['opt/app/lib/x-1.0.jar', 0o644, 'jar'],
    ['etc/os-release', 0o644, undefined],
  ];
  for (const [path, mode, expected] of files) {
    const claimed = langAnalyzers.filter((analyzer) => analyzer.required({ path, size: 4096, mode })).map((analyzer) => analyzer.id);
    assert.deepEqual(claimed, expected === undefined ? [] : [expected], path);
  }
});
