import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';

import { parseProcStat, readFdPath, readProcSnapshot } from '../../../src/runtime/live/proc-reader.js';
import { ProcessTable } from '../../../src/runtime/live/process-table.js';
import { parseIdNames } from '../../../src/runtime/live/user-names.js';

const linux = process.platform === 'linux' ? false : 'reads /proc, which only Linux has';

test('proc snapshot of a child', { skip: linux }, async () => {
  const cwd = realpathSync(tmpdir());
  const child = spawn('sleep', ['30'], { cwd, stdio: 'ignore' });
  await once(child, 'spawn');
  try {
    // The child execs sleep right after spawn; wait until /proc shows the new image.
    let snapshot = readProcSnapshot(child.pid as number);
    for (let attempt = 0; attempt < 50 && snapshot?.name !== 'sleep'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      snapshot = readProcSnapshot(child.pid as number);
    }
    assert.ok(snapshot !== undefined);
    assert.equal(snapshot.name, 'sleep');
    assert.deepEqual(snapshot.argv, ['sleep', '30']);
    assert.equal(snapshot.ppid, process.pid);
    assert.equal(snapshot.cwd, cwd);
    assert.match(snapshot.exepath ?? '', /\/sleep$/);
    assert.equal(snapshot.uid, process.getuid?.());
    assert.equal(snapshot.gid, process.getgid?.());
    assert.equal(readFdPath(child.pid as number, 0), '/dev/null');

    const table = new ProcessTable();
    const info = table.get(child.pid as number);
    assert.ok(info !== undefined);
    const ancestors = table.ancestors(info, 8);
    assert.equal(ancestors[0]?.pid, process.pid);
    assert.equal(ancestors[0]?.name, readProcSnapshot(process.pid)?.name);
  } finally {
    child.kill();
  }
  await once(child, 'close');
  assert.equal(readProcSnapshot(child.pid as number), undefined);
});

test('proc stat with odd names', () => {
  assert.deepEqual(parseProcStat('42 (a) (b c) S 7 42 42 34816 42 4194304'), { name: 'a) (b c', ppid: 7, tty: 34816 });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('passwd lines to names', () => {
  const names = parseIdNames('root:x:0:0:root:/root:/bin/bash\n# comment:x:5\nbroken\nnobody:x:65534:65534::/:/usr/sbin/nologin\nroot2:x:0:0::/:/bin/sh\n');
  assert.deepEqual([...names], [
    [0, 'root'],
    [65534, 'nobody'],
  ]);
});
