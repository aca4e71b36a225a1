/**
 * Release code names of Debian and Ubuntu, for release files that do not write one (Debian 7 and
 * 8 os-release, Debian `debian_version`, Ubuntu 12.04-15.10 os-release). Vulnerability feeds of
 * both distributions key their data by code name.
 */

const DEBIAN_CODENAMES: Record<string, string> = {
  '6': 'squeeze',
  '7': 'wheezy',
  '8': 'jessie',
  '9': 'stretch',
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
  '14': 'forky',
};

const UBUNTU_CODENAMES: Record<string, string> = {
  '10.04': 'lucid',
  '10.10': 'maverick',
  '11.04': 'natty',
  '11.10': 'oneiric',
  '12.04': 'precise',
  '12.10': 'quantal',
  '13.04': 'raring',
  '13.10': 'saucy',
  '14.04': 'trusty',
  '14.10': 'utopic',
  '15.04': 'vivid',
  '15.10': 'wily',
  '16.04': 'xenial',
  '16.10': 'yakkety',
  '17.04': 'zesty',
  '17.10': 'artful',
  '18.04': 'bionic',
  '18.10': 'cosmic',
  '19.04': 'disco',
  '19.10': 'eoan',
  '20.04': 'focal',
  '20.10': 'groovy',
  '21.04': 'hirsute',
  '21.10': 'impish',
  '22.04': 'jammy',
  '22.10': 'kinetic',
  '23.04': 'lunar',
  '23.10': 'mantic',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
};

/** Returns the code name of a Debian release (`12` or `12.5` gives `bookworm`), if known. */
export function debianCodename(version: string): string | undefined {
  const major = version.split('.')[0] ?? '';
  return Object.hasOwn(DEBIAN_CODENAMES, major) ? DEBIAN_CODENAMES[major] : undefined;
}

/** Returns the code name of an Ubuntu release (`22.04` or `22.04.5` gives `jammy`), if known. */
export function ubuntuCodename(version: string): string | undefined {
  const release = version.split('.').slice(0, 2).join('.');
  return Object.hasOwn(UBUNTU_CODENAMES, release) ? UBUNTU_CODENAMES[release] : undefined;
}
