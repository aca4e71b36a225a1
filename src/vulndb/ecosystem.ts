import type { Ecosystem, PackageSetType } from '../model/package.js';

/** A version scheme of `compareVersions` in src/versioning. */
export type VersionScheme = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'go' | 'maven' | 'rubygems' | 'composer';

// OSV ecosystem names of language ecosystems, keyed by their lower-case DB key.
const LANGUAGE_KEYS: Record<string, string> = {
  npm: 'npm',
  pypi: 'pypi',
  go: 'go',
  maven: 'maven',
  'crates.io': 'crates.io',
  rubygems: 'rubygems',
  packagist: 'packagist',
};

// OSV distribution names whose ecosystem carries a release suffix (`AlmaLinux:9`).
const DISTRO_KEYS: Record<string, string> = {
  almalinux: 'almalinux',
  'rocky linux': 'rocky',
  debian: 'debian',
  alpine: 'alpine',
  ubuntu: 'ubuntu',
  'red hat': 'rhel',
};

/**
 * Returns the DB key of an OSV ecosystem: lower case, with the release of a distribution
 * reduced to what images report (`AlmaLinux:9` → `almalinux:9`, `Alpine:v3.18` → `alpine:3.18`,
 * `Debian:12` → `debian:12`, `Ubuntu:22.04:LTS` → `ubuntu:22.04`, `Rocky Linux:9` → `rocky:9`).
 * Ecosystems that Bulwark does not match (`OSS-Fuzz`, `Bitnami`, `NuGet`) are kept, lower-cased.
 */
export function normalizeEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  if (colon < 0) {
    const lower = ecosystem.toLowerCase();
    return LANGUAGE_KEYS[lower] ?? lower;
  }

  const distro = ecosystem.slice(0, colon).toLowerCase();
  const release = ecosystem.slice(colon + 1).split(':')[0] ?? '';
  const key = DISTRO_KEYS[distro] ?? distro;
  return `${key}:${release.replace(/^v(?=\d)/, '')}`;
}

/**
 * Returns the package name as the DB stores it, so that lookups match however the lock file or
 * the advisory spells it. PyPI names follow PEP 503 (lower case, runs of `-_.` as one `-`).
 * npm, Packagist and crates.io names are lower-cased because their registries ignore case.
 * Go module paths and Maven coordinates are case-sensitive and stay unchanged.
 */
export function normalizePackageName(ecosystemKey: string, name: string): string {
  switch (ecosystemKey) {
    case 'pypi':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'npm':
    case 'packagist':
    case 'crates.io':
      return name.toLowerCase();
    default:
      return name.trim();
  }
}

/**
 * Returns the version scheme of a DB ecosystem key, or undefined when `compareVersions` has none
 * (ecosystems that Bulwark does not match).
 */
export function versionSchemeOf(ecosystemKey: string): VersionScheme | undefined {
  const family = ecosystemKey.split(':')[0];
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return 'dpkg';
    case 'alpine':
    case 'wolfi':
    case 'chainguard':
      return 'apk';
    case 'almalinux':
    case 'rocky':
    case 'rhel':
      return 'rpm';
    case 'npm':
    case 'crates.io':
      return 'semver';
    case 'pypi':
      return 'pep440';
    case 'go':
      return 'go';
    case 'maven':
      return 'maven';
    case 'rubygems':
      return 'rubygems';
    case 'packagist':
      return 'composer';
    default:
      return undefined;
  }
}

/** The advisory ecosystem of each language package set type. */
const ECOSYSTEM_OF_SET: Partial<Record<PackageSetType, Ecosystem>> = {
  'node-pkg': 'npm',
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  'python-pkg': 'PyPI',
  pip: 'PyPI',
  pipenv: 'PyPI',
  poetry: 'PyPI',
  gobinary: 'Go',
  gomod: 'Go',
  jar: 'Maven',
  cargo: 'crates.io',
  bundler: 'RubyGems',
  composer: 'Packagist',
};

/** Returns the advisory ecosystem of a language package set type, or undefined for OS sets. */
export function ecosystemOfPackageSet(type: PackageSetType): Ecosystem | undefined {
  return ECOSYSTEM_OF_SET[type];
}

/**
 * Returns the DB ecosystem keys to look up for an OS, in order of preference. The matcher uses the
 * first key that has data, so Rocky Linux and RHEL fall back to AlmaLinux errata.
 */
export function osEcosystemKeys(family: string, version: string): string[] {
  const [major = '', minor] = version.split('.');
  switch (family) {
    case 'debian':
      return [`debian:${major}`];
    case 'ubuntu':
      return [`ubuntu:${version.split('.').slice(0, 2).join('.')}`];
    case 'alpine':
      return version === 'edge' || minor === undefined ? [`alpine:${version}`] : [`alpine:${major}.${minor}`];
    case 'wolfi':
      return ['wolfi'];
    case 'chainguard':
      return ['chainguard', 'wolfi'];
    case 'almalinux':
      return [`almalinux:${major}`];
    case 'rocky':
      return [`rocky:${major}`, `almalinux:${major}`];
    case 'rhel':
    case 'centos':
      return [`rhel:${major}`, `almalinux:${major}`];
    default:
      return [];
  }
}
