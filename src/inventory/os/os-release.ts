import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import type { OsInfo } from '../../model/os.js';
import { debianCodename, ubuntuCodename } from './codenames.js';
import { DiagnosticList } from './diagnostic-list.js';

/** The os-release paths, in the order os-release(5) gives them: `/etc` first. */
export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/**
 * Parses the `KEY=value` lines of an os-release or lsb-release file. Values follow the shell
 * quoting that os-release(5) allows: single or double quotes, and backslash escapes inside
 * double quotes. Blank lines and `#` comments are skipped, and other lines are reported.
 */
export function parseKeyValueLines(text: string, diagnostics?: DiagnosticList): Map<string, string> {
  const fields = new Map<string, string>();
  const lines = text.split(/\r?\n/);

  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;

    const match = ASSIGNMENT.exec(line);
    if (match === null) {
      diagnostics?.add('FORMAT_INVALID', `line ${index + 1} is not a KEY=value assignment: ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    fields.set(match[1]!, unquote(match[2]!.trim()));
  }
  return fields;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  return value;
}

/**
 * Normalizes an os-release `ID` to the family names that vulnerability feeds use. Older openSUSE
 * Leap releases (42.x) wrote `ID=opensuse`, SLES for SAP writes `ID=sles_sap`, and the Fedora 26
 * Modular release wrote `ID=fedora-modular`.
 */
export function normalizeFamily(id: string, name = ''): string {
  const family = id.trim().toLowerCase();
  if (family === 'opensuse') {
    if (/leap/i.test(name)) return 'opensuse-leap';
    if (/tumbleweed/i.test(name)) return 'opensuse-tumbleweed';
  }
  if (family === 'sles_sap') return 'sles';
  if (family === 'fedora-modular') return 'fedora';
  return family;
}

/** Alpine edge writes `VERSION_ID=3.19_alpha20230901`: a snapshot, not a release of branch 3.19. */
const ALPINE_EDGE_VERSION = /_alpha\d{8}$/;

/**
 * Builds the OS facts from parsed os-release fields, or returns undefined when `ID` is missing.
 *
 * `version` is `VERSION_ID`, except for Alpine edge snapshots (`edge`) and Debian testing or
 * unstable, which have no `VERSION_ID` and get the code name (`trixie`). Without either it is
 * `BUILD_ID` (`rolling` on Arch) or empty.
 */
export function osInfoFromOsRelease(fields: Map<string, string>, path: string): OsInfo | undefined {
  const id = fields.get('ID');
  if (id === undefined || id.trim() === '') return undefined;

  const family = normalizeFamily(id, fields.get('NAME'));
  const codename = deriveCodename(family, fields);
  let version = fields.get('VERSION_ID') ?? '';

  if (family === 'alpine' && ALPINE_EDGE_VERSION.test(version)) version = 'edge';
  if (version === '' && family === 'debian') version = codename ?? debianSuiteFromPrettyName(fields.get('PRETTY_NAME')) ?? '';
  if (version === '') version = fields.get('BUILD_ID') ?? '';

  const info: OsInfo = { family, version, path };
  if (codename !== undefined) info.codename = codename;
  const prettyName = fields.get('PRETTY_NAME');
  if (prettyName !== undefined && prettyName !== '') info.prettyName = prettyName;
  return info;
}

function deriveCodename(family: string, fields: Map<string, string>): string | undefined {
  const explicit = fields.get('VERSION_CODENAME') || fields.get('UBUNTU_CODENAME');
  if (explicit) return explicit.toLowerCase();

  const versionId = fields.get('VERSION_ID') ?? '';
  if (family === 'debian' && versionId !== '') return debianCodename(versionId);
  if (family === 'ubuntu' && versionId !== '') return ubuntuCodename(versionId);

  // Debian derivatives such as Raspbian write the code name only in VERSION: `9 (stretch)`.
  const idLike = (fields.get('ID_LIKE') ?? '').split(/\s+/);
  if (idLike.includes('debian')) {
    const inParentheses = /\(([A-Za-z]+)\)/.exec(fields.get('VERSION') ?? '');
    if (inParentheses !== null) return inParentheses[1]!.toLowerCase();
  }
  return undefined;
}

/** Returns `trixie` for the pretty name `Debian GNU/Linux trixie/sid`. */
function debianSuiteFromPrettyName(prettyName: string | undefined): string | undefined {
  const match = /\b([a-z]+)\/sid\b/.exec(prettyName ?? '');
  return match === null ? undefined : match[1];
}

/** Reads `etc/os-release` and `usr/lib/os-release`. The caller picks between them with `resolveOs`. */
export const osReleaseAnalyzer: Analyzer = {
  id: 'os-release',
  version: 1,
  maxFileSize: 64 * 1024,

  required(info: FileInfo): boolean {
    return (OS_RELEASE_PATHS as readonly string[]).includes(info.path);
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const diagnostics = new DiagnosticList(input.info.path);
    const fields = parseKeyValueLines(input.content.toString('utf8'), diagnostics);
    const os = osInfoFromOsRelease(fields, input.info.path);
    if (os === undefined) {
      diagnostics.add('FORMAT_INVALID', 'the os-release file has no ID field, so the distribution is unknown');
    }

    const output: AnalyzerOutput = {};
    if (os !== undefined) output.os = os;
    if (diagnostics.size > 0) output.diagnostics = diagnostics.toArray();
    return output;
  },
};
