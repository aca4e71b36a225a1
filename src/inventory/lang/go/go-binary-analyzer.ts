import { BulwarkError, errorMessage } from '../../../errors.js';
import type { Diagnostic } from '../../../model/diagnostic.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo, FileScanner } from '../../analyzer.js';
import { compareStrings, fileDiagnostic, langOutput } from '../package-set.js';
import { readGoBuildInfo } from './go-buildinfo.js';
import { createGoBuildInfoScanner } from './go-buildinfo-scanner.js';
import { versionFromLdflags } from './go-ldflags.js';
import type { GoBuildInfo } from './go-modinfo.js';

/** File name endings of executables that are scripts or data, never Go binaries. */
const SCRIPT_SUFFIXES = ['.sh', '.bash', '.py', '.pl', '.rb', '.js', '.php', '.txt', '.md', '.json', '.xml', '.yaml', '.yml'];

/**
 * Executables up to this size are buffered and read through their ELF headers, which also handles
 * binaries from before Go 1.18. Larger ones stream through `createGoBuildInfoScanner`, so a layer of
 * 100 MB binaries costs no more memory than a layer of small ones.
 */
const MAX_BUFFERED_BINARY = 16 * 1024 * 1024;

/**
 * Reads the build information of Go executables (any file with an execute bit whose content is
 * ELF, or for large files any binary format that carries the Go 1.18+ build information).
 */
export const goBinaryAnalyzer: Analyzer = {
  id: 'gobinary',
  version: 3,
  maxFileSize: MAX_BUFFERED_BINARY,

  required(info: FileInfo): boolean {
    if ((info.mode & 0o111) === 0 || info.size < 64) return false;
    const lower = info.path.toLowerCase();
    return !SCRIPT_SUFFIXES.some((suffix) => lower.endsWith(suffix));
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    try {
      return goBinaryOutput(readGoBuildInfo(input.content), path);
    } catch (error) {
      if (!(error instanceof BulwarkError)) throw error;
      return { diagnostics: [fileDiagnostic(path, error.code, `${errorMessage(error)}; the Go modules of this binary are not listed`)] };
    }
  },

  createScanner(info: FileInfo): FileScanner {
    const scanner = createGoBuildInfoScanner();
    return {
      write: (chunk) => scanner.write(chunk),
      end: () => {
        const buildInfo = scanner.end();
        if (scanner.legacyFormat) {
          // TODO: read pre-Go 1.18 build information from binaries over 16 MiB, which needs the
          // strings that precede the header in the file; a single pass has already passed them.
          return { diagnostics: [fileDiagnostic(info.path, 'UNSUPPORTED', 'built with Go before 1.18 and over 16 MiB, so its modules are not listed')] };
        }
        if (buildInfo === undefined && scanner.problem !== undefined) {
          return { diagnostics: [fileDiagnostic(info.path, 'FORMAT_INVALID', `${scanner.problem}; the Go modules of this binary are not listed`)] };
        }
        return goBinaryOutput(buildInfo, info.path);
      },
    };
  },
};

/**
 * Turns the build information of the Go binary at `path` into a `gobinary` package set, whose
 * target is the binary itself. The packages are reported the way Trivy reports them:
 *
 * - `stdlib` at the toolchain version without the `go` prefix and any suffix after a space
 *   (`go1.22.3 X:boringcrypto` gives `1.22.3`).
 * - the main module, at its version. When that is `(devel)`, or a `v0.0.0-` pseudo-version while
 *   `-ldflags -X` stamped a version, the stamped version is used. Without either it is empty.
 * - each dependency, or the module that replaces it. A `(devel)` version becomes empty.
 *
 * Binaries built outside module mode (the `go` tool itself) list only `stdlib`.
 */
export function goBinaryOutput(info: GoBuildInfo | undefined, path: string): AnalyzerOutput {
  if (info === undefined) return {};
  const diagnostics: Diagnostic[] = info.invalidLines.map((line) =>
    fileDiagnostic(path, 'FORMAT_INVALID', `skipped a line of the Go module information: ${line}`),
  );
  const packages: Package[] = [];

  const toolchain = /^go(\d[^\s]*)/.exec(info.goVersion);
  if (toolchain) packages.push({ name: 'stdlib', version: toolchain[1]!, path });
  else diagnostics.push(fileDiagnostic(path, 'VERSION_INVALID', `Go toolchain version "${info.goVersion}" is not a release; stdlib is not listed`));

  for (const dep of info.deps) {
    // Go before 1.13 could record the main module as a dependency with an empty path.
    if (dep.path === '') continue;
    const pkg: Package = { ...replacementIdentity(dep.path, dep.version, dep.replace), path };
    // A replaced module's sum is recorded on the replacement, whose files were built.
    const sum = dep.replace === undefined ? dep.sum : dep.replace.sum;
    if (sum !== undefined) pkg.goModuleSum = sum;
    packages.push(pkg);
  }

  if (info.main !== undefined && info.main.path !== '') {
    const ldflags = info.settings.find((setting) => setting.key === '-ldflags')?.value ?? '';
    const stamped = versionFromLdflags(info.main.path, ldflags);
    let version = develToEmpty(info.main.version);
    if (version === '' || (version.startsWith('v0.0.0') && stamped !== '')) version = stamped;
    const dependsOn = [...new Set(packages.map((pkg) => pkg.name))].sort(compareStrings);
    packages.push({ name: info.main.path, version, path, dependsOn });
  }

  return langOutput({ type: 'gobinary', target: path, packages, diagnostics });
}

/**
 * Returns the module that was compiled in: the replacement when there is one. A replacement by a
 * local directory (`=> ../fork`) has no module path or version, so the original path is kept
 * with an empty version.
 */
function replacementIdentity(
  path: string,
  version: string,
  replace: { path: string; version: string } | undefined,
): { name: string; version: string } {
  if (replace === undefined) return { name: path, version: develToEmpty(version) };
  if (isFileSystemPath(replace.path)) return { name: path, version: '' };
  return { name: replace.path, version: develToEmpty(replace.version) };
}

function isFileSystemPath(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..';
}

function develToEmpty(version: string): string {
  return version === '(devel)' ? '' : version;
}
