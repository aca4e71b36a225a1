import licenseIds from 'spdx-license-ids/index.json' with { type: 'json' };
import exceptionIds from 'spdx-exceptions/index.json' with { type: 'json' };

/**
 * SPDX ids for the short names of the machine-readable debian/copyright format 1.0
 * (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/#license-short-name), keyed by
 * the lower-cased name without its version. Each entry maps a version (without `+`) to the SPDX id
 * of that version. `onlyLater` marks the families that SPDX splits into `-only` and `-or-later`
 * ids. A version that is not listed has no mapping.
 */
const DEP5_FAMILIES: Record<string, { versions: Record<string, string>; onlyLater?: boolean }> = {
  apache: { versions: { '1.0': 'Apache-1.0', '1.1': 'Apache-1.1', '2.0': 'Apache-2.0' } },
  // Debian's /usr/share/common-licenses/Artistic is the licence distributed with Perl 5.
  artistic: { versions: { '': 'Artistic-1.0-Perl', '1.0': 'Artistic-1.0', '2.0': 'Artistic-2.0' } },
  'bsd-2-clause': { versions: { '': 'BSD-2-Clause' } },
  'bsd-3-clause': { versions: { '': 'BSD-3-Clause' } },
  'bsd-4-clause': { versions: { '': 'BSD-4-Clause' } },
  'cc-by': { versions: ccVersions('CC-BY') },
  'cc-by-sa': { versions: ccVersions('CC-BY-SA') },
  'cc-by-nd': { versions: ccVersions('CC-BY-ND') },
  'cc-by-nc': { versions: ccVersions('CC-BY-NC') },
  'cc-by-nc-sa': { versions: ccVersions('CC-BY-NC-SA') },
  'cc-by-nc-nd': { versions: ccVersions('CC-BY-NC-ND') },
  cc0: { versions: { '1.0': 'CC0-1.0' } },
  cddl: { versions: { '1.0': 'CDDL-1.0', '1.1': 'CDDL-1.1' } },
  cpl: { versions: { '1.0': 'CPL-1.0' } },
  efl: { versions: { '1.0': 'EFL-1.0', '2.0': 'EFL-2.0' } },
  expat: { versions: { '': 'MIT' } },
  gpl: { versions: { '1.0': 'GPL-1.0', '2.0': 'GPL-2.0', '3.0': 'GPL-3.0' }, onlyLater: true },
  lgpl: { versions: { '2.0': 'LGPL-2.0', '2.1': 'LGPL-2.1', '3.0': 'LGPL-3.0' }, onlyLater: true },
  gfdl: { versions: { '1.1': 'GFDL-1.1', '1.2': 'GFDL-1.2', '1.3': 'GFDL-1.3' }, onlyLater: true },
  // NIV: no invariant sections, which SPDX lists as separate `-no-invariants` ids.
  'gfdl-niv': { versions: { '1.1': 'GFDL-1.1-no-invariants', '1.2': 'GFDL-1.2-no-invariants', '1.3': 'GFDL-1.3-no-invariants' }, onlyLater: true },
  lppl: { versions: { '1.0': 'LPPL-1.0', '1.1': 'LPPL-1.1', '1.2': 'LPPL-1.2', '1.3a': 'LPPL-1.3a', '1.3c': 'LPPL-1.3c' } },
  mpl: { versions: { '1.0': 'MPL-1.0', '1.1': 'MPL-1.1', '2.0': 'MPL-2.0' } },
  python: { versions: { '2.0': 'Python-2.0' } },
  qpl: { versions: { '1.0': 'QPL-1.0' } },
  w3c: { versions: { '': 'W3C' } },
  zlib: { versions: { '': 'Zlib' } },
  zope: { versions: { '1.1': 'ZPL-1.1', '2.0': 'ZPL-2.0', '2.1': 'ZPL-2.1' } },
};

/** The DEP-5 short names that stand for an expression rather than one licence. */
const DEP5_EXPRESSIONS: Record<string, string> = {
  // The Perl licence is Perl 5's own dual licence: GPL version 1 or later, or Perl's Artistic licence.
  perl: 'GPL-1.0-or-later OR Artistic-1.0-Perl',
};

