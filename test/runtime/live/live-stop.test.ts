import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import { isRunning, onPath } from '../../helpers/processes.js';
import { PROJECT_ROOT, sharedPath } from '../../helpers/shared.js';

// Kills a live bulwark with SIGKILL, which it cannot handle, and checks that bpftrace dies with it
// and that no FIFO folder is left.

const rules = sharedPath('falco', 'falco_rules.yaml');

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'live capture needs root';
  const missing = ['bpftrace', 'unshare', 'setpriv'].filter((program) => !onPath(program));
  if (missing.length > 0) return `missing programs: ${missing.join(', ')}; install them with apt-get install bpftrace util-linux`;
  return rules.skip;
}

/** Returns the pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  const tasks = join('/proc', String(pid), 'task');
  if (!existsSync(tasks)) return [];
  const children: number[] = [];
  for (const line of readFileSync(join(tasks, String(pid), 'children'), 'utf8').split(' ')) if (line.trim() !== '') children.push(Number(line));
  return children;
}

test('bpftrace dies with a killed bulwark', { skip: skipReason(), timeout: 120_000 }, async () => {
  const cli = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'bulwark.js'), 'runtime', '-r', rules.path], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => cli.once('close', () => resolve()));
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('live capture started')) resolve();
      });
      void exited.then(() => reject(new Error(`bulwark exited before capture started: ${stderr}`)));
    });
    const tracers = childrenOf(cli.pid as number).filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'bpftrace');
    assert.equal(tracers.length, 1, `children of bulwark: ${childrenOf(cli.pid as number).join(', ')}`);
    const tracer = tracers[0] as number;

    // bpftrace writes to a FIFO whose name bulwark removes once both ends are open, so a killed
    // bulwark leaves no folder behind.
    const fifo = readdirSync(`/proc/${tracer}/fd`)
      .map((fd) => readlinkSync(`/proc/${tracer}/fd/${fd}`))
      .find((target) => target.includes('bulwark-live-'));
    assert.ok(fifo !== undefined, 'bpftrace has no bulwark-live FIFO open');
    assert.match(fifo, / \(deleted\)$/);
    assert.equal(existsSync(dirname(fifo.replace(/ \(deleted\)$/, ''))), false);

    cli.kill('SIGKILL');
    await exited;
    for (let waited = 0; waited < 10_000 && isRunning(tracer); waited += 100) await sleep(100);
    assert.equal(isRunning(tracer), false, `bpftrace ${tracer} still runs after bulwark was killed`);
  } finally {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
  }
});
