import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import type { AnalyzerOutput } from '../../../../src/inventory/analyzer.js';
import { goBinaryAnalyzer, goBinaryOutput } from '../../../../src/inventory/lang/go/go-binary-analyzer.js';
import { createGoBuildInfoScanner } from '../../../../src/inventory/lang/go/go-buildinfo-scanner.js';
import { readGoBuildInfo } from '../../../../src/inventory/lang/go/go-buildinfo.js';
import type { GoBuildInfo } from '../../../../src/inventory/lang/go/go-modinfo.js';
import { buildHelloBinaries, GO, GO_SKIP, goVersionM, type GoVersionM } from './helpers/go-toolchain.js';

/** Compares our build information with the columns that `go version -m` printed. */
function assertMatchesGoVersionM(info: GoBuildInfo | undefined, oracle: GoVersionM, label: string): void {
  assert.ok(info, `${label}: no build information found`);
  const pad = (columns: string[]): string[] => [columns[0] ?? '', columns[1] ?? '', columns[2] ?? ''];
  assert.equal(info.goVersion, oracle.goVersion, `${label}: goVersion`);
  assert.equal(info.path, oracle.path, `${label}: path`);
  assert.deepEqual(info.main && [info.main.path, info.main.version, info.main.sum ?? ''], oracle.main && pad(oracle.main), `${label}: main`);
  assert.deepEqual(
    info.deps.map((dep) => [dep.path, dep.version, dep.replace ? `${dep.replace.path} ${dep.replace.version} ${dep.replace.sum ?? ''}` : '']),
    oracle.deps.map((dep) => [dep.module[0], dep.module[1], dep.replace ? pad(dep.replace).join(' ') : '']),
    `${label}: deps`,
  );
  assert.deepEqual(info.invalidLines, [], `${label}: invalid lines`);
  assert.equal(info.settings.length, oracle.build.length, `${label}: build line count`);
  info.settings.forEach((setting, index) => {
    const raw = oracle.build[index]!;
    // Quoted values (`-ldflags="-X a=b"`) are unquoted by our parser, so only unquoted ones compare as text.
    if (raw.includes('"') || raw.includes('`')) assert.ok(raw.startsWith(`${setting.key}=`), `${label}: build key ${setting.key}`);
    else assert.equal(`${setting.key}=${setting.value}`, raw, `${label}: build line ${index}`);
  });
}

/** Feeds a file to the streaming scanner in chunks of `chunkSize` bytes. */
async function scanFile(path: string, chunkSize: number): Promise<GoBuildInfo | undefined> {
  const scanner = createGoBuildInfoScanner();
  for await (const chunk of createReadStream(path, { highWaterMark: chunkSize })) scanner.write(chunk as Buffer);
  return scanner.end();
}

function analyzeFile(path: string, label: string): AnalyzerOutput {
  const content = readFileSync(path);
  return goBinaryAnalyzer.analyze({ info: { path: label, size: content.length, mode: 0o755 }, content }) as AnalyzerOutput;
}

test('required wants executables only', () => {
  const cases: Array<[string, number, number, boolean]> = [
    ['usr/local/bin/app', 0o755, 5_000_000, true],
    ['usr/local/bin/app', 0o644, 5_000_000, false],
    ['usr/local/bin/run.sh', 0o755, 5_000, false],
    ['usr/local/bin/huge', 0o755, 200 * 1024 * 1024, true],
    ['usr/local/bin/tiny', 0o755, 10, false],
  ];
  for (const [path, mode, size, expected] of cases) {
    assert.equal(goBinaryAnalyzer.required({ path, size, mode }), expected, `${path} ${mode.toString(8)} ${size}`);
  }
});

test('non-ELF executable yields nothing', () => {
  const content = Buffer.from('#!/bin/sh\necho hello\n'.repeat(10));
  assert.deepEqual(goBinaryAnalyzer.analyze({ info: { path: 'usr/bin/hello', size: content.length, mode: 0o755 }, content }), {});
});

test('corrupt ELF becomes a diagnostic', () => {
  const content = Buffer.alloc(128);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]).copy(content);
  content.writeBigUInt64LE(1n << 40n, 0x20);
  content.writeUInt16LE(1, 0x38);
  const output = goBinaryAnalyzer.analyze({ info: { path: 'usr/bin/bad', size: content.length, mode: 0o755 }, content }) as AnalyzerOutput;
  assert.equal(output.packageSets, undefined);
  assert.equal(output.diagnostics?.[0]?.code, 'FORMAT_INVALID');
  assert.match(output.diagnostics?.[0]?.message ?? '', /invalid ELF file/);
});