/**
 * SPDX exceptions for the `with <name> exception` clauses that Debian copyright files use. Some
 * exceptions exist in one version per GPL version, so the value may depend on the licence id.
 */
const EXCEPTIONS: Record<string, (licenseId: string) => string | undefined> = {
  bison: () => 'Bison-exception-2.2',
  font: () => 'Font-exception-2.0',
  classpath: () => 'Classpath-exception-2.0',
  libtool: () => 'Libtool-exception',
  gcc: (id) => (id.startsWith('GPL-3.0') ? 'GCC-exception-3.1' : id.startsWith('GPL-2.0') ? 'GCC-exception-2.0' : undefined),
  autoconf: (id) => (id.startsWith('GPL-3.0') ? 'Autoconf-exception-3.0' : id.startsWith('GPL-2.0') ? 'Autoconf-exception-2.0' : undefined),
};

/** SPDX licence ids by lower-cased id, because SPDX matches licence ids without regard to case. */
const SPDX_IDS = new Map(licenseIds.map((id) => [id.toLowerCase(), id]));
const SPDX_EXCEPTIONS = new Set(exceptionIds);

function ccVersions(prefix: string): Record<string, string> {
  return Object.fromEntries(['1.0', '2.0', '2.5', '3.0', '4.0'].map((version) => [version, `${prefix}-${version}`]));
}

/** `GPL-2+` gives `gpl`, `2.0` and true; `BSD-3-clause` gives `bsd-3-clause`, `` and false. */
function splitName(name: string): { family: string; version: string; orLater: boolean } {
  const orLater = name.endsWith('+');
  const bare = orLater ? name.slice(0, -1) : name;
  const match = /^(.*?)-?(\d+(?:\.\d+)*[a-z]?)$/i.exec(bare);
  // `bsd-3-clause` ends in no version, but `bsd-3` would look like one, so a family that exists
  // as a whole name wins.
  if (match === null || DEP5_FAMILIES[bare.toLowerCase()] !== undefined) return { family: bare.toLowerCase(), version: '', orLater };
  const version = /^\d+$/.test(match[2]!) ? `${match[2]}.0` : match[2]!.toLowerCase();
  return { family: match[1]!.toLowerCase(), version, orLater };
}

/**
 * Maps one licence short name of a Debian copyright file (`GPL-2+`, `Expat`, `BSD-3-clause`) to an
 * SPDX expression, or returns undefined when the name has no SPDX id. DEP-5 names come first, then
 * names that are SPDX ids already, compared without case.
 */
export function spdxFromDebianName(name: string): string | undefined {
  const known = DEP5_EXPRESSIONS[name.toLowerCase()];
  if (known !== undefined) return known;

  const { family, version, orLater } = splitName(name);
  const entry = DEP5_FAMILIES[family];
  const id = entry?.versions[version];
  if (entry !== undefined && id !== undefined) {
    if (entry.onlyLater) return `${id}-${orLater ? 'or-later' : 'only'}`;
    return orLater ? `${id}+` : id;
  }

  const bare = name.endsWith('+') ? name.slice(0, -1) : name;
  const spdxId = SPDX_IDS.get(bare.toLowerCase());
  if (spdxId === undefined) return undefined;
  return name.endsWith('+') && !spdxId.endsWith('-or-later') ? `${spdxId}+` : spdxId;
}

/** Maps the name in `with <name> exception` to an SPDX exception id for a licence, or returns undefined. */
export function spdxException(name: string, licenseId: string): string | undefined {
  const exception = EXCEPTIONS[name.toLowerCase()]?.(licenseId);
  if (exception !== undefined) return exception;
  // Some files name the SPDX exception id itself: `with Classpath-exception-2.0`.
  return SPDX_EXCEPTIONS.has(name) ? name : undefined;
}

/** Builds a `LicenseRef-` id for a name without an SPDX id. SPDX allows letters, digits, `.` and `-` after the prefix. */
export function licenseRef(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `LicenseRef-${cleaned === '' ? 'unnamed' : cleaned}`;
}
