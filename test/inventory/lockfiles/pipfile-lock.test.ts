import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pipfileLockFormat } from '../../../src/inventory/lockfiles/pipfile-lock.js';
import { sharedPath } from '../../helpers/shared.js';
import { analyzeFile, analyzeText } from './analyze-lockfile.js';

const many = sharedPath('fixtures', 'lang', 'python', 'pipenv', 'trivy-many', 'Pipfile.lock');
const sample = sharedPath('fixtures', 'lang', 'python', 'pipenv', 'scancode-sample2', 'Pipfile.lock');

test('pipfile fixtures', { skip: many.skip || sample.skip }, async () => {
  const first = await analyzeFile(pipfileLockFormat, many.path, 'Pipfile.lock');
  assert.equal(first.output.diagnostics, undefined);
  assert.equal(first.packages.length, 24);
  assert.equal(first.byKey.get('awscli@1.16.147')?.dev, false);
  assert.equal(first.byKey.get('botocore@1.12.137')?.direct, undefined);

  const second = await analyzeFile(pipfileLockFormat, sample.path, 'Pipfile.lock');
  assert.equal(second.packages.length, 17);
  assert.ok(second.byKey.has('attrs@18.1.0'));
});

test('pipfile develop and unpinned entries', async () => {
  const lock = {
    _meta: {},
    default: { requests: { version: '==2.31.0' }, shared: { version: '==1.0' }, mine: { editable: true, path: '.' } },
    develop: { pytest: { version: '===8.0.0' }, shared: { version: '==1.0' } },
  };
  const { output, byKey } = await analyzeText(pipfileLockFormat, JSON.stringify(lock), 'Pipfile.lock');
  assert.deepEqual([...byKey.keys()], ['pytest@8.0.0', 'requests@2.31.0', 'shared@1.0']);
  assert.equal(byKey.get('pytest@8.0.0')?.dev, true);
  assert.equal(byKey.get('shared@1.0')?.dev, false);
  assert.equal(output.diagnostics?.[0]?.code, 'UNSUPPORTED');
  assert.equal(output.diagnostics?.[0]?.message, 'Pipfile.lock: default["mine"] has no "==" version pin, so it was skipped');
});
