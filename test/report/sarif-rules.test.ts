import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Misconfiguration } from '../../src/model/misconfiguration.js';
import type { Vulnerability } from '../../src/model/vulnerability.js';
import { misconfigurationRule, ruleName, sarifLevel, vulnerabilityRule, vulnerabilitySecuritySeverity } from '../../src/report/sarif-rules.js';

function vulnerability(fields: Partial<Vulnerability>): Vulnerability {
  return {
    id: 'CVE-2023-44487',
    aliases: ['GHSA-qppj-fm5r-hxr3'],
    pkgName: 'golang.org/x/net',
    installedVersion: 'v0.15.0',
    fixedVersion: '0.17.0',
    status: 'fixed',
    severity: 'HIGH',
    dataSource: 'osv:Go',
    ...fields,
  };
}

test('sarif level per severity', () => {
  assert.equal(sarifLevel('CRITICAL'), 'error');
  assert.equal(sarifLevel('HIGH'), 'error');
  assert.equal(sarifLevel('MEDIUM'), 'warning');
  assert.equal(sarifLevel('LOW'), 'note');
  assert.equal(sarifLevel('UNKNOWN'), 'note');
});

test('security severity prefers newest cvss', () => {
  const cvss = {
    '3.1': { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
    '2.0': { vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P', score: 5 },
  };
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ cvss })), '7.5');
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ cvss: { '2.0': cvss['2.0'] } })), '5.0');
});

test('security severity without cvss', () => {
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({})), '8.0');
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ severity: 'CRITICAL' })), '9.5');
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ severity: 'MEDIUM', cvss: {} })), '5.5');
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ severity: 'LOW' })), '2.0');
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ severity: 'UNKNOWN' })), '0.0');
});

test('security severity rejects bad score', () => {
  const cvss = { '3.1': { vector: 'CVSS:3.1/AV:N', score: 12 } };
  assert.equal(vulnerabilitySecuritySeverity(vulnerability({ severity: 'LOW', cvss })), '2.0');
});

test('rule name in pascal case', () => {
  assert.equal(ruleName('Last USER is root', 'DL3002'), 'LastUserIsRoot');
  assert.equal(ruleName('Use COPY instead of ADD for files', 'DL3020'), 'UseCopyInsteadOfAddForFiles');
  assert.equal(ruleName('—', 'DL3020'), 'DL3020');
});

test('misconfiguration rule fences backticks', () => {
  const finding: Misconfiguration = {
    id: 'dockerfile/heredoc-fence',
    aliases: [],
    severity: 'LOW',
    title: 'Example with a fence',
    message: 'message',
  };
  const bad = 'RUN <<EOF\necho ```\nEOF';
  const rule = misconfigurationRule(finding, 'dockerfile', {
    id: finding.id,
    aliases: [],
    severity: 'LOW',
    title: 'Example with a fence',
    description: 'Shows `code` and <html> safely.',
    resolution: 'Nothing to fix.',
    examples: { bad, good: 'RUN echo ok' },
  }) as { help: { markdown: string; text: string } };
  assert.match(rule.help.markdown, /\n````dockerfile\nRUN <<EOF\necho ```\nEOF\n````\n/);
  assert.match(rule.help.markdown, /Shows \\`code\\` and \\<html\\> safely\./);
  assert.match(rule.help.text, /Bad:\nRUN <<EOF\necho ```\nEOF\n\nGood:\nRUN echo ok/);
});

test('misconfiguration rule metadata severity wins', () => {
  const finding: Misconfiguration = { id: 'image/root-user', aliases: ['CIS-DI-0001'], severity: 'LOW', title: 'Image runs as root', message: 'USER is 0' };
  const rule = misconfigurationRule(finding, 'imageconfig', {
    id: 'image/root-user',
    aliases: ['CIS-DI-0001'],
    severity: 'HIGH',
    title: 'Image runs as root',
    description: 'A container that runs as root widens what an escape reaches.',
    resolution: 'End the final stage with USER 10001.',
  }) as { defaultConfiguration: { level: string }; properties: { tags: string[] } };
  assert.equal(rule.defaultConfiguration.level, 'error');
  assert.deepEqual(rule.properties.tags, ['misconfiguration', 'security', 'imageconfig', 'HIGH']);
});

test('vulnerability rule help uri', () => {
  const references = [
    'https://crates.io/crates/ammonia',
    'https://github.com/rust-ammonia/ammonia/blob/master/CHANGELOG.md#210',
    'https://rustsec.org/advisories/RUSTSEC-2019-0001.html',
  ];
  const aliased = vulnerability({ id: 'CVE-2019-15542', aliases: ['RUSTSEC-2019-0001', 'GHSA-5hp8-35wj-m525'], references });
  assert.equal(vulnerabilityRule(aliased, 'lang-pkgs').helpUri, 'https://rustsec.org/advisories/RUSTSEC-2019-0001.html');
  const unrelated = vulnerability({ id: 'CVE-2019-15542', aliases: [], references: references.slice(0, 2) });
  assert.equal(vulnerabilityRule(unrelated, 'lang-pkgs').helpUri, 'https://crates.io/crates/ammonia');
  assert.equal(vulnerabilityRule(vulnerability({ references: [] }), 'lang-pkgs').helpUri, undefined);
});
