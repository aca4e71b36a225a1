/**
 * Measures events per second through the upstream Falco rules (falco_rules.yaml and
 * k8s_audit_rules.yaml, 73 rules) on one core. Two streams are replayed from memory:
 * every event of a real sysdig capture (curl_google.scap, read once through sysdig), and the
 * rule-relevant events of test/runtime/fixtures/syscall-rule-cases.yaml (execve, openat, ptrace,
 * socket and symlink events that walk deep macro trees). The time covers evaluation, and alert building where
 * stated, not reading. sysdig filtering the same capture is timed for comparison; its time includes decoding
 * the file. Run: `node --import tsx bench/runtime-rules.ts [events-per-round] [rounds]`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { buildAlert } from '../src/runtime/alerts/alert.js';
import { readCaptureEvents } from '../src/runtime/events/sysdig-events.js';
import type { RuntimeEvent } from '../src/runtime/fields/field-types.js';
import { RuleEngine } from '../src/runtime/rule-engine.js';
import { loadRuleFiles } from '../src/runtime/rules/load-rules.js';
import { parseRuleCases } from '../src/runtime/rules-test-harness.js';

const shared = resolve(process.env.BULWARK_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared'));
const capture = resolve(shared, 'captures', 'curl_google.scap');
const eventsPerRound = Number(process.argv[2] ?? 2_000_000);
const rounds = Number(process.argv[3] ?? 5);

const ruleset = await loadRuleFiles([resolve(shared, 'falco', 'falco_rules.yaml'), resolve(shared, 'falco', 'k8s_audit_rules.yaml')]);
const engine = new RuleEngine(ruleset.rules, { ruleMatching: 'first' });

const captured: RuntimeEvent[] = [];
for await (const event of readCaptureEvents(capture)) captured.push(event);
const casesFile = resolve(import.meta.dirname, '..', 'test', 'runtime', 'fixtures', 'syscall-rule-cases.yaml');
const relevant = parseRuleCases(casesFile, readFileSync(casesFile, 'utf8')).flatMap((testCase) => testCase.events);

function measure(name: string, events: readonly RuntimeEvent[], options: { buildAlerts: boolean }): void {
  const rates: number[] = [];
  let alerts = 0;
  for (let round = 0; round < rounds; round++) {
    const cpuStart = process.cpuUsage();
    for (let index = 0; index < eventsPerRound; index++) {
      const event = events[index % events.length] as RuntimeEvent;
      for (const match of engine.evaluate(event)) {
        if (options.buildAlerts) buildAlert(match, { hostname: 'bench', now: () => new Date(0) });
        alerts++;
      }
    }
    const cpu = process.cpuUsage(cpuStart);
    rates.push(eventsPerRound / ((cpu.user + cpu.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] as number;
  console.log(`${name}: ${events.length} distinct events, ${eventsPerRound} per round, ${rounds} rounds: median ${Math.round(median).toLocaleString('en')} events per CPU second (min ${Math.round(rates[0] as number).toLocaleString('en')}, max ${Math.round(rates[rates.length - 1] as number).toLocaleString('en')}), ${alerts} alerts`);
}

console.log(`${ruleset.rules.length} rules loaded`);
measure('capture replay', captured, { buildAlerts: true });
measure('rule-relevant events, evaluation only', relevant, { buildAlerts: false });
measure('rule-relevant events with alerts built', relevant, { buildAlerts: true });

// sysdig decodes and filters the capture with one condition in the rule language.
const sysdigRuns = 5;
const start = process.hrtime.bigint();
for (let run = 0; run < sysdigRuns; run++) spawnSync('sysdig', ['-r', capture, '-p', '%evt.num', 'evt.type in (open, openat) and fd.name startswith /etc'], { encoding: 'utf8' });
const seconds = Number(process.hrtime.bigint() - start) / 1e9 / sysdigRuns;
console.log(`sysdig -r on the same capture: ${captured.length} events in ${(seconds * 1000).toFixed(0)} ms wall per run, ${Math.round(captured.length / seconds).toLocaleString('en')} events/s including decoding and process start`);
