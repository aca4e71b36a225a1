import { errorMessage } from '../../../errors.js';
import type { Diagnostic } from '../../../model/diagnostic.js';
import type { Package, PackageParty } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { parseParty } from '../../package-party.js';
import { compareStrings, fileDiagnostic, langOutput } from '../package-set.js';
import { nodePackageTarget } from './node-package-path.js';

/** The largest `package.json` read, in bytes. Real manifests are a few KiB. */
const MAX_PACKAGE_JSON_SIZE = 4 * 1024 * 1024;

/**
 * Reads the `package.json` of each package installed under a `node_modules` folder, including
 * global installs (`usr/lib/node_modules`, `usr/local/lib/node_modules`). Trivy calls this
 * package set type `node-pkg`.
 */
export const nodePackageAnalyzer: Analyzer = {
  id: 'node-pkg',
  version: 2,
  maxFileSize: MAX_PACKAGE_JSON_SIZE,

  required(info: FileInfo): boolean {
    return info.path.endsWith('/package.json') && nodePackageTarget(info.path) !== undefined;
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    const target = nodePackageTarget(path);
    if (target === undefined) return {};

    const parsed = parsePackageJson(path, input.content);
    if ('diagnostic' in parsed) return langOutput({ type: 'node-pkg', target, packages: [], diagnostics: [parsed.diagnostic] });
    return langOutput({ type: 'node-pkg', target, packages: [parsed.package] });
  },
};

/** Parses one installed `package.json` into a package, or a diagnostic naming the bad field. */
export function parsePackageJson(path: string, content: Buffer): { package: Package } | { diagnostic: Diagnostic } {
  let manifest: unknown;
  try {
    // Untrusted bytes: a SyntaxError becomes a diagnostic so that one bad file never stops a scan.
    manifest = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return { diagnostic: fileDiagnostic(path, 'FORMAT_INVALID', `invalid JSON in package.json: ${errorMessage(error)}`) };
  }
  if (!isRecord(manifest)) {
    return { diagnostic: fileDiagnostic(path, 'FORMAT_INVALID', 'package.json is not a JSON object; the package is not listed') };
  }

  const name = manifest['name'];
  const version = manifest['version'];
  if (typeof name !== 'string' || name.trim() === '') {
    return { diagnostic: fileDiagnostic(path, 'FORMAT_INVALID', 'package.json has no "name" string; the package is not listed') };
  }
  if (typeof version !== 'string' || version.trim() === '') {
    return {
      diagnostic: fileDiagnostic(path, 'FORMAT_INVALID', `package.json of "${name}" has no "version" string; the package is not listed`),
    };
  }

  const pkg: Package = { name: name.trim(), version: version.trim(), path };
  const licenses = npmLicenses(manifest);
  if (licenses.length > 0) pkg.licenses = licenses;
  const author = npmAuthor(manifest['author']);
  if (author) pkg.author = author;
  const dependsOn = dependencyNames(manifest);
  if (dependsOn.length > 0) pkg.dependsOn = dependsOn;
  return { package: pkg };
}

/** Reads `author`, which npm accepts as `Name <email> (url)` or as `{ name, email, url }`. */
function npmAuthor(value: unknown): PackageParty | undefined {
  if (typeof value === 'string') return parseParty(value, 'person');
  if (!isRecord(value) || typeof value['name'] !== 'string') return undefined;
  const author = parseParty(value['name'], 'person');
  if (author && typeof value['email'] === 'string' && value['email'].trim() !== '') author.email = value['email'].trim();
  return author;
}

/**
 * Returns the licenses of a manifest. npm accepts an SPDX expression string in `license`. Older
 * packages use an object `{ type, url }` there, or a `licenses` array of such objects or strings.
 * Strings are kept as written, including npm's `SEE LICENSE IN <file>` and `UNLICENSED`.
 */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (value: unknown): void => {
    const text = typeof value === 'string' ? value : isRecord(value) ? value['type'] : undefined;
    if (typeof text === 'string' && text.trim() !== '' && !found.includes(text.trim())) found.push(text.trim());
  };

  add(manifest['license']);
  const legacy = manifest['licenses'];
  if (Array.isArray(legacy)) legacy.forEach(add);
  else add(legacy);
  return found;
}

/**
 * Returns the sorted names from `dependencies` and `optionalDependencies`, the packages that npm
 * installs for this one. `devDependencies` are left out because npm never installs them for a
 * dependency. `peerDependencies` are left out because they resolve to a copy that the dependent
 * package shares, which the tree lists on its own.
 */
function dependencyNames(manifest: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies']) {
    const value = manifest[field];
    if (isRecord(value)) Object.keys(value).forEach((name) => names.add(name));
  }
  return [...names].sort(compareStrings);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
