import type { Diagnostic } from '../../../model/diagnostic.js';
import type { Package, PackageParty } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { parseParty } from '../../package-party.js';
import { compareStrings, fileDiagnostic, langOutput } from '../package-set.js';
import { pythonPackageTarget } from './python-package-path.js';
import { firstField, parseHeaderFields, type HeaderFields } from './rfc822-headers.js';

/** The largest metadata file read, in bytes. The long description makes some a few hundred KiB. */
const MAX_METADATA_SIZE = 8 * 1024 * 1024;

/**
 * Reads the core metadata of installed Python distributions (`*.dist-info/METADATA`,
 * `*.egg-info/PKG-INFO`, `*.egg/EGG-INFO/PKG-INFO`, single-file `*.egg-info`). Trivy calls
 * this package set type `python-pkg`.
 */
export const pythonPackageAnalyzer: Analyzer = {
  id: 'python-pkg',
  version: 2,
  maxFileSize: MAX_METADATA_SIZE,

  required(info: FileInfo): boolean {
    return pythonPackageTarget(info.path) !== undefined;
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    const target = pythonPackageTarget(path);
    if (target === undefined) return {};

    const parsed = parsePythonMetadata(path, input.content.toString('utf8'));
    const packages = parsed.package ? [parsed.package] : [];
    return langOutput({ type: 'python-pkg', target, packages, diagnostics: parsed.diagnostics });
  },
};

/**
 * Parses one core metadata file into a package. `Name` and `Version` are required. Lines that
 * are not header fields become diagnostics but do not drop the package.
 */
export function parsePythonMetadata(path: string, text: string): { package?: Package; diagnostics: Diagnostic[] } {
  const { fields, invalidLines } = parseHeaderFields(text.replace(/^\uFEFF/, ''));
  const diagnostics: Diagnostic[] = [];
  if (invalidLines.length > 0) {
    const listedLines = invalidLines.slice(0, 5).join(', ');
    diagnostics.push(fileDiagnostic(path, 'FORMAT_INVALID', `skipped lines that are not "Field: value" headers: line ${listedLines}`));
  }

  const name = firstField(fields, 'Name');
  const version = firstField(fields, 'Version');
  if (name === undefined || version === undefined) {
    const missing = name === undefined ? 'Name' : 'Version';
    diagnostics.push(fileDiagnostic(path, 'FORMAT_INVALID', `metadata has no "${missing}" field; the distribution is not listed`));
    return { diagnostics };
  }

  const pkg: Package = { name, version, path };
  const licenses = pythonLicenses(fields);
  if (licenses.length > 0) pkg.licenses = licenses;
  const author = pythonAuthor(fields);
  if (author) pkg.author = author;
  const dependsOn = requiredDistributions(fields);
  if (dependsOn.length > 0) pkg.dependsOn = dependsOn;
  return { package: pkg, diagnostics };
}

/**
 * Reads the author, else the maintainer. Core metadata puts the name in `Author` and the address in
 * `Author-email`, which newer tools fill with `Name <email>` and leave `Author` out.
 */
function pythonAuthor(fields: HeaderFields): PackageParty | undefined {
  for (const [nameField, emailField] of [['Author', 'Author-email'], ['Maintainer', 'Maintainer-email']] as const) {
    const name = firstField(fields, nameField)?.trim();
    // Several addresses are separated by commas, and the first names the author.
    const email = firstField(fields, emailField)?.split(',')[0]?.trim();
    const fromEmail = parseParty(email, 'person');
    if (name && name !== 'UNKNOWN') return fromEmail?.email ? { name, email: fromEmail.email, kind: 'person' } : { name, kind: 'person' };
    if (fromEmail && email !== 'UNKNOWN') return fromEmail;
  }
  return undefined;
}

/**
 * Returns the licenses of a distribution. `License-Expression` (an SPDX expression, core metadata
 * 2.4) wins. Next comes a one-line `License` other than `UNKNOWN`, then the last segment of each
 * `License :: …` classifier (`License :: OSI Approved :: MIT License` gives `MIT License`).
 */
export function pythonLicenses(fields: HeaderFields): string[] {
  const expression = firstField(fields, 'License-Expression');
  if (expression !== undefined) return [expression];

  // NOTE: a multi-line `License` value is the license text itself, which names no license, so
  // such a distribution gets its licenses from the classifiers only.
  const license = firstField(fields, 'License');
  if (license !== undefined && !license.includes('\n') && license.toUpperCase() !== 'UNKNOWN') return [license];

  const fromClassifiers: string[] = [];
  for (const classifier of fields.get('classifier') ?? []) {
    const parts = classifier.split('::').map((part) => part.trim());
    // `License :: OSI Approved` alone names a category, not a license.
    if (parts[0] !== 'License' || parts.length < 3) continue;
    const licenseName = parts[parts.length - 1]!;
    if (licenseName !== '' && !fromClassifiers.includes(licenseName)) fromClassifiers.push(licenseName);
  }
  return fromClassifiers;
}

/** The distribution name at the start of a PEP 508 requirement. */
const REQUIREMENT_NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
/** A PEP 508 marker that makes a requirement depend on an extra being requested. */
const EXTRA_MARKER = /\bextra\s*==/;

/**
 * Returns the sorted distribution names from `Requires-Dist`. Requirements with an `extra == …`
 * marker are left out, because pip installs them only when a user requests the extra. Names are normalized per PEP 503 (lower case, runs of `-_.` become
 * `-`) so that they match other packages' names however each project spells them. Other markers
 * (`python_version`, `sys_platform`) are kept because the environment is not known here.
 */
export function requiredDistributions(fields: HeaderFields): string[] {
  const names = new Set<string>();
  for (const requirement of fields.get('requires-dist') ?? []) {
    const semicolon = requirement.indexOf(';');
    if (semicolon >= 0 && EXTRA_MARKER.test(requirement.slice(semicolon + 1))) continue;
    const match = REQUIREMENT_NAME.exec(requirement);
    if (match) names.add(normalizePythonName(match[1]!));
  }
  return [...names].sort(compareStrings);
}

/** Normalizes a distribution name per PEP 503: `Foo.Bar_baz` becomes `foo-bar-baz`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
