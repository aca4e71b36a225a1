import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName } from './lockfile-analyzer.js';
import { parseGoModSyntax } from './go-mod-syntax.js';
import type { GoModDirective } from './go-mod-syntax.js';

/** The Go release from which go.mod lists every module of the build, indirect ones included. */
const COMPLETE_GRAPH_MINOR = 17;

interface Replacement {
  /** The replaced version, or undefined when the directive replaces every version. */
  oldVersion: string | undefined;
  newPath: string;
  /** The new version, or undefined for a replacement by a local directory. */
  newVersion: string | undefined;
}

/**
 * `go.mod`: the `require` directives, with `replace` applied. A module replaced by another
 * module at a version is listed under the new path and version. A module replaced by a local
 * directory (`=> ../fork`) is the project's own code and is left out. Versions keep their `v`
 * prefix as go.mod writes them. `// indirect` marks a module that is not `direct`, and go.mod
 * records no dev dependencies or dependency edges. `exclude` and `retract` do not change which
 * versions the `require` lines name, so they are not read.
 */
export const goModFormat: LockfileFormat = {
  id: 'go-mod',
  version: 1,
  type: 'gomod',
  // Modules in the module cache and vendored copies carry their own go.mod files.
  matches: (path) => baseName(path) === 'go.mod' && !path.split('/').includes('vendor'),
  parse: parseGoMod,
};

function parseGoMod(text: string, context: LockfileContext): ParseOutcome {
  const { directives, errors } = parseGoModSyntax(text);
  for (const error of errors) context.packages.report(`${context.path}:${error.line}: ${error.message}`);

  const replacements = readReplacements(directives, context);
  for (const directive of directives) {
    if (directive.verb === 'go') checkGoVersion(directive, context);
    if (directive.verb !== 'require') continue;

    const [path, version] = directive.fields;
    if (path === undefined || version === undefined || directive.fields.length !== 2) {
      context.packages.report(`${context.path}:${directive.line}: expected "require <module> <version>", so the line was skipped`);
      continue;
    }
    const replacement = replacements.get(`${path}@${version}`) ?? replacements.get(path);
    if (replacement?.newVersion === undefined && replacement !== undefined) continue;
    context.packages.add({
      name: replacement?.newPath ?? path,
      version: replacement?.newVersion ?? version,
      direct: !directive.indirect,
    });
  }
  return 'parsed';
}

/** Reads `replace` directives, keyed by `path@version` when they name a version, else by path. */
function readReplacements(directives: GoModDirective[], context: LockfileContext): Map<string, Replacement> {
  const replacements = new Map<string, Replacement>();
  for (const directive of directives) {
    if (directive.verb !== 'replace') continue;

    const arrow = directive.fields.indexOf('=>');
    const left = directive.fields.slice(0, arrow);
    const right = directive.fields.slice(arrow + 1);
    const [oldPath, oldVersion] = left;
    const [newPath, newVersion] = right;
    if (arrow === -1 || oldPath === undefined || newPath === undefined || left.length > 2 || right.length > 2) {
      context.packages.report(`${context.path}:${directive.line}: expected "replace <module> [<version>] => <module> <version>" or "=> <directory>", so the line was skipped`);
      continue;
    }
    const replacement: Replacement = { oldVersion, newPath, newVersion };
    replacements.set(oldVersion === undefined ? oldPath : `${oldPath}@${oldVersion}`, replacement);
  }
  return replacements;
}

/**
 * Reports a `go` directive below 1.17. Before Go 1.17, go.mod lists only the modules that the
 * main module imports directly (plus some `// indirect` ones), so the list may be incomplete.
 */
function checkGoVersion(directive: GoModDirective, context: LockfileContext): void {
  const match = /^1\.(\d+)/.exec(directive.fields[0] ?? '');
  if (match === null || Number(match[1]) >= COMPLETE_GRAPH_MINOR) return;
  context.packages.report(
    `${context.path}:${directive.line}: "go ${directive.fields[0]}" is below 1.17, so go.mod may omit indirect dependencies; ` +
      'scan go.sum or the built binary for the complete list',
    'UNSUPPORTED',
  );
}
