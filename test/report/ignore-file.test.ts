import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BulwarkError, LimitError } from '../../src/errors.js';
import { MAX_IGNORE_RULES, MAX_WILDCARD_IGNORE_RULES, detectIgnoreFormat, parseIgnoreFile, readIgnoreFile } from '../../src/report/ignore-file.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-ignore-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('detectIgnoreFormat by file name', () => {
  assert.equal(detectIgnoreFormat('.bulwarkignore'), 'bulwarkignore');
  assert.equal(detectIgnoreFormat('ci/.trivyignore'), 'trivyignore');
  assert.equal(detectIgnoreFormat('.trivyignore.yaml'), 'trivyignore-yaml');
  assert.equal(detectIgnoreFormat('/repo/.trivyignore.yml'), 'trivyignore-yaml');
  assert.equal(detectIgnoreFormat('security/ignore.txt'), 'bulwarkignore');
});

test('parseIgnoreFile format overrides name', () => {
  const parsed = parseIgnoreFile('CVE-2024-1 path:app/*\n', { file: 'rules.txt', format: 'trivyignore' });
  assert.deepEqual(parsed.rules[0]!.paths, []);
  assert.equal(parsed.diagnostics.length, 1);
  assert.deepEqual(parsed.files, ['rules.txt']);
});

test('readIgnoreFile reads yaml from disk', async () => {
  const path = join(dir, '.trivyignore.yaml');
  await writeFile(path, 'vulnerabilities:\n  - id: CVE-2024-0727\n    statement: not reachable\n');
  const parsed = await readIgnoreFile(path);
  assert.equal(parsed.rules.length, 1);
  assert.equal(parsed.rules[0]!.kind, 'vulnerability');
  assert.deepEqual(parsed.rules[0]!.source, { file: path, line: 2 });
  assert.deepEqual(parsed.files, [path]);
});

test('readIgnoreFile missing file throws NOT_FOUND', async () => {
  const path = join(dir, 'absent.bulwarkignore');
  await assert.rejects(readIgnoreFile(path), (error: unknown) => error instanceof BulwarkError && error.code === 'NOT_FOUND');
});

test('readIgnoreFile missingOk returns no rules', async () => {
  const parsed = await readIgnoreFile(join(dir, '.bulwarkignore-absent'), { missingOk: true });
  assert.deepEqual(parsed, { rules: [], diagnostics: [], files: [] });
});

test('readIgnoreFile directory throws IO', async () => {
  await assert.rejects(readIgnoreFile(dir), (error: unknown) => error instanceof BulwarkError && error.code === 'IO');
});

test('readIgnoreFile rejects oversized file', async () => {
  const path = join(dir, 'big.bulwarkignore');
  await writeFile(path, 'CVE-2024-0001\n'.repeat(100));
  await assert.rejects(readIgnoreFile(path, { maxBytes: 1000 }), (error: unknown) => error instanceof LimitError && /1400 bytes/.test(error.message));
  const parsed = await readIgnoreFile(path, { maxBytes: 1400 });
  assert.equal(parsed.rules.length, 100);
});

test('readIgnoreFile rejects invalid maxBytes', async () => {
  await assert.rejects(readIgnoreFile(join(dir, 'x'), { maxBytes: 0 }), (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE');
});

test('parseIgnoreFile caps wildcard rules', () => {
  const lines = Array.from({ length: MAX_WILDCARD_IGNORE_RULES + 5 }, (_, index) => `* path:dir${index}/**`);
  const parsed = parseIgnoreFile(`CVE-2024-0001\n${lines.join('\n')}\nCVE-2024-0002\n`, { file: '.bulwarkignore' });
  assert.equal(parsed.rules.length, MAX_WILDCARD_IGNORE_RULES + 2);
  assert.equal(parsed.rules.at(-1)!.id, 'CVE-2024-0002');
  assert.equal(parsed.diagnostics.length, 1);
  assert.equal(parsed.diagnostics[0]!.code, 'LIMIT_EXCEEDED');
  assert.match(parsed.diagnostics[0]!.message, /^rules not applied: 5 of 1007,/);
});

test('parseIgnoreFile caps total rules', () => {
  const text = Array.from({ length: MAX_IGNORE_RULES + 1 }, (_, index) => `CVE-2024-${index}`).join('\n');
  const parsed = parseIgnoreFile(text, { file: '.trivyignore' });
  assert.equal(parsed.rules.length, MAX_IGNORE_RULES);
  assert.match(parsed.diagnostics[0]!.message, /^rules not applied: 1 of 20001,/);
});
