/**
 * Debian release numbers by code name, so that an image with `VERSION_ID=12` in os-release
 * matches tracker data keyed `bookworm`. Releases before 7 had two-part numbers (3.1 for sarge).
 * The matcher keys Debian by the first part of VERSION_ID, so those map to that first part.
 */
const DEBIAN_RELEASES: Record<string, string> = {
  woody: '3',
  sarge: '3',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  sid: 'sid',
};

/** Returns the DB ecosystem key of a Debian code name (`bookworm` → `debian:12`), or undefined. */
export function debianEcosystemOf(codename: string): string | undefined {
  const release = DEBIAN_RELEASES[codename.toLowerCase()];
  return release === undefined ? undefined : `debian:${release}`;
}
