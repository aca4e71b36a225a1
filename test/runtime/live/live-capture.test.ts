import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { onPath } from '../../helpers/processes.js';
import { PROJECT_ROOT, sharedPath } from '../../helpers/shared.js';
import { testImages } from '../../helpers/test-images.js';

// Runs the built CLI live with the upstream Falco rules while podman containers do harmful
// things, and checks the alerts. Needs root, bpftrace, podman, runc, unshare and the debootstrap
// root file system that scripts/build-test-images.sh builds.

const rules = sharedPath('falco', 'falco_rules.yaml');
const images = testImages();

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'live capture needs root';
  // The perl actions call ptrace (101) and memfd_create (319) by their x86-64 numbers.
  if (process.arch !== 'x64') return `the harmful actions use x86-64 syscall numbers; this is ${process.arch}`;
  const missing = ['bpftrace', 'podman', 'runc', 'unshare', 'script'].filter((program) => !onPath(program));
  if (missing.length > 0) return `missing programs: ${missing.join(', ')}; install them with apt-get install bpftrace podman runc util-linux bsdutils`;
  if (rules.skip !== false) return rules.skip;
  return images.skip;
}

/** The rules the harmful actions fire, with fields the test appends to their output. */
const ASSERTED_RULES = [
  'Read sensitive file untrusted',
  'Search Private Keys or Passwords',
  'Clear Log Activities',
  'Remove Bulk Data from Disk',
  'Create Symlink Over Sensitive Files',
  'Create Hardlink Over Sensitive Files',
  'PTRACE attached to process',
  'PTRACE anti-debug attempt',
  'Fileless execution via memfd_create',
  'Execution from /dev/shm',
  'Find AWS Credentials',
  'Terminal shell in container',
];

// Falco users add container fields to outputs with an override; the upstream file stays as it is.
const OVERRIDES = ASSERTED_RULES.map((name) => `- rule: ${name}\n  output: container_id=%container.id container_full_id=%container.full_id\n  override:\n    output: append\n`).join('\n');

// The harmful actions, each with a near miss that must not alert. sh is dash in Debian.
const ACTIONS = `
cat /etc/shadow > /dev/null
cat /etc/hostname > /dev/null
find / -maxdepth 2 -name id_rsa
find / -maxdepth 1 -name hostname
: > /var/log/dpkg.log
echo data > /tmp/bulk && shred -u /tmp/bulk
ln -s /etc/shadow /tmp/shadow-link
ln -s /etc/hostname /tmp/hostname-link
ln /etc/shadow /tmp/shadow-hardlink
perl -e 'syscall(101, 0, 0, 0, 0)'
perl -e 'my $child = fork(); if ($child == 0) { sleep 3; exit 0 } syscall(101, 16, $child, 0, 0); waitpid($child, 0)'
perl -e 'my $name = "payload"; my $fd = syscall(319, $name, 0); open(my $out, ">&=", $fd) or die; open(my $in, "<", "/bin/true") or die; binmode $in; binmode $out; select((select($out), $| = 1)[0]); my $data = do { local $/; <$in> }; print {$out} $data; exec { "/proc/self/fd/$fd" } "fileless" or die'
printf 'exit 0\\n' > /dev/shm/drop.sh && sh /dev/shm/drop.sh
grep -r aws_access_key_id /etc || true
grep -r hello-near-miss /etc/hostname || true
sleep 1
`;

interface JsonAlert {
  rule: string;
  output_fields: Record<string, string | number | boolean | null>;
}

