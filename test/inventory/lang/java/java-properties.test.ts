import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseJavaProperties } from '../../../../src/inventory/lang/java/java-properties.js';
import { sharedPath } from '../../../helpers/shared.js';

const fixtures: Array<[string[], Record<string, string>]> = [
  [['snakeyaml-1.26', 'META-INF', 'maven', 'org.yaml', 'snakeyaml', 'pom.properties'], { groupId: 'org.yaml', artifactId: 'snakeyaml', version: '1.26' }],
  [['mssql-jdbc', 'pom.properties'], { groupId: 'com.microsoft.sqlserver', artifactId: 'mssql-jdbc', version: '12.10.2' }],
];
for (const [parts, expected] of fixtures) {
  const fixture = sharedPath('fixtures', 'lang', 'java', ...parts);
  test(`pom.properties of ${parts[0]}`, { skip: fixture.skip }, () => {
    const properties = parseJavaProperties(readFileSync(fixture.path, 'utf8'));
    assert.deepEqual(Object.fromEntries(properties), expected);
  });
}

test('properties syntax edge cases', () => {
  const text = [
    '  # comment',
    '! bang comment',
    'a=1',
    'b : 2',
    'c 3',
    'd=first \\',
    '   second',
    'e\\=key=value\\u00e9\\tx',
    'f=',
    'a=override',
  ].join('\r\n');
  assert.deepEqual(Object.fromEntries(parseJavaProperties(text)), {
    a: 'override',
    b: '2',
    c: '3',
    d: 'first second',
    'e=key': 'valueé\tx',
    f: '',
  });
});
