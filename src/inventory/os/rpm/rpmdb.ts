import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { BulwarkError, errorMessage } from '../../../errors.js';
import type { Package } from '../../../model/package.js';
import { comparePackages } from '../compare.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { parseParty } from '../../package-party.js';
import { readBerkeleyDbHash } from './bdb.js';
import { detectRpmdbFormat, type RpmdbReadResult } from './format.js';
import { parseRpmHeader, type RpmHeader } from './header.js';
import { readNdb } from './ndb.js';
import { readRpmSqlite } from './sqlite.js';

/**
 * Paths of the rpm package database: `/var/lib/rpm` on RHEL and its rebuilds, Amazon Linux and
 * Fedora before 36, and `/usr/lib/sysimage/rpm` on Fedora 36 and later and on newer SUSE.
 */
export const RPMDB_PATHS = [
  'var/lib/rpm/rpmdb.sqlite',
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages.db',
] as const;

/** The pseudo-package under which rpm stores each imported OpenPGP key. */
const GPG_PUBKEY = 'gpg-pubkey';

/** Reads the packages of an rpm database in any of its three formats, sorted by name, architecture and version. */
export function parseRpmdb(content: Buffer, options: { path: string; diagnostics?: DiagnosticList }): Package[] {
  const { path, diagnostics } = options;
  const read = readBlobs(content);
  for (const problem of read.problems) diagnostics?.add(problem.code, problem.message);

  const packages: Package[] = [];
  for (const { id, blob } of read.blobs) {
    let header: RpmHeader;
    try {
      header = parseRpmHeader(blob);
    } catch (error) {
      if (!(error instanceof BulwarkError)) throw error;
      diagnostics?.add(error.code, `header ${id} was skipped: ${errorMessage(error)}`);
      continue;
    }
    if (header.name === GPG_PUBKEY) continue;
    packages.push(packageFromHeader(header, path, diagnostics));
  }
  return packages.sort(comparePackages);
}

function readBlobs(content: Buffer): RpmdbReadResult {
  switch (detectRpmdbFormat(content)) {
    case 'sqlite':
      return readRpmSqlite(content);
    case 'bdb':
      return readBerkeleyDbHash(content);
    case 'ndb':
      return readNdb(content);
    default:
      return { blobs: [], problems: [{ code: 'UNSUPPORTED', message: 'not an rpm database: the file is neither SQLite, BerkeleyDB hash nor NDB' }] };
  }
}

/** Builds a package, with `version` as `[epoch:]version-release` and the source from SOURCERPM. */
export function packageFromHeader(header: RpmHeader, path: string, diagnostics?: DiagnosticList): Package {
  const epochPrefix = header.epoch !== undefined && header.epoch !== 0 ? `${header.epoch}:` : '';
  const pkg: Package = { name: header.name, version: `${epochPrefix}${header.version}-${header.release}`, path };
  if (header.arch !== undefined) pkg.arch = header.arch;
  if (header.modularityLabel !== undefined) pkg.modularityLabel = header.modularityLabel;
  if (header.license !== undefined) pkg.licenses = [header.license];
  const supplier = parseParty(header.vendor, 'organization');
  if (supplier) pkg.supplier = supplier;

  if (header.sourceRpm !== undefined && header.sourceRpm !== '(none)') {
    const source = splitSourceRpm(header.sourceRpm);
    if (source === undefined) {
      diagnostics?.add('FORMAT_INVALID', `package ${header.name}: SOURCERPM ${JSON.stringify(header.sourceRpm)} is not name-version-release.src.rpm`);
    } else {
      pkg.srcName = source.name;
      // The file name has no epoch. A source package and its binaries share one, so the binary's epoch applies.
      pkg.srcVersion = `${epochPrefix}${source.version}-${source.release}`;
    }
  }
  return pkg;
}

/** Splits `bash-5.1.8-6.el9.src.rpm` into name `bash`, version `5.1.8` and release `6.el9`. */
export function splitSourceRpm(fileName: string): { name: string; version: string; release: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(fileName);
  if (match === null) return undefined;
  return { name: match[1]!, version: match[2]!, release: match[3]! };
}

/** Reads rpm's package database (RHEL and rebuilds, Fedora, Amazon Linux, SUSE, Mariner, Photon). */
export const rpmdbAnalyzer: Analyzer = {
  id: 'rpmdb',
  version: 2,
  // An estimate: a BerkeleyDB `Packages` with a few thousand packages reaches a few hundred MiB.
  maxFileSize: 512 * 1024 * 1024,

  required(info: FileInfo): boolean {
    return (RPMDB_PATHS as readonly string[]).includes(info.path);
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    const diagnostics = new DiagnosticList(path);
    const packages = parseRpmdb(input.content, { path, diagnostics });

    const output: AnalyzerOutput = { packageSets: [{ class: 'os-pkgs', type: 'rpm', target: path, packages }] };
    if (diagnostics.size > 0) output.diagnostics = diagnostics.toArray();
    return output;
  },
};
