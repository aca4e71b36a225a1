import assert from 'node:assert/strict';
import { test } from 'node:test';

import { containerIdFromCgroup, containerIdFromCgroupFile, shortContainerId } from '../../../src/runtime/live/cgroup-container.js';

const ID = 'f94121b4944c364b4e82a30ba81a9b9b3d69818f2e6417f244a1a686a48d9b4d';

test('cgroup paths of each runtime', () => {
  // Shape: cgroup path or directory name, expected full id (undefined on the host).
  const cases: [string, string | undefined][] = [
    [`0::/libpod_parent/libpod-${ID}`, ID],
    [`libpod-${ID}`, ID],
    [`0::/machine.slice/libpod-${ID}.scope/container`, ID],
    [`0::/system.slice/docker-${ID}.scope`, ID],
    [`12:pids:/docker/${ID}`, ID],
    [`0::/kubepods.slice/kubepods-besteffort.slice/cri-containerd-${ID}.scope`, ID],
    [`0::/kubepods.slice/crio-${ID}.scope`, ID],
    [`0::/kubepods.slice/crio-conmon-${ID}.scope`, undefined],
    ['0::/user.slice/user-0.slice/session-1.scope', undefined],
    ['0::/', undefined],
    ['', undefined],
    [`libpod-${ID.slice(0, 63)}`, undefined],
  ];
  for (const [path, expected] of cases) assert.equal(containerIdFromCgroup(path), expected, path);
});

test('cgroup file prefers unified line', () => {
  const text = `12:pids:/docker/${'a'.repeat(64)}\n0::/libpod_parent/libpod-${ID}\n`;
  assert.equal(containerIdFromCgroupFile(text), ID);
  assert.equal(containerIdFromCgroupFile(`5:cpu:/docker/${ID}\n`), ID);
  assert.equal(containerIdFromCgroupFile('0::/init.scope\n'), undefined);
});

test('short container id', () => {
  assert.equal(shortContainerId(ID), 'f94121b4944c');
  assert.equal(shortContainerId(undefined), 'host');
});
