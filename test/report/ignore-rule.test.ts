import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from '../../src/report/glob.js';
import { isRuleExpired, matchVulnerabilityRule, mergeIgnoreRules, ruleLabel } from '../../src/report/ignore-rule.js';
import type { IgnoreRule } from '../../src/report/ignore-rule.js';
import { parsePurlPattern } from '../../src/report/purl-pattern.js';
import type { Vulnerability } from '../../src/model/vulnerability.js';

const VULNERABILITY: Vulnerability = {
  id: 'CVE-2021-23337',
  aliases: ['GHSA-35jh-r3h4-6jhm'],
  pkgName: 'lodash',
  installedVersion: '4.17.20',
  fixedVersion: '4.17.21',
  status: 'fixed',
  severity: 'HIGH',
  dataSource: 'osv:npm',
  pkgPath: 'app/package-lock.json',
};

function rule(fields: Partial<IgnoreRule>): IgnoreRule {
  return { kind: 'any', paths: [], purls: [], packageNames: [], ...fields };
}

const context = { vulnerability: VULNERABILITY, target: 'app/package-lock.json' };

test('rule matches id case-insensitively', () => {
  assert.equal(matchVulnerabilityRule(rule({ id: 'cve-2021-23337' }), context), true);
  assert.equal(matchVulnerabilityRule(rule({ id: 'ghsa-35jh-r3h4-6jhm' }), context), true);
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23338' }), context), false);
});

test('rule kind must fit vulnerabilities', () => {
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', kind: 'vulnerability' }), context), true);
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', kind: 'secret' }), context), false);
});

test('rule scopes all must match', () => {
  const paths = [compileGlob('app/**')];
  const purls = [parsePurlPattern('pkg:npm/lodash')];
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', paths, packageNames: ['lodash'] }), context), true);
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', paths, packageNames: ['underscore'] }), context), false);
  // The vulnerability has no purl and no package is given, so a purl scope cannot match.
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', purls }), context), false);
  const withPackage = { ...context, pkg: { name: 'lodash', version: '4.17.20', path: 'app/package-lock.json', purl: 'pkg:npm/lodash@4.17.20' } };
  assert.equal(matchVulnerabilityRule(rule({ id: 'CVE-2021-23337', purls }), withPackage), true);
});

test('rule path matches package path', () => {
  const scoped = rule({ paths: [compileGlob('app/package-lock.json')] });
  assert.equal(matchVulnerabilityRule(scoped, { vulnerability: VULNERABILITY, target: 'other-target' }), true);
  const elsewhere = { vulnerability: { ...VULNERABILITY, pkgPath: 'web/package-lock.json' }, target: 'web/package-lock.json' };
  assert.equal(matchVulnerabilityRule(scoped, elsewhere), false);
});

test('rule expiry starts after UTC midnight', () => {
  const expiring = rule({ id: 'X', expiresOn: '2025-01-31' });
  assert.equal(isRuleExpired(expiring, new Date('2025-01-31T00:00:00Z')), false);
  assert.equal(isRuleExpired(expiring, new Date('2025-01-31T00:00:00.001Z')), true);
  assert.equal(isRuleExpired(rule({ id: 'X' }), new Date('9999-01-01T00:00:00Z')), false);
});

test('rule label and merge', () => {
  assert.equal(ruleLabel(rule({ id: 'CVE-1' })), 'CVE-1');
  assert.equal(ruleLabel(rule({ packageNames: ['x'] })), '*');
  const merged = mergeIgnoreRules(
    { rules: [rule({ id: 'A' })], diagnostics: [], files: ['one'] },
    { rules: [rule({ id: 'B' })], diagnostics: [{ target: 'two:1', message: 'm', code: 'FORMAT_INVALID' }], files: ['two'] },
  );
  assert.deepEqual(merged.rules.map(ruleLabel), ['A', 'B']);
  assert.deepEqual(merged.files, ['one', 'two']);
  assert.equal(merged.diagnostics.length, 1);
});

test('rule purls and names share a scope', () => {
  const withPackage = { ...context, pkg: { name: 'lodash', version: '4.17.20', path: 'app/package-lock.json', purl: 'pkg:npm/lodash@4.17.20' } };
  const purlOrName = rule({ id: 'CVE-2021-23337', purls: [parsePurlPattern('pkg:npm/underscore')], packageNames: ['lodash'] });
  assert.equal(matchVulnerabilityRule(purlOrName, withPackage), true);
  const neither = rule({ id: 'CVE-2021-23337', purls: [parsePurlPattern('pkg:npm/underscore')], packageNames: ['ramda'] });
  assert.equal(matchVulnerabilityRule(neither, withPackage), false);
});
