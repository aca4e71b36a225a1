/** A module as Go's `runtime/debug.Module` describes it. */
export interface GoModule {
  path: string;
  /** The module version (`v1.2.3`, a pseudo-version, or `(devel)` for an unversioned main module). */
  version: string;
  /** The `h1:` checksum from go.sum, when the build recorded one. */
  sum?: string;
  /** The module that replaced this one through a `replace` directive. */
  replace?: GoModule;
}

/** One `build` line: a flag or a VCS fact (`-ldflags`, `CGO_ENABLED`, `vcs.revision`). */
export interface GoBuildSetting {
  key: string;
  value: string;
}

/** The build information embedded in a Go binary, shaped like Go's `runtime/debug.BuildInfo`. */
export interface GoBuildInfo {
  /** The toolchain version as the binary records it (`go1.21.5`, `go1.22.3 X:boringcrypto`). */
  goVersion: string;
  /** The main package path (`github.com/x/y/cmd/z`, or `command-line-arguments`). */
  path: string;
  /** The main module. Binaries built outside module mode (`go`, `gofmt`) have none. */
  main?: GoModule;
  deps: GoModule[];
  settings: GoBuildSetting[];
  /** Lines of the module information that could not be read, with the reason. */
  invalidLines: string[];
}

/**
 * Parses the module information text (the `modinfo` string) that `go version -m` prints. It
 * follows Go's `debug.ParseBuildInfo` line format:
 * `path`, `mod` and `dep` lines with 2 or 3 tab-separated columns, `=>` lines that replace the
 * module on the previous line, and `build key=value` lines whose key or value may be a Go quoted
 * string. Unlike Go, which rejects the whole text, a bad line is skipped and listed in
 * `invalidLines`.
 */
export function parseModInfo(goVersion: string, text: string): GoBuildInfo {
  const info: GoBuildInfo = { goVersion, path: '', deps: [], settings: [], invalidLines: [] };
  let last: GoModule | undefined;
  const lines = text.split('\n');

  lines.forEach((line, index) => {
    const [kind, rest] = splitFirst(line, '\t');
    const reject = (reason: string): void => {
      info.invalidLines.push(`line ${index + 1}: ${reason}`);
    };

    if (rest === undefined) {
      if (line !== '') reject(`no tab after the line kind in "${line.slice(0, 80)}"`);
      return;
    }
    switch (kind) {
      case 'path':
        info.path = rest;
        return;
      case 'mod':
      case 'dep': {
        const module = readModuleLine(rest);
        if (typeof module === 'string') return reject(module);
        if (kind === 'mod') info.main = module;
        else info.deps.push(module);
        last = module;
        return;
      }
      case '=>': {
        const columns = rest.split('\t');
        if (columns.length !== 3) return reject(`expected 3 columns for a replacement, got ${columns.length}`);
        if (last === undefined) return reject('replacement with no module on the previous line');
        last.replace = moduleOf(columns[0]!, columns[1]!, columns[2]!);
        last = undefined;
        return;
      }
      case 'build': {
        const setting = readBuildLine(rest);
        if (typeof setting === 'string') return reject(setting);
        info.settings.push(setting);
        return;
      }
      default:
        // Newer toolchains may add line kinds, which Go's own parser also skips.
        return;
    }
  });
  return info;
}

function readModuleLine(rest: string): GoModule | string {
  const columns = rest.split('\t');
  if (columns.length !== 2 && columns.length !== 3) return `expected 2 or 3 columns for a module, got ${columns.length}`;
  return moduleOf(columns[0]!, columns[1]!, columns[2] ?? '');
}

function moduleOf(path: string, version: string, sum: string): GoModule {
  return sum === '' ? { path, version } : { path, version, sum };
}

function readBuildLine(rest: string): GoBuildSetting | string {
  if (rest === '') return 'build line without "key=value"';
  let key: string;
  let rawValue: string;

  if (rest.startsWith('"') || rest.startsWith('`')) {
    const quoted = readQuotedPrefix(rest);
    if (quoted === undefined) return `invalid quoted key in build line "${rest.slice(0, 80)}"`;
    if (rest[quoted.length] !== '=') return 'build line without "=" after the quoted key';
    key = quoted.value;
    rawValue = rest.slice(quoted.length + 1);
  } else {
    const [rawKey, value] = splitFirst(rest, '=');
    if (value === undefined || rawKey === '') return `build line without "key=value": "${rest.slice(0, 80)}"`;
    key = rawKey;
    rawValue = value;
  }

  if (rawValue.startsWith('"') || rawValue.startsWith('`')) {
    const quoted = readQuotedPrefix(rawValue);
    if (quoted === undefined || quoted.length !== rawValue.length) return `invalid quoted value for build key "${key}"`;
    return { key, value: quoted.value };
  }
  return { key, value: rawValue };
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

/**
 * Reads a Go quoted string (`"…"` with escapes, or a raw `` `…` `` string) at the start of `text`.
 * Returns the decoded value and the length of the quoted prefix, or undefined when it is invalid.
 */
export function readQuotedPrefix(text: string): { value: string; length: number } | undefined {
  if (text.startsWith('`')) {
    const end = text.indexOf('`', 1);
    return end < 0 ? undefined : { value: text.slice(1, end), length: end + 1 };
  }
  if (!text.startsWith('"')) return undefined;

  // Escapes such as \x80 produce single bytes, so the value is built as UTF-8 bytes.
  const bytes: number[] = [];
  for (let i = 1; i < text.length; ) {
    const char = text[i]!;
    if (char === '"') return { value: Buffer.from(bytes).toString('utf8'), length: i + 1 };
    if (char === '\n') return undefined;
    if (char !== '\\') {
      const codePoint = text.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(codePoint), 'utf8'));
      i += codePoint > 0xffff ? 2 : 1;
      continue;
    }

    const escape = text[i + 1];
    if (escape === undefined) return undefined;
    if (escape in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[escape]!);
      i += 2;
    } else if (escape === 'x' || escape === 'u' || escape === 'U') {
      const digitCounts: Record<string, number> = { x: 2, u: 4, U: 8 };
      const digits = digitCounts[escape]!;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
      const value = parseInt(hex, 16);
      if (escape === 'x') bytes.push(value);
      else if (value > 0x10ffff) return undefined;
      else bytes.push(...Buffer.from(String.fromCodePoint(value), 'utf8'));
      i += 2 + digits;
    } else if (/[0-7]/.test(escape)) {
      const octal = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) return undefined;
      bytes.push(parseInt(octal, 8));
      i += 4;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function splitFirst(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + separator.length)];
}
