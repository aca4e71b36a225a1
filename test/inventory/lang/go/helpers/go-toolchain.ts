import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The `go` command, or undefined when no Go toolchain is installed (Debian: golang-go). */
export const GO = ['go', '/usr/lib/go/bin/go'].find((command) => spawnSync(command, ['version']).status === 0);
export const GO_SKIP = GO === undefined ? 'no Go toolchain found; install the golang-go package to run this test' : false;

/**
 * A module that exercises every kind of `modinfo` line: a vendored dependency at a version, a
 * dependency replaced by another module, and one replaced by a local directory. Vendoring lets it
 * build without network access.
 */
const PROJECT_FILES: Record<string, string> = {
  'go.mod': [
    'module example.com/hello',
    '',
    'go 1.19',
    '',
    'require (',
    '\texample.com/greet v1.2.3',
    '\texample.com/local v0.0.0',
    '\texample.com/old v0.1.0',
    ')',
    '',
    'replace example.com/old => example.com/new v1.0.0',
    '',
    'replace example.com/local => ./local',
    '',
  ].join('\n'),
  'main.go': [
    'package main',
    '',
    'import (',
    '\t"example.com/greet"',
    '\t"example.com/local"',
    '\t"example.com/old"',
    ')',
    '',
    'var version = "dev"',
    '',
    'func main() { println(greet.Hello(), old.Name(), local.Name(), version) }',
    '',
  ].join('\n'),
  'vendor/modules.txt': [
    '# example.com/greet v1.2.3',
    '## explicit',
    'example.com/greet',
    '# example.com/local v0.0.0 => ./local',
    '## explicit',
    'example.com/local',
    '# example.com/old v0.1.0 => example.com/new v1.0.0',
    '## explicit',
    'example.com/old',
    '# example.com/local => ./local',
    '# example.com/old => example.com/new v1.0.0',
    '',
  ].join('\n'),
  'vendor/example.com/greet/greet.go': 'package greet\n\nfunc Hello() string { return "hello" }\n',
  'vendor/example.com/old/old.go': 'package old\n\nfunc Name() string { return "new" }\n',
  'vendor/example.com/local/local.go': 'package local\n\nfunc Name() string { return "local" }\n',
  'local/go.mod': 'module example.com/local\n\ngo 1.19\n',
  'local/local.go': 'package local\n\nfunc Name() string { return "local" }\n',
};

/**
 * Builds the test module for each GOARCH with `-ldflags -X main.version=<stamp>` and returns the
 * binary paths by architecture. The build cache lives in the system temp folder, so later runs
 * only link.
 */
export function buildHelloBinaries(architectures: string[], stamp: string): Map<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-gobin-'));
  for (const [name, text] of Object.entries(PROJECT_FILES)) {
    mkdirSync(dirname(join(root, 'hello', name)), { recursive: true });
    writeFileSync(join(root, 'hello', name), text);
  }

  const cache = join(tmpdir(), 'bulwark-test-gocache');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    GOPATH: join(root, 'gopath'),
    GOCACHE: cache,
    GOPROXY: 'off',
    GOFLAGS: '-mod=vendor',
    CGO_ENABLED: '0',
    GOOS: 'linux',
  };
  const binaries = new Map<string, string>();
  for (const arch of architectures) {
    const output = join(root, `hello-${arch}`);
    // No -trimpath: Go 1.19 leaves `-ldflags` out of the build information when it is set.
    const args = ['build', '-buildvcs=false', '-ldflags', `-X main.version=${stamp}`, '-o', output, '.'];
    const result = spawnSync(GO!, args, { cwd: join(root, 'hello'), env: { ...env, GOARCH: arch }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`go build for GOARCH=${arch} failed: ${result.stderr}`);
    binaries.set(arch, output);
  }
  return binaries;
}

/** The build information that `go version -m` prints, split into columns without unquoting. */
export interface GoVersionM {
  goVersion: string;
  path: string;
  main: string[] | undefined;
  /** `dep` columns, each followed by its `=>` columns when replaced. */
  deps: Array<{ module: string[]; replace?: string[] }>;
  /** The raw text after `build\t` of each build line. */
  build: string[];
}

/** Runs `go version -m` on a binary and splits its output, as an oracle independent of our parser. */
export function goVersionM(binary: string): GoVersionM {
  const result = spawnSync(GO!, ['version', '-m', binary], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`go version -m ${binary} failed: ${result.stderr}`);
  const [first, ...lines] = result.stdout.split('\n');
  const parsed: GoVersionM = { goVersion: first!.slice(first!.indexOf(': ') + 2), path: '', main: undefined, deps: [], build: [] };
  let lastDep: { module: string[]; replace?: string[] } | undefined;
  let lastIsMain = false;

  for (const line of lines) {
    const [kind, ...columns] = line.replace(/^\t/, '').split('\t');
    if (kind === 'path') parsed.path = columns.join('\t');
    if (kind === 'mod') {
      parsed.main = columns;
      lastIsMain = true;
    }
    if (kind === 'dep') {
      lastDep = { module: columns };
      parsed.deps.push(lastDep);
      lastIsMain = false;
    }
    if (kind === '=>' && !lastIsMain && lastDep) lastDep.replace = columns;
    if (kind === 'build') parsed.build.push(columns.join('\t'));
  }
  return parsed;
}
