import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../src/errors.js';
import { FormatRegistry, createFormatRegistry } from '../../src/report/format.js';
import { writeJson } from '../../src/report/json.js';
import { writeTable } from '../../src/report/table.js';
import { sampleReport } from './fixtures.js';

function isUsageError(error: unknown): boolean {
  return error instanceof BulwarkError && error.code === 'USAGE';
}

test('registry has table json sarif', () => {
  const registry = createFormatRegistry();
  assert.deepEqual(registry.ids(), ['json', 'sarif', 'table']);
  assert.equal(registry.get('sarif').contentType, 'application/sarif+json');
  assert.equal(registry.get('json').contentType, 'application/json');
  assert.equal(registry.get('table').contentType, 'text/plain; charset=utf-8');
});

test('registry formats write the report', () => {
  const registry = createFormatRegistry();
  assert.equal(registry.get('json').write(sampleReport(), {}), writeJson(sampleReport()));
  assert.equal(registry.get('table').write(sampleReport(), { maxTitleWidth: 20 }), writeTable(sampleReport(), { maxTitleWidth: 20 }));
});

test('registry unknown id names known ids', () => {
  assert.throws(() => createFormatRegistry().get('html'), (error: unknown) => isUsageError(error) && /expected one of json, sarif, table/.test((error as Error).message));
});

test('registry rejects duplicate and invalid ids', () => {
  const registry = createFormatRegistry();
  const custom = { id: 'example-html', contentType: 'text/html', description: 'an example HTML format', write: () => '{}\n' };
  registry.register(custom);
  assert.equal(registry.has('example-html'), true);
  assert.throws(() => registry.register(custom), isUsageError);
  assert.throws(() => new FormatRegistry().register({ ...custom, id: 'Bad Id' }), isUsageError);
});
