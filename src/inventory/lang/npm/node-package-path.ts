/**
 * Returns the report target of an installed package's own `package.json`, or undefined when
 * the path is any other `package.json`.
 *
 * A package's own manifest sits at `node_modules/<name>/package.json` or
 * `node_modules/@scope/<name>/package.json` below the last `node_modules` segment. Manifests
 * deeper inside a package's folders (`node_modules/x/test/package.json`) describe test fixtures
 * or sub-entry points, not installed packages. The target is the top-most `node_modules` folder
 * of the path, so nested installs (`app/node_modules/a/node_modules/b`) and the pnpm store
 * (`app/node_modules/.pnpm/b@1.0.0/node_modules/b`) report under `app/node_modules`.
 */
export function nodePackageTarget(path: string): string | undefined {
  const segments = path.split('/');
  if (segments.length < 3 || segments[segments.length - 1] !== 'package.json') return undefined;

  const last = segments.lastIndexOf('node_modules');
  if (last < 0) return undefined;
  const rest = segments.slice(last + 1, -1);
  if (!isPackageFolder(rest)) return undefined;

  const first = segments.indexOf('node_modules');
  return segments.slice(0, first + 1).join('/');
}

/** True for `[name]` or `[@scope, name]`, the folders npm creates for one package. */
function isPackageFolder(folders: string[]): boolean {
  if (folders.length === 1) return isPackageName(folders[0]!) && !folders[0]!.startsWith('@');
  if (folders.length === 2) return folders[0]!.startsWith('@') && folders[0]!.length > 1 && isPackageName(folders[1]!);
  return false;
}

/** True for a non-empty folder name other than the dot folders (`.bin`, `.pnpm`, `.cache`) of npm tools. */
function isPackageName(folder: string): boolean {
  return folder.length > 0 && !folder.startsWith('.');
}
