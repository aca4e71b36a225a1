import { PackageURL } from 'packageurl-js';

import type { OsInfo } from '../model/os.js';
import type { Package, PackageSetType } from '../model/package.js';

/** The purl type of each package set type, per the purl specification's type list. */
const PURL_TYPES: Record<PackageSetType, string> = {
  dpkg: 'deb',
  apk: 'apk',
  rpm: 'rpm',
  'node-pkg': 'npm',
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  'python-pkg': 'pypi',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  gobinary: 'golang',
  gomod: 'golang',
  jar: 'maven',
  cargo: 'cargo',
  bundler: 'gem',
  composer: 'composer',
};

/**
 * Builds the package URL of a package. OS packages carry the distribution as namespace and the
 * `arch`, `distro` (`debian-12`) and, where the source package differs, `upstream` qualifiers, the
 * way Syft and Trivy write them; rpm versions move the epoch into the `epoch` qualifier.
 */
export function packagePurl(pkg: Package, type: PackageSetType, os?: OsInfo): string {
  const purlType = PURL_TYPES[type];
  const qualifiers: Record<string, string> = {};
  let namespace: string | undefined;
  let name = pkg.name;
  let version = pkg.version;

  switch (purlType) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      namespace = os?.family ?? (purlType === 'deb' ? 'debian' : purlType === 'apk' ? 'alpine' : undefined);
      if (pkg.arch) qualifiers.arch = pkg.arch;
      if (purlType === 'rpm') {
        const match = /^(\d+):(.*)$/.exec(version);
        if (match) {
          qualifiers.epoch = match[1]!;
          version = match[2]!;
        }
      }
      if (os) qualifiers.distro = `${os.family}-${os.version}`;
      if (pkg.srcName && pkg.srcName !== pkg.name) {
        qualifiers.upstream = pkg.srcVersion && pkg.srcVersion !== pkg.version ? `${pkg.srcName}@${pkg.srcVersion}` : pkg.srcName;
      }
      break;
    }
    case 'npm':
    case 'composer':
    case 'golang': {
      const slash = name.lastIndexOf('/');
      if (slash > 0) {
        namespace = name.slice(0, slash);
        name = name.slice(slash + 1);
      }
      if (purlType === 'golang' && version !== '' && !version.startsWith('v') && version !== '(devel)') version = `v${version}`;
      break;
    }
    case 'maven': {
      const colon = name.indexOf(':');
      if (colon > 0) {
        namespace = name.slice(0, colon);
        name = name.slice(colon + 1);
      }
      break;
    }
    default:
      break;
  }

  const sortedQualifiers = Object.keys(qualifiers).length > 0 ? Object.fromEntries(Object.entries(qualifiers).sort(([a], [b]) => a.localeCompare(b))) : undefined;
  return new PackageURL(purlType, namespace, name, version === '' ? undefined : version, sortedQualifiers, undefined).toString();
}
