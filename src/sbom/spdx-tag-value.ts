import type { SpdxDocument } from './spdx-document.js';

/**
 * Control characters other than tab and line feed, replaced with U+FFFD. An image label or
 * environment value may hold them, and an escape sequence would act on the terminal that shows the
 * document.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Renders an SPDX document in the SPDX 2.3 tag-value format: the document creation section, one
 * section per package with its annotations, then the relationships. Free text goes between
 * `<text>` tags, as the format requires for values that may span lines. Control characters
 * become U+FFFD.
 */
export function renderSpdxTagValue(document: SpdxDocument): string {
  const lines = [
    `SPDXVersion: ${document.spdxVersion}`,
    `DataLicense: ${document.dataLicense}`,
    `SPDXID: ${document.SPDXID}`,
    `DocumentName: ${singleLine(document.name)}`,
    `DocumentNamespace: ${document.documentNamespace}`,
    ...document.creationInfo.creators.map((creator) => `Creator: ${creator}`),
    `Created: ${document.creationInfo.created}`,
  ];

  for (const pkg of document.packages) {
    lines.push('', `##### Package: ${singleLine(pkg.name)}`, '');
    lines.push(`PackageName: ${singleLine(pkg.name)}`, `SPDXID: ${pkg.SPDXID}`);
    if (pkg.versionInfo !== undefined) lines.push(`PackageVersion: ${singleLine(pkg.versionInfo)}`);
    if (pkg.supplier !== undefined) lines.push(`PackageSupplier: ${singleLine(pkg.supplier)}`);
    if (pkg.originator !== undefined) lines.push(`PackageOriginator: ${singleLine(pkg.originator)}`);
    lines.push(`PackageDownloadLocation: ${pkg.downloadLocation}`, `FilesAnalyzed: ${pkg.filesAnalyzed}`);
    for (const checksum of pkg.checksums ?? []) lines.push(`PackageChecksum: ${checksum.algorithm}: ${checksum.checksumValue}`);
    lines.push(`PackageLicenseConcluded: ${pkg.licenseConcluded}`, `PackageLicenseDeclared: ${pkg.licenseDeclared}`);
    if (pkg.licenseComments !== undefined) lines.push(`PackageLicenseComments: ${text(pkg.licenseComments)}`);
    if (pkg.sourceInfo !== undefined) lines.push(`PackageSourceInfo: ${text(pkg.sourceInfo)}`);
    lines.push(`PrimaryPackagePurpose: ${pkg.primaryPackagePurpose}`);
    for (const ref of pkg.externalRefs ?? []) lines.push(`ExternalRef: ${ref.referenceCategory} ${ref.referenceType} ${ref.referenceLocator}`);
    for (const annotation of pkg.annotations ?? []) {
      lines.push(
        `Annotator: ${annotation.annotator}`,
        `AnnotationDate: ${annotation.annotationDate}`,
        `AnnotationType: ${annotation.annotationType}`,
        `SPDXREF: ${pkg.SPDXID}`,
        `AnnotationComment: ${text(annotation.comment)}`,
      );
    }
  }

  for (const license of document.hasExtractedLicensingInfos ?? []) {
    lines.push('', `LicenseID: ${license.licenseId}`, `ExtractedText: ${text(license.extractedText)}`, `LicenseName: ${singleLine(license.name)}`);
  }

  lines.push('', '##### Relationships', '');
  for (const relationship of document.relationships) {
    lines.push(`Relationship: ${relationship.spdxElementId} ${relationship.relationshipType} ${relationship.relatedSpdxElement}`);
  }
  return `${lines.join('\n')}\n`.replace(CONTROL_CHARACTERS, '\ufffd');
}


/** Wraps free text in `<text>` tags; a closing tag inside the value would end it early, so it is escaped. */
function text(value: string): string {
  return `<text>${value.replaceAll('</text>', '&lt;/text>')}</text>`;
}

/** Single-line values cannot hold a line break, so breaks become spaces. */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
