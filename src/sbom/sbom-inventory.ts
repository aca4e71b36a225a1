import { PackageURL } from 'packageurl-js';

import type { Diagnostic } from '../model/diagnostic.js';
import type { OsInfo } from '../model/os.js';
import type { Package, PackageHash, PackageParty, PackageSet, PackageSetType } from '../model/package.js';
import { compare } from './sbom-packages.js';

/** A package as an SBOM lists it, before it is sorted into a package set. */
export interface SbomEntry {
  name: string;
  version?: string;
  purl?: string;
  licenses: string[];
  /**
   * Facts stored as CycloneDX properties or SPDX annotations, keyed without the vendor prefix
   * (`PkgType`, `FilePath`, `LayerDiffID`, `SrcName`, `SrcVersion`, `Target`).
   */
  facts: Record<string, string>;
  supplier?: PackageParty;
  author?: PackageParty;
  hashes?: PackageHash[];
}

/** Packages grouped as a scan of the described artifact would group them. */
export interface SbomInventory {
  os?: OsInfo;
  packageSets: PackageSet[];
  diagnostics: Diagnostic[];
}

/** The package set type for each purl type, where the SBOM does not name one. */
const SET_TYPE_BY_PURL: Record<string, PackageSetType> = {
  deb: 'dpkg',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'node-pkg',
  pypi: 'python-pkg',
  golang: 'gobinary',
  maven: 'jar',
  cargo: 'cargo',
  gem: 'bundler',
  composer: 'composer',
};

const OS_SET_TYPES = new Set<PackageSetType>(['dpkg', 'apk', 'rpm']);
const KNOWN_SET_TYPES = new Set<string>([...Object.values(SET_TYPE_BY_PURL), 'npm', 'yarn', 'pnpm', 'poetry', 'pipenv', 'pip', 'gomod']);

/** Where each OS package database lives, used as the target of OS package sets read from an SBOM. */
const OS_DB_PATH: Record<string, string> = { dpkg: 'var/lib/dpkg/status', apk: 'lib/apk/db/installed', rpm: 'var/lib/rpm/rpmdb.sqlite' };

/**
 * Sorts SBOM entries into package sets by package set type and target, so the matcher treats them
 * like a scan's inventory. The purl gives the ecosystem, the name with its namespace, the version
 * where the entry has none, the rpm epoch, and the source package (`upstream` qualifier); the OS
 * comes from `declaredOs`, else from the `distro` qualifier of OS packages (`debian-12`). Entries
 * without a purl or with a purl type that no matcher handles are counted in one diagnostic per reason.
 */
export function inventoryFromEntries(entries: readonly SbomEntry[], declaredOs: OsInfo | undefined, source: string): SbomInventory {
  const sets = new Map<string, PackageSet>();
  const skipped = new Map<string, number>();
  let os = declaredOs;

  for (const entry of entries) {
    if (entry.purl === undefined) {
      skipped.set('no purl', (skipped.get('no purl') ?? 0) + 1);
      continue;
    }
    let purl: PackageURL;
    try {
      purl = PackageURL.fromString(entry.purl);
    } catch {
      skipped.set('an invalid purl', (skipped.get('an invalid purl') ?? 0) + 1);
      continue;
    }
    const named = entry.facts.PkgType;
    const type: PackageSetType | undefined = named !== undefined && KNOWN_SET_TYPES.has(named) ? (named as PackageSetType) : SET_TYPE_BY_PURL[purl.type];
    if (type === undefined) {
      const reason = `purl type "${purl.type}", which has no vulnerability data`;
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }

    const pkg = toPackage(entry, purl);
    if (OS_SET_TYPES.has(type) && os === undefined) os = osFromDistro(purl);
    const target = OS_SET_TYPES.has(type) ? OS_DB_PATH[type]! : (entry.facts.Target ?? entry.facts.FilePath ?? `${purl.type} packages`);
    const key = `${type}\0${target}`;
    let set = sets.get(key);
    if (!set) {
      set = { class: OS_SET_TYPES.has(type) ? 'os-pkgs' : 'lang-pkgs', type, target, packages: [] };
      sets.set(key, set);
    }
    set.packages.push(pkg);
  }

  const packageSets = [...sets.values()].sort((a, b) => compare(a.class, b.class) || compare(a.target, b.target) || compare(a.type, b.type));
  for (const set of packageSets) set.packages.sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version) || compare(a.path, b.path));
  const diagnostics: Diagnostic[] = [...skipped.entries()].sort(([a], [b]) => compare(a, b)).map(([reason, count]) => ({
    target: source,
    message: `${count} ${count === 1 ? 'component was' : 'components were'} not scanned because of ${reason}; give each component a purl of a supported type (deb, apk, rpm, npm, pypi, golang, maven, cargo, gem, composer)`,
    code: 'UNSUPPORTED',
  }));
  const inventory: SbomInventory = { packageSets, diagnostics };
  if (os) inventory.os = os;
  return inventory;
}

function toPackage(entry: SbomEntry, purl: PackageURL): Package {
  const qualifiers = purl.qualifiers ?? {};
  let version = entry.version ?? purl.version ?? '';
  if (entry.version === undefined && purl.type === 'rpm' && qualifiers.epoch !== undefined && purl.version) version = `${qualifiers.epoch}:${purl.version}`;

  const pkg: Package = { name: entry.name, version, path: entry.facts.FilePath ?? '', purl: entry.purl! };
  if (purl.type === 'npm' || purl.type === 'golang' || purl.type === 'composer') pkg.name = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
  else if (purl.type === 'maven') pkg.name = purl.namespace ? `${purl.namespace}:${purl.name}` : purl.name;
  else if (purl.type === 'deb' || purl.type === 'apk' || purl.type === 'rpm') pkg.name = purl.name;

  const upstream = qualifiers.upstream;
  const at = upstream?.indexOf('@') ?? -1;
  const srcName = entry.facts.SrcName ?? (upstream !== undefined ? (at > 0 ? upstream.slice(0, at) : upstream) : undefined);
  const srcVersion = entry.facts.SrcVersion ?? (upstream !== undefined && at > 0 ? upstream.slice(at + 1) : undefined);
  if (srcName !== undefined) pkg.srcName = srcName;
  if (srcVersion !== undefined) pkg.srcVersion = srcVersion;
  if (qualifiers.arch !== undefined) pkg.arch = qualifiers.arch;
  if (entry.licenses.length > 0) pkg.licenses = [...entry.licenses];
  if (entry.facts.LayerDiffID !== undefined) pkg.layerDiffId = entry.facts.LayerDiffID;
  if (entry.facts.GoModuleSum !== undefined) pkg.goModuleSum = entry.facts.GoModuleSum;
  if (entry.supplier) pkg.supplier = entry.supplier;
  if (entry.author) pkg.author = entry.author;
  if (entry.hashes?.length) pkg.hashes = entry.hashes;
  return pkg;
}

/** Reads the OS from a `distro` qualifier: `debian-12`, `alpine-3.18.4`, `rhel-9.2`, or Syft's `ubuntu-22.04`. */
function osFromDistro(purl: PackageURL): OsInfo | undefined {
  const distro = purl.qualifiers?.distro;
  if (distro === undefined) return undefined;
  const match = /^([a-z][a-z0-9_.-]*?)-(\d[\w.]*|edge|sid)$/.exec(distro);
  if (match) return { family: match[1]!, version: match[2]! };
  return purl.namespace ? { family: purl.namespace, version: distro } : undefined;
}
