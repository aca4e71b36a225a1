/**
 * Metadata files of installed Python distributions, with the number of trailing path segments
 * that belong to the distribution: `x.dist-info/METADATA` (wheels), `x.egg-info/PKG-INFO`
 * (setuptools installs), `x.egg/EGG-INFO/PKG-INFO` (unzipped eggs) and `x.egg-info` as a single
 * file (distutils installs).
 */
const METADATA_LAYOUTS: Array<{ pattern: RegExp; segments: number }> = [
  { pattern: /(?:^|\/)[^/]+\.dist-info\/METADATA$/, segments: 2 },
  { pattern: /(?:^|\/)[^/]+\.egg-info\/PKG-INFO$/, segments: 2 },
  { pattern: /(?:^|\/)[^/]+\.egg\/EGG-INFO\/PKG-INFO$/, segments: 3 },
  { pattern: /(?:^|\/)[^/]+\.egg-info$/, segments: 1 },
];

/**
 * Returns the report target of a Python metadata file: the folder that contains the distribution
 * (`usr/lib/python3/dist-packages`, `usr/local/lib/python3.11/site-packages`), or `.` when the
 * distribution sits at the root. Returns undefined for any other path.
 */
export function pythonPackageTarget(path: string): string | undefined {
  const layout = METADATA_LAYOUTS.find((candidate) => candidate.pattern.test(path));
  if (layout === undefined) return undefined;

  const segments = path.split('/');
  const folder = segments.slice(0, segments.length - layout.segments);
  return folder.length === 0 ? '.' : folder.join('/');
}