test('live capture with podman containers', { skip: skipReason(), timeout: 240_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'bulwark-live-'));
  const storageConf = join(work, 'storage.conf');
  const containersConf = join(work, 'containers.conf');
  mkdirSync(join(work, 'root'));
  writeFileSync(storageConf, `[storage]\ndriver = "vfs"\ngraphroot = "${join(work, 'root')}"\nrunroot = "${join(work, 'runroot')}"\n`);
  writeFileSync(containersConf, '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n');
  writeFileSync(join(work, 'overrides.yaml'), OVERRIDES);
  // bulwark and podman share this private store, so podman inspect inside bulwark finds the test's containers.
  const env = { ...process.env, CONTAINERS_STORAGE_CONF: storageConf, CONTAINERS_CONF: containersConf };
  const podman = (...args: string[]): string => execFileSync('podman', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const runFlags = ['--network', 'none', '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];

  const imported = spawnSync('sh', ['-c', `tar -C "${images.rootfs}/" -c . | podman import - bulwark-test/debian:12`], { env, encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);

  const cli = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'bulwark.js'), 'runtime', '-r', rules.path, join(work, 'overrides.yaml'), '--format', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  cli.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => cli.once('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('live capture started')) resolve();
      });
      void exited.then((code) => reject(new Error(`bulwark exited with ${code} before capture started: ${stderr}`)));
    });

    const containerId = podman('run', '-d', ...runFlags, 'bulwark-test/debian:12', 'sh', '-c', ACTIONS);
    assert.match(containerId, /^[0-9a-f]{64}$/);
    assert.equal(podman('wait', containerId), '0');
    // A terminal comes from script(1), which gives podman run -t a pseudo-terminal to pass on.
    const ttyName = `bulwark-tty-${process.pid}`;
    const terminal = spawnSync('script', ['-qec', `podman run -t --name ${ttyName} ${runFlags.join(' ')} bulwark-test/debian:12 bash -c 'exit 0'`, '/dev/null'], { env, encoding: 'utf8' });
    assert.equal(terminal.status, 0, terminal.stderr);
    const ttyContainerId = podman('inspect', '--format', '{{.Id}}', ttyName);
    podman('rm', ttyName, containerId);
    // Lets bpftrace hand over the last events before the stop.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    cli.kill('SIGINT');
    assert.equal(await exited, 0, stderr);

    const alerts = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as JsonAlert);
    const ofRule = (rule: string, id = containerId) => alerts.filter((alert) => alert.rule === rule && alert.output_fields['container.full_id'] === id);

    // Each case: rule, process name, and a field that names the file or target.
    const cases: [rule: string, processName: string, field: string, expected: RegExp][] = [
      ['Read sensitive file untrusted', 'cat', 'fd.name', /^\/etc\/shadow$/],
      ['Search Private Keys or Passwords', 'find', 'proc.cmdline', /^find \/ -maxdepth 2 -name id_rsa$/],
      ['Clear Log Activities', 'sh', 'fd.name', /^\/var\/log\/dpkg\.log$/],
      ['Remove Bulk Data from Disk', 'shred', 'proc.cmdline', /^shred -u \/tmp\/bulk$/],
      ['Create Symlink Over Sensitive Files', 'ln', 'evt.arg.target', /^\/etc\/shadow$/],
      ['Create Hardlink Over Sensitive Files', 'ln', 'evt.arg.oldpath', /^\/etc\/shadow$/],
      ['PTRACE anti-debug attempt', 'perl', 'proc.cmdline', /syscall\(101, 0, 0, 0, 0\)/],
      ['PTRACE attached to process', 'perl', 'proc.cmdline', /syscall\(101, 16, \$child/],
      // The kernel names a process run from /proc/self/fd/3 "3".
      ['Fileless execution via memfd_create', '3', 'proc.exepath', /^\/memfd:payload$/],
      ['Execution from /dev/shm', 'sh', 'proc.cmdline', /^sh \/dev\/shm\/drop\.sh$/],
      ['Find AWS Credentials', 'grep', 'proc.cmdline', /^grep -r aws_access_key_id \/etc$/],
    ];
    const fired = new Set<string>();
    for (const [rule, processName, field, expected] of cases) {
      const matches = ofRule(rule);
      if (matches.length === 0) continue;
      fired.add(rule);
      const alert = matches.find((candidate) => candidate.output_fields['proc.name'] === processName);
      assert.ok(alert !== undefined, `${rule}: no alert from process ${processName}; got ${JSON.stringify(matches.map((match) => match.output_fields['proc.name']))}`);
      assert.equal(alert.output_fields['container.id'], containerId.slice(0, 12), rule);
      assert.match(String(alert.output_fields[field]), expected, `${rule}: ${field} in ${JSON.stringify(alert.output_fields)}`);
    }
    const terminalAlerts = ofRule('Terminal shell in container', ttyContainerId);
    if (terminalAlerts.length > 0) {
      fired.add('Terminal shell in container');
      const alert = terminalAlerts[0] as JsonAlert;
      assert.equal(alert.output_fields['proc.name'], 'bash');
      assert.equal(alert.output_fields['container.id'], ttyContainerId.slice(0, 12));
      assert.notEqual(alert.output_fields['proc.tty'], 0);
    }
    t.diagnostic(`rules fired: ${[...fired].sort().join(', ')}`);
    assert.ok(fired.size >= 8, `only ${fired.size} rules fired: ${[...fired].join(', ')}; stderr: ${stderr}`);

    // Near misses: the same actions on files that are not sensitive raise nothing.
    // The container's sh has the whole script as its command line, so only the near-miss commands' own lines count.
    const nearMissAlerts = alerts.filter(
      (alert) =>
        /hostname/.test(String(alert.output_fields['fd.name'] ?? '')) ||
        /hostname/.test(String(alert.output_fields['evt.arg.target'] ?? '')) ||
        /^(cat|find|ln|grep) .*(hostname|hello-near-miss)/.test(String(alert.output_fields['proc.cmdline'] ?? '')),
    );
    assert.deepEqual(nearMissAlerts.map((alert) => alert.rule), []);

    // With --format json the exit summary is one JSON line on stderr, with the live counters.
    assert.match(stderr, /"live":\{"captured":[1-9]\d*,"dropped":\d+/);
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    spawnSync('podman', ['rm', '-f', '--all'], { env });
    spawnSync('podman', ['system', 'reset', '--force'], { env });
    rmSync(work, { recursive: true, force: true });
  }
});
