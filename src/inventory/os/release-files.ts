import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import type { OsInfo } from '../../model/os.js';
import { debianCodename, ubuntuCodename } from './codenames.js';
import { DiagnosticList } from './diagnostic-list.js';
import { normalizeFamily, parseKeyValueLines } from './os-release.js';

/**
 * Distribution-specific release files, read when an image has no os-release (Debian before 7,
 * Ubuntu before 12.04, RHEL and CentOS before 7, Oracle Linux images) and to refine what
 * os-release says (the Debian point release).
 */
export const RELEASE_FILE_PATHS = [
  'etc/alpine-release',
  'etc/debian_version',
  'etc/lsb-release',
  'etc/oracle-release',
  'etc/rocky-release',
  'etc/almalinux-release',
  'etc/centos-release',
  'etc/fedora-release',
  'etc/redhat-release',
  'etc/system-release',
  'etc/SuSE-release',
  'etc/photon-release',
] as const;

/** The OS facts of a release file, or why the file could not be read. */
export type ReleaseFileResult = { os: OsInfo } | { problem: string };

/** Reads one release file. The result says which file it came from in `os.path`. */
export function parseReleaseFile(path: string, text: string): ReleaseFileResult {
  const firstLine = text.split(/\r?\n/, 1)[0]!.trim();
  switch (path) {
    case 'etc/alpine-release':
      return parseAlpineRelease(path, firstLine);
    case 'etc/debian_version':
      return parseDebianVersion(path, firstLine);
    case 'etc/lsb-release':
      return parseLsbRelease(path, text);
    case 'etc/SuSE-release':
      return parseSuseRelease(path, text);
    case 'etc/photon-release':
      return parsePhotonRelease(path, firstLine);
    default:
      return parseRedHatStyleRelease(path, firstLine);
  }
}

function parseAlpineRelease(path: string, line: string): ReleaseFileResult {
  if (!/^\d+\.\d+[\w.]*$/.test(line)) return { problem: `expected an Alpine version such as 3.18.4, found ${JSON.stringify(line)}` };
  // Alpine edge writes a snapshot version such as 3.19_alpha20230901.
  const version = /_alpha\d{8}$/.test(line) ? 'edge' : line;
  return { os: { family: 'alpine', version, path } };
}

function parseDebianVersion(path: string, line: string): ReleaseFileResult {
  if (/^\d+(\.\d+)*$/.test(line)) {
    const os: OsInfo = { family: 'debian', version: line, path };
    const codename = debianCodename(line);
    if (codename !== undefined) os.codename = codename;
    return { os };
  }
  // Testing and unstable write `<next code name>/sid`.
  const suite = /^([a-z]+)\/sid$/.exec(line);
  if (suite !== null) return { os: { family: 'debian', version: suite[1]!, codename: suite[1]!, path } };
  return { problem: `expected a Debian version such as 12.5 or a suite such as trixie/sid, found ${JSON.stringify(line)}` };
}

function parseLsbRelease(path: string, text: string): ReleaseFileResult {
  const fields = parseKeyValueLines(text);
  const id = fields.get('DISTRIB_ID');
  const version = fields.get('DISTRIB_RELEASE');
  if (id === undefined || version === undefined) return { problem: 'the lsb-release file has no DISTRIB_ID or DISTRIB_RELEASE field' };

  const family = normalizeFamily(id);
  const os: OsInfo = { family, version, path };
  const codename = fields.get('DISTRIB_CODENAME') || (family === 'ubuntu' ? ubuntuCodename(version) : undefined);
  if (codename) os.codename = codename.toLowerCase();
  const description = fields.get('DISTRIB_DESCRIPTION');
  if (description) os.prettyName = description;
  return { os };
}

/** The first line of `SuSE-release` names the product, and `VERSION =` and `PATCHLEVEL =` lines follow. */
function parseSuseRelease(path: string, text: string): ReleaseFileResult {
  const name = text.split(/\r?\n/, 1)[0]!.trim();
  const major = /^VERSION\s*=\s*(\S+)/m.exec(text)?.[1];
  const patchLevel = /^PATCHLEVEL\s*=\s*(\d+)/m.exec(text)?.[1];
  if (major === undefined) return { problem: 'the SuSE-release file has no VERSION line' };

  let family: string;
  if (/enterprise server/i.test(name)) family = 'sles';
  else if (/enterprise desktop/i.test(name)) family = 'sled';
  else if (/opensuse/i.test(name)) family = /leap/i.test(name) || Number.parseFloat(major) >= 42 ? 'opensuse-leap' : 'opensuse';
  else return { problem: `unknown SUSE product ${JSON.stringify(name)}` };

  const version = patchLevel === undefined || patchLevel === '0' ? major : `${major}.${patchLevel}`;
  return { os: { family, version, prettyName: name, path } };
}

function parsePhotonRelease(path: string, line: string): ReleaseFileResult {
  const match = /Photon (?:OS|Linux) (\d[\d.]*)/.exec(line);
  if (match === null) return { problem: `expected a line such as "VMware Photon OS 2.0", found ${JSON.stringify(line)}` };
  return { os: { family: 'photon', version: match[1]!, prettyName: line, path } };
}

/** Vendor names in `<name> release <version>` lines and their families. The first matching pattern wins. */
const RED_HAT_STYLE_FAMILIES: Array<[RegExp, string]> = [
  [/oracle/i, 'ol'],
  [/centos/i, 'centos'],
  [/rocky/i, 'rocky'],
  [/alma/i, 'almalinux'],
  [/fedora/i, 'fedora'],
  [/amazon/i, 'amzn'],
  [/red hat/i, 'rhel'],
];

/** Parses lines such as `CentOS Linux release 7.9.2009 (Core)` and `Oracle Linux Server release 8.9`. */
function parseRedHatStyleRelease(path: string, line: string): ReleaseFileResult {
  const match = /^(.+?)\s+release\s+(\d[\w.]*)/i.exec(line);
  if (match === null) return { problem: `expected a line such as "Red Hat Enterprise Linux release 9.3 (Plow)", found ${JSON.stringify(line.slice(0, 80))}` };

  const name = match[1]!;
  const family = RED_HAT_STYLE_FAMILIES.find(([pattern]) => pattern.test(name))?.[1];
  if (family === undefined) return { problem: `unknown distribution ${JSON.stringify(name)}` };
  return { os: { family, version: match[2]!, prettyName: line, path } };
}

/** Reads the release files that precede or refine os-release. `resolveOs` ranks the results. */
export const releaseFilesAnalyzer: Analyzer = {
  id: 'release-files',
  version: 1,
  maxFileSize: 64 * 1024,

  required(info: FileInfo): boolean {
    return (RELEASE_FILE_PATHS as readonly string[]).includes(info.path);
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const result = parseReleaseFile(input.info.path, input.content.toString('utf8'));
    if ('os' in result) return { os: result.os };

    const diagnostics = new DiagnosticList(input.info.path);
    diagnostics.add('FORMAT_INVALID', `cannot read the release file: ${result.problem}`);
    return { diagnostics: diagnostics.toArray() };
  },
};
