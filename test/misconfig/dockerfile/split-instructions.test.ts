import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { DockerfileParser } from 'dockerfile-ast';

import { splitInstructions } from '../../../src/misconfig/dockerfile/split-instructions.js';
import { sharedPath } from '../../helpers/shared.js';

const corpus = sharedPath('corpus', 'dockerfiles');

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? corpusFiles(path) : [path];
  });
}

test('split directives and escape', () => {
  const result = splitInstructions(['# syntax=docker/dockerfile:1', '# escape=`', '', '# escape=\\', 'FROM debian:12', 'RUN a `', '  b']);
  assert.deepEqual([...result.directives], [['syntax', 'docker/dockerfile:1'], ['escape', '`']]);
  assert.equal(result.escape, '`');
  assert.deepEqual(result.spans.map((span) => [span.keyword, span.startLine, span.endLine]), [['FROM', 5, 5], ['RUN', 6, 7]]);
});

test('split continuation across comments', () => {
  const spans = splitInstructions(['FROM debian:12', 'RUN a \\', '# inside', '', '  b', 'CMD ["c"]']).spans;
  assert.deepEqual(spans.map((span) => [span.keyword, span.startLine, span.endLine]), [['FROM', 1, 1], ['RUN', 2, 5], ['CMD', 6, 6]]);
});

test('split ONBUILD heredoc trigger', () => {
  const spans = splitInstructions(['FROM debian:12', 'ONBUILD RUN <<EOF', 'FROM x', 'EOF', 'USER app']).spans;
  assert.deepEqual(spans.map((span) => [span.keyword, span.trigger, span.startLine, span.endLine]), [['FROM', undefined, 1, 1], ['ONBUILD', 'RUN', 2, 4], ['USER', undefined, 5, 5]]);
});

// dockerfile-ast is an independent parser. It reads heredocs differently, but on files without
// them both parsers must find the same instructions on the same lines.
test('split agrees with dockerfile-ast on corpus', { skip: corpus.skip }, () => {
  let compared = 0;
  for (const path of corpusFiles(corpus.path)) {
    const text = readFileSync(path, 'utf8');
    if (/<<-?\s*["']?[A-Za-z_]/.test(text)) continue;
    const ours = splitInstructions(text.split('\n')).spans.map((span) => `${span.keyword}@${span.startLine}-${span.endLine}`);
    const theirs = DockerfileParser.parse(text).getInstructions().map((instruction) => {
      const range = instruction.getRange();
      return `${instruction.getKeyword().toUpperCase()}@${range.start.line + 1}-${range.end.line + 1}`;
    });
    assert.deepEqual(ours, theirs, path);
    compared++;
  }
  assert.ok(compared >= 100, `only ${compared} files compared`);
});
