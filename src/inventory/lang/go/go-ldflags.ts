/**
 * Version stamping through `go build -ldflags "-X <package>.<var>=<value>"`. Binaries built with
 * `go build` record their main module as `(devel)`, but many projects stamp their release
 * version into a variable this way. The rules below follow Trivy's Go binary parser
 * (`pkg/dependency/parser/golang/binary/parse.go`), so both tools report the same version.
 */

/** Package names that conventionally hold the version variable (`main.version`, `cmd.Version`). */
const VERSION_PACKAGES = ['main', 'common', 'version', 'cmd'];

/**
 * Returns the version stamped into the main module `modulePath` by `-X` flags in the `-ldflags`
 * build setting, or an empty string when there is none or the choice is ambiguous.
 *
 * Only keys ending in `.version` or `.ver` (any case) with a semantic-version value count. The
 * candidates are ranked in three groups: keys under `<modulePath>/cmd/`, keys whose package is a
 * conventional version package, then any other key. The first non-empty group wins when it has
 * exactly one candidate; two candidates in it give no version.
 */
export function versionFromLdflags(modulePath: string, ldflags: string): string {
  const assignments = new Map<string, string>();
  for (const assignment of linkerAssignments(splitShellWords(ldflags))) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) continue;
    // Quotes nested inside the shell quoting (`-X "'main.version=1.0.0'"`) survive the split.
    const key = assignment.slice(0, equals).replace(/^'+/, '');
    const value = assignment.slice(equals + 1).replace(/'+$/, '');
    assignments.set(key, value);
  }

  const groups: string[][] = [[], [], []];
  for (const [key, value] of assignments) {
    const lowerKey = key.toLowerCase();
    if (!(lowerKey.endsWith('.version') || lowerKey.endsWith('.ver')) || !isGoSemver(value)) continue;
    if (key.startsWith(`${modulePath}/cmd/`)) groups[0]!.push(value);
    else if (VERSION_PACKAGES.includes(versionPackage(key))) groups[1]!.push(value);
    else groups[2]!.push(value);
  }

  const group = groups.find((candidates) => candidates.length > 0);
  return group !== undefined && group.length === 1 ? group[0]! : '';
}

/** Returns the values of every `-X` flag: `-X a=b`, `-X=a=b` and `-Xa=b`. */
function linkerAssignments(words: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X' || word === '--X') {
      const next = words[i + 1];
      if (next !== undefined) values.push(next);
      i++;
    } else if (word.startsWith('-X=')) {
      values.push(word.slice(3));
    } else if (word.startsWith('-X')) {
      values.push(word.slice(2));
    }
  }
  return values;
}

/** Returns the lower-cased package name of an `-X` key: `github.com/a/b/version.Version` gives `version`. */
function versionPackage(key: string): string {
  const lastSegment = key.slice(key.lastIndexOf('/') + 1);
  const dot = lastSegment.indexOf('.');
  return (dot < 0 ? lastSegment : lastSegment.slice(0, dot)).toLowerCase();
}

/** A Go module version after `v`: `1`, `1.2` or `1.2.3` with optional prerelease and build. */
const GO_SEMVER =
  /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

/**
 * True for a version that `golang.org/x/mod/semver.IsValid` accepts with or without the leading
 * `v`. That package also accepts the shorthands `v1` and `v1.2`.
 */
export function isGoSemver(version: string): boolean {
  return GO_SEMVER.test(version.startsWith('v') ? version.slice(1) : version);
}

/**
 * Splits a command line into words the way a POSIX shell does for quoting: single quotes keep
 * everything, double quotes honour backslash escapes, and a backslash outside quotes escapes the
 * next character. `go build` stores `-ldflags` this way.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
