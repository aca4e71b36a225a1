/** The class of a package set: OS packages from a package manager, or language packages. */
export type PackageClass = 'os-pkgs' | 'lang-pkgs';

/**
 * The kind of package database or manifest a package set came from. The names follow Trivy's
 * so that users can map results: `dpkg`, `apk` and `rpm` for OS package databases; `node-pkg`,
 * `python-pkg`, `gobinary`, `jar` for installed language packages; `npm`, `yarn`, `pnpm`, `poetry`,
 * `pipenv`, `pip`, `gomod`, `cargo`, `bundler`, `composer` for lock files.
 */
export type PackageSetType =
  | 'dpkg'
  | 'apk'
  | 'rpm'
  | 'node-pkg'
  | 'python-pkg'
  | 'gobinary'
  | 'jar'
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'poetry'
  | 'pipenv'
  | 'pip'
  | 'gomod'
  | 'cargo'
  | 'bundler'
  | 'composer';

/** The advisory ecosystem whose version scheme and advisories apply to a language package. */
export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'Maven' | 'crates.io' | 'RubyGems' | 'Packagist';

/** One installed or locked package. */
export interface Package {
  /** The package name as its ecosystem writes it (binary package name for dpkg and rpm). */
  name: string;
  /**
   * The full version, comparable with the ecosystem's scheme: `[epoch:]upstream[-revision]` for
   * dpkg, `[epoch:]version-release` for rpm, `x.y.z-rN` for apk, the plain version elsewhere.
   */
  version: string;
  /** The source package (dpkg `Source:`, apk origin, the name part of an rpm's source RPM). */
  srcName?: string;
  /** The source package version when it differs from `version` or is known separately. */
  srcVersion?: string;
  /** The CPU architecture the package was built for (`amd64`, `x86_64`, `noarch`). */
  arch?: string;
  /** The rpm modularity label (`name:stream:version:context`). */
  modularityLabel?: string;
  /** Licences as the metadata gives them, preferably SPDX expressions. */
  licenses?: string[];
  /** The distributor: the dpkg `Maintainer`, apk `m:` maintainer, rpm `Vendor`, or a jar's `Implementation-Vendor`. */
  supplier?: PackageParty;
  /** The author: the npm `author`, or Python `Author`/`Maintainer` metadata. */
  author?: PackageParty;
  /** Digests of the package file or archive, where the metadata or the scan gives them. */
  hashes?: PackageHash[];
  /** The Go module checksum (`h1:` base64 SHA-256 of the module's file tree), which hashes no single file. */
  goModuleSum?: string;
  /** True for a development-only dependency of a lock file. */
  dev?: boolean;
  /** True for a direct dependency of the project, where the lock file says. */
  direct?: boolean;
  /** The file the package was read from, relative to the scanned root, without a leading slash. */
  path: string;
  /** The diffID of the layer that added the file, for image scans. */
  layerDiffId?: string;
  /** The package URL, filled in once the OS is known. */
  purl?: string;
  /**
   * The packages this one depends on, as `name@version` of packages in the same set (lock files)
   * or as bare names (dpkg `Depends:`), where the source records them.
   */
  dependsOn?: string[];
}

/** A person or organisation named in package metadata. */
export interface PackageParty {
  name: string;
  email?: string;
  /** `organization` for vendor fields, `person` for maintainer and author fields. */
  kind: 'person' | 'organization';
}

/** A digest in CycloneDX's algorithm names, as lower-case hex. */
export interface PackageHash {
  algorithm: 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512';
  value: string;
}

/** The packages one analyzer read from one database, lock file or language directory. */
export interface PackageSet {
  class: PackageClass;
  type: PackageSetType;
  /** The report target: the lock file or database path, or the language directory. */
  target: string;
  packages: Package[];
}
