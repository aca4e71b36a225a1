import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Alert } from '../../../src/runtime/alerts/alert.js';
import { AlertRouter, parseAlertRoute } from '../../../src/runtime/alerts/alert-routes.js';
import { BulwarkError } from '../../../src/errors.js';

function alert(rule: string, priority: string, tags: string[] = [], source = 'syscall'): Alert {
  return { time: '2026-01-01T00:00:00.000000000Z', rule, priority, source, output: 'o', output_fields: {}, tags, hostname: 'h' };
}

const SHELL = alert('Terminal shell in container', 'Notice', ['container', 'shell']);
const SHADOW = alert('Read sensitive file untrusted', 'Warning', ['filesystem']);
const BINARY_DIR = alert('Write below binary dir', 'Error', ['filesystem']);
const ADMIN = alert('Attach to cluster-admin Role', 'Critical', ['k8s'], 'k8s_audit');

describe('parseAlertRoute', () => {
  // [route, alerts it must select, alerts it must not select]
  const cases: [string, Alert[], Alert[]][] = [
    ['priority>=error=http', [BINARY_DIR, ADMIN], [SHELL, SHADOW]],
    ['priority>error=http', [ADMIN], [BINARY_DIR, SHADOW]],
    ['priority=warning=file', [SHADOW], [SHELL, BINARY_DIR]],
    ['priority!=warning=file', [SHELL, BINARY_DIR], [SHADOW]],
    ['priority<=notice=file', [SHELL], [SHADOW]],
    ['priority<warning=file', [SHELL], [SHADOW, BINARY_DIR]],
    ['priority >= INFO=stdout', [SHELL, ADMIN], []],
    ['rule=Terminal shell in container=program', [SHELL], [SHADOW]],
    ['rule=*sensitive*=program', [SHADOW], [SHELL, BINARY_DIR]],
    ['rule=Write below ?????? dir=program', [BINARY_DIR], [SHADOW]],
    ['tag=filesystem=file', [SHADOW, BINARY_DIR], [SHELL, ADMIN]],
    ['source=k8s_audit=http', [ADMIN], [SHELL, SHADOW, BINARY_DIR]],
  ];
  for (const [text, selected, skipped] of cases) {
    it(`selects with ${text}`, () => {
      const route = parseAlertRoute(text);
      for (const candidate of selected) assert.equal(route.matches(candidate), true, `${candidate.rule} matches`);
      for (const candidate of skipped) assert.equal(route.matches(candidate), false, `${candidate.rule} does not match`);
    });
  }

  it('splits at the last equals sign', () => {
    const route = parseAlertRoute('rule=a=b=stdout');
    assert.equal(route.selector, 'rule=a=b');
    assert.equal(route.output, 'stdout');
    assert.equal(route.matches(alert('a=b', 'Notice')), true);
  });

  // [route, part of the message that names the problem]
  const invalid: [string, RegExp][] = [
    ['priority>=error', /unknown output 'error'/],
    ['priority>=loud=http', /unknown priority 'loud'/],
    ['prio>=error=http', /invalid selector 'prio>=error'/],
    ['user=root=http', /invalid selector 'user=root'/],
    ['=stdout', /write SELECTOR=OUTPUT/],
    ['rule=x=slack', /unknown output 'slack'/],
    ['rule=[z-a]=stdout', /invalid rule pattern '\[z-a\]'/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseAlertRoute(text),
        (error: unknown) => error instanceof BulwarkError && error.code === 'USAGE' && message.test(error.message),
      );
    });
  }
});

describe('AlertRouter', () => {
  it('sends unrouted outputs everything', () => {
    const router = new AlertRouter([parseAlertRoute('priority>=error=http')]);
    for (const candidate of [SHELL, SHADOW, BINARY_DIR, ADMIN]) {
      assert.equal(router.selects('stdout', candidate), true, candidate.rule);
      assert.equal(router.selects('file', candidate), true, candidate.rule);
    }
  });

  it('joins routes of one output with or', () => {
    const router = new AlertRouter([parseAlertRoute('priority>=critical=http'), parseAlertRoute('tag=shell=http')]);
    assert.equal(router.selects('http', ADMIN), true);
    assert.equal(router.selects('http', SHELL), true);
    assert.equal(router.selects('http', SHADOW), false);
    assert.equal(router.selects('http', BINARY_DIR), false);
    assert.deepEqual(router.routedOutputs(), ['http']);
  });

  it('routes nothing without routes', () => {
    const router = new AlertRouter([]);
    assert.deepEqual(router.routedOutputs(), []);
    assert.equal(router.selects('program', SHADOW), true);
  });
});
