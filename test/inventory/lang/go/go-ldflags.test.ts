import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGoSemver, splitShellWords, versionFromLdflags } from '../../../../src/inventory/lang/go/go-ldflags.js';

test('version from -X flags', () => {
  // [module path, -ldflags value, expected version]
  const cases: Array<[string, string, string]> = [
    ['github.com/a/app', '-s -w -X main.version=1.2.3', '1.2.3'],
    ['github.com/a/app', '-X=main.Version=v2.0.0-rc.1', 'v2.0.0-rc.1'],
    ['github.com/a/app', "-X 'main.version=1.0.0'", '1.0.0'],
    ['github.com/a/app', '-X "main.version=1.0.0" -extldflags -static', '1.0.0'],
    ['github.com/aquasecurity/trivy', '-X github.com/aquasecurity/trivy/pkg/version/app.ver=0.50.1', '0.50.1'],
    ['github.com/docker/cli', ' -X "github.com/docker/cli/cli/version.GitCommit=e6534b4" -X "github.com/docker/cli/cli/version.Version=28.2.2"', '28.2.2'],
    // A key under <module>/cmd/ wins over a conventional package.
    ['github.com/a/app', '-X github.com/a/app/cmd/app.version=3.0.0 -X main.version=2.0.0', '3.0.0'],
    // Two candidates in the winning group are ambiguous.
    ['github.com/a/app', '-X main.version=1.0.0 -X cmd.version=2.0.0', ''],
    ['github.com/a/app', '-X main.version=dev', ''],
    ['github.com/a/app', '-X main.commit=1.0.0', ''],
    ['github.com/a/app', '', ''],
  ];
  for (const [modulePath, ldflags, expected] of cases) {
    assert.equal(versionFromLdflags(modulePath, ldflags), expected, ldflags);
  }
});

test('Go semver validity', () => {
  for (const valid of ['v1', 'v1.2', 'v1.2.3', '1.2.3', 'v1.2.3-rc.1+meta', 'v0.0.0-20240101000000-abcdef123456']) {
    assert.equal(isGoSemver(valid), true, valid);
  }
  for (const invalid of ['dev', 'v1.2.3.4', 'v01.2.3', 'v1.2-rc1', '', 'vv1']) {
    assert.equal(isGoSemver(invalid), false, invalid);
  }
});

test('shell word splitting', () => {
  assert.deepEqual(splitShellWords(`-X 'a=b c' -X "d=\\"e\\"" f\\ g`), ['-X', 'a=b c', '-X', 'd="e"', 'f g']);
  assert.deepEqual(splitShellWords('  '), []);
  assert.deepEqual(splitShellWords(`''`), ['']);
});