const architectures = ['amd64', '386', 'arm64', 'mips', 's390x'];
test('built binaries for five architectures', { skip: GO_SKIP }, async () => {
  const binaries = buildHelloBinaries(architectures, '1.4.2');
  const goVersion = spawnSync(GO!, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();

  for (const [arch, binary] of binaries) {
    const info = readGoBuildInfo(readFileSync(binary));
    assertMatchesGoVersionM(info, goVersionM(binary), arch);
    assert.deepEqual(await scanFile(binary, 4096), info, `${arch}: scanner`);

    const output = analyzeFile(binary, `app/hello-${arch}`);
    assert.equal(output.diagnostics, undefined, arch);
    assert.equal(output.packageSets?.length, 1);
    const set = output.packageSets![0]!;
    assert.equal(set.type, 'gobinary');
    assert.equal(set.target, `app/hello-${arch}`);
    assert.deepEqual(
      set.packages.map((pkg) => `${pkg.name}@${pkg.version}`),
      [
        'example.com/greet@v1.2.3',
        // Replaced by the local directory ./local, so no version identifies the code.
        'example.com/local@',
        'example.com/new@v1.0.0',
        // `(devel)` in the binary, with the version from `-ldflags -X main.version=1.4.2`.
        'example.com/hello@1.4.2',
        `stdlib@${goVersion.replace(/^go/, '')}`,
      ].sort(),
      arch,
    );
    const main = set.packages.find((pkg) => pkg.name === 'example.com/hello');
    assert.deepEqual(main?.dependsOn, ['example.com/greet', 'example.com/local', 'example.com/new', 'stdlib']);
  }
});

/**
 * Go binaries that Debian packages and vendors install on a typical build machine. Each one that
 * exists is compared with `go version -m`. On the machine these tests were written on, the set
 * covers Go 1.19 to 1.24, GOPATH builds without a main module, and a Google toolchain version
 * with suffixes.
 */
const MACHINE_BINARIES = [
  '/usr/bin/docker',
  '/usr/local/bin/docker',
  '/usr/bin/umoci',
  '/usr/bin/skopeo',
  '/usr/local/bin/terraform',
  '/usr/lib/google-cloud-sdk/platform/google_appengine/go-app-stager',
  '/usr/lib/google-cloud-sdk/bin/kubectl.1.28',
  '/usr/lib/go/bin/gofmt',
].filter((path) => existsSync(path) && statSync(path).isFile());

test('machine binaries match go version -m', { skip: GO_SKIP || (MACHINE_BINARIES.length === 0 && 'no known Go binaries on this machine') }, async () => {
  for (const binary of MACHINE_BINARIES) {
    const info = readGoBuildInfo(readFileSync(binary));
    assertMatchesGoVersionM(info, goVersionM(binary), binary);
    assert.deepEqual(await scanFile(binary, 1024 * 1024), info, `${binary}: scanner`);

    const output = goBinaryOutput(info, binary.slice(1));
    const stdlib = output.packageSets?.[0]?.packages.find((pkg) => pkg.name === 'stdlib');
    assert.equal(stdlib?.version, /^go(\S+)/.exec(info!.goVersion)![1], `${binary}: stdlib`);

    // Each dependency keeps the h1: sum that `go version -m` prints, the replacement's when replaced.
    const packages = output.packageSets?.[0]?.packages ?? [];
    for (const dep of info!.deps.filter((candidate) => candidate.replace === undefined && candidate.sum !== undefined)) {
      const pkg = packages.find((candidate) => candidate.name === dep.path && candidate.version === dep.version);
      assert.equal(pkg?.goModuleSum, dep.sum, `${binary}: ${dep.path}`);
      assert.match(pkg?.goModuleSum ?? '', /^h1:[A-Za-z0-9+/]{43}=$/);
    }
  }
});

/** Real Go binaries on this machine that are larger than the 16 MiB buffered cap. */
const LARGE_GO_BINARIES = ['/usr/local/bin/docker', '/usr/bin/skopeo'].filter((path) => existsSync(path) && statSync(path).size > 16 * 1024 * 1024);

test('large binary streams through scanner', { skip: LARGE_GO_BINARIES.length === 0 ? 'no Go binary over 16 MiB on this machine' : false }, async () => {
  for (const path of LARGE_GO_BINARIES) {
    const content = readFileSync(path);
    const info = { path: path.slice(1), size: content.length, mode: 0o755 };
    assert.ok(content.length > goBinaryAnalyzer.maxFileSize, `${path} fits the buffered cap`);
    const scanner = goBinaryAnalyzer.createScanner!(info);
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) scanner.write(chunk as Buffer);
    const streamed = scanner.end();
    const buffered = goBinaryAnalyzer.analyze({ info, content }) as AnalyzerOutput;
    assert.ok((streamed.packageSets?.[0]?.packages.length ?? 0) > 0, `${path}: no packages`);
    assert.deepEqual(streamed, buffered, path);
  }
});
