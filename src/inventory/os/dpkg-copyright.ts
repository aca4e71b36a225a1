import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import { licenseRef, spdxFromDebianName } from './debian-license-names.js';
import { parseDeb822 } from './deb822.js';
import { dep5LicenseExpression } from './dep5-license-expression.js';

/** `usr/share/doc/<package>/copyright`, where every Debian package installs its copyright file. */
const COPYRIGHT_PATH = /^usr\/share\/doc\/([^/]+)\/copyright$/;

/**
 * A `Format:` value of the machine-readable copyright format: the 1.0 URL, or the URLs of the
 * DEP-5 drafts that older packages still name.
 */
const DEP5_FORMAT = /copyright-format\/1\.0|dep5|\/deps\/dep5/i;

/** A reference to a licence text shipped in base-files, as non-DEP-5 copyright files write it. */
const COMMON_LICENSE_REFERENCE = /\/usr\/share\/common-licenses\/([A-Za-z0-9][A-Za-z0-9.+_-]*)/g;

/** How far back before a common-licenses reference the version and "any later version" are looked for, in characters. */
const REFERENCE_CONTEXT = 2000;

/** Families whose common-licenses file name may lack a version, which the text before the reference then gives. */
const VERSIONED_FAMILIES = new Set(['GPL', 'LGPL', 'GFDL']);

/**
 * Reads the licences of a Debian copyright file. A machine-readable (DEP-5) file gives the
 * synopsis of every `License:` field, in Files paragraphs, the header and stand-alone License
 * paragraphs, each converted to an SPDX expression. Other files give the licences whose text they
 * point to under /usr/share/common-licenses, as Trivy reads them. Returns unique expressions in
 * the order of first appearance.
 */
export function parseDebianCopyright(text: string): string[] {
  const stanzas = parseDeb822(text, { keepFields: new Set(['format', 'license']) });
  const format = stanzas[0]?.fields.get('format');
  const licenses = format !== undefined && DEP5_FORMAT.test(format) ? dep5Licenses(stanzas.map((stanza) => stanza.fields.get('license'))) : referencedLicenses(text);
  return [...new Set(licenses)];
}

function dep5Licenses(fields: Array<string | undefined>): string[] {
  const licenses: string[] = [];
  for (const field of fields) {
    const synopsis = field?.split('\n')[0]!.trim();
    if (synopsis) licenses.push(dep5LicenseExpression(synopsis));
  }
  return licenses;
}

function referencedLicenses(text: string): string[] {
  const licenses: string[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(COMMON_LICENSE_REFERENCE)) {
    const name = match[1]!.replace(/[.]+$/, '');
    const start = Math.max(previousEnd, match.index - REFERENCE_CONTEXT);
    const context = text.slice(start, match.index).replace(/\s+/g, ' ');
    previousEnd = match.index + match[0].length;
    licenses.push(commonLicenseExpression(name, context));
  }
  return licenses;
}

/**
 * Maps a file name under /usr/share/common-licenses (Debian 12's base-files ships Apache-2.0,
 * Artistic, BSD, CC0-1.0, GFDL, GFDL-1.2, GFDL-1.3, GPL, GPL-1, GPL-2, GPL-3, LGPL, LGPL-2, LGPL-2.1,
 * LGPL-3, MPL-1.1 and MPL-2.0) to an SPDX expression. The text before the reference decides between
 * `-only` and `-or-later`, and gives the version when the name has none (`GPL` is a link to the
 * newest GPL, so the name alone does not fix the version).
 */
function commonLicenseExpression(name: string, context: string): string {
  // Debian's BSD file is the 3-clause licence of the University of California.
  if (name === 'BSD') return 'BSD-3-Clause';
  // NOTE: "any later version" anywhere in the text since the previous reference counts, so a
  // paragraph that offers later versions of another licence can turn `-only` into `-or-later`.
  const orLater = /any later version|or later\b/i.test(context);
  let versioned = name;
  if (VERSIONED_FAMILIES.has(name)) {
    const versions = [...context.matchAll(/\bversion (\d+(?:\.\d+)?)\b/gi)];
    const version = versions[versions.length - 1]?.[1];
    if (version === undefined) return licenseRef(name);
    versioned = `${name}-${version}`;
  }
  return spdxFromDebianName(orLater ? `${versioned}+` : versioned) ?? licenseRef(name);
}

/**
 * Reads `usr/share/doc/<package>/copyright` into the licences of the dpkg package of that name.
 * Doc folders that are symlinks to another package's folder are not files, so those packages get
 * no licences, as in Trivy.
 */
export const dpkgCopyrightAnalyzer: Analyzer = {
  id: 'dpkg-copyright',
  version: 1,
  // Copyright files are text of at most some hundreds of KiB; the cap bounds the work on a hostile file.
  maxFileSize: 4 * 1024 * 1024,

  required(info: FileInfo): boolean {
    return COPYRIGHT_PATH.test(info.path);
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const directory = COPYRIGHT_PATH.exec(input.info.path)?.[1];
    if (directory === undefined) return {};
    // Multi-arch packages may name their folder `package:arch`; the package name has no architecture.
    const name = directory.split(':')[0]!;
    const licenses = parseDebianCopyright(input.content.toString('utf8'));
    if (licenses.length === 0) return {};
    return { packageLicenses: [{ type: 'dpkg', name, licenses }] };
  },
};
