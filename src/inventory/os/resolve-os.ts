import type { OsInfo } from '../../model/os.js';
import { compareText } from './compare.js';

/** One OS reading from one file, as the os-release and release-files analyzers return it. */
export interface OsCandidate {
  /** The file the reading came from, relative to the root. */
  path: string;
  os: OsInfo;
}

/**
 * The rank of each release file, best first. os-release is the standard. `/etc/os-release` comes
 * before `/usr/lib/os-release`, as os-release(5) says. A vendor's own file comes before
 * `redhat-release`, because Oracle Linux 6-9 write "Red Hat Enterprise Linux" there.
 * `debian_version` comes last because Ubuntu ships one too (22.04 writes `bookworm/sid`).
 */
const PATH_RANK: Record<string, number> = {
  'etc/os-release': 0,
  'usr/lib/os-release': 1,
  'etc/lsb-release': 2,
  'etc/oracle-release': 3,
  'etc/rocky-release': 3,
  'etc/almalinux-release': 3,
  'etc/centos-release': 4,
  'etc/fedora-release': 4,
  'etc/redhat-release': 5,
  'etc/system-release': 6,
  'etc/SuSE-release': 7,
  'etc/photon-release': 7,
  'etc/alpine-release': 7,
  'etc/debian_version': 8,
};

const UNKNOWN_PATH_RANK = 9;

function rankOf(candidate: OsCandidate): number {
  return PATH_RANK[candidate.path] ?? UNKNOWN_PATH_RANK;
}

/**
 * Picks the OS of a root filesystem from the readings of its release files, or returns
 * undefined when there are none.
 *
 * The best-ranked file gives the family and the version. Two refinements follow:
 * - For Debian, `version` is the point release from `debian_version` (`12.5`) when that file
 *   agrees with the major version from os-release (`12`), because the point release tells
 *   which stable update the image has. `path` still names os-release.
 * - A missing version or code name is taken from a lower-ranked file of the same family.
 */
export function resolveOs(candidates: OsCandidate[]): OsInfo | undefined {
  if (candidates.length === 0) return undefined;

  const ranked = [...candidates].sort((a, b) => rankOf(a) - rankOf(b) || compareText(a.path, b.path));
  const primary = ranked[0]!;
  const resolved: OsInfo = { ...primary.os, path: primary.path };
  const sameFamily = ranked.slice(1).filter((candidate) => candidate.os.family === resolved.family);

  if (resolved.family === 'debian') {
    const pointRelease = sameFamily.find((candidate) => candidate.path === 'etc/debian_version')?.os.version;
    if (pointRelease !== undefined && refinesDebianVersion(pointRelease, resolved.version)) {
      resolved.version = pointRelease;
    }
  }

  for (const candidate of sameFamily) {
    if (resolved.version === '' && candidate.os.version !== '') resolved.version = candidate.os.version;
    if (resolved.codename === undefined && candidate.os.codename !== undefined) resolved.codename = candidate.os.codename;
  }
  return resolved;
}

/** True for `12.5` over `12`, or for any numeric version over an empty one. */
function refinesDebianVersion(pointRelease: string, version: string): boolean {
  if (!/^\d+(\.\d+)+$/.test(pointRelease)) return false;
  return version === '' || pointRelease.startsWith(`${version}.`);
}
