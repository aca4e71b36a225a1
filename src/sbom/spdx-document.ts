import type { ScanReport } from '../model/report.js';
import { contentUuid, formatTimestamp, sbomTimestamp, shortDigest } from './document-identity.js';
import { combinedExpression } from './licenses.js';
import { imageConfigFacts, imagePurl } from './image-facts.js';
import { spdxActor, spdxAlgorithm } from './package-actors.js';
import { collectSbomPackages, compare, resolveDependencies, type SbomPackage } from './sbom-packages.js';

/** The subset of the SPDX 2.3 JSON document that Bulwark writes. */
export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
  /** One entry per `LicenseRef-` id that a licence expression uses, which SPDX 2.3 requires to be declared. */
  hasExtractedLicensingInfos?: SpdxExtractedLicense[];
}

/** A licence without an SPDX id, named by the `LicenseRef-` id that expressions use for it. */
export interface SpdxExtractedLicense {
  licenseId: string;
  extractedText: string;
  name: string;
}

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  licenseComments?: string;
  sourceInfo?: string;
  /** `Person: …` or `Organization: …`: who distributes the package. */
  supplier?: string;
  /** `Person: …`: who wrote the package. */
  originator?: string;
  checksums?: Array<{ algorithm: string; checksumValue: string }>;
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY' | 'APPLICATION' | 'SOURCE';
  externalRefs?: Array<{ referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }>;
  annotations?: SpdxAnnotation[];
}

/** An annotation holding one `Key: value` fact that SPDX 2.3 has no field for, as Trivy writes them. */
export interface SpdxAnnotation {
  annotator: string;
  annotationDate: string;
  annotationType: 'OTHER';
  comment: string;
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  relatedSpdxElement: string;
}

export interface SpdxWriteOptions {
  /** The environment that may set `SOURCE_DATE_EPOCH`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const CREATOR = 'Tool: bulwark-0.1.0';
const ROOT_ID = 'SPDXRef-Artifact';
const OS_ID = 'SPDXRef-OperatingSystem';

/**
 * Builds an SPDX 2.3 document for a report: a package for the image or directory that the
 * document describes, one for its OS, one per package (purl as an external reference, licences
 * as SPDX expressions, path, layer and package type as annotations), and CONTAINS and DEPENDS_ON
 * relationships. The namespace is derived from the content, so the same report gives the same document.
 */
export function buildSpdxDocument(report: ScanReport, options: SpdxWriteOptions = {}): SpdxDocument {
  const created = formatTimestamp(sbomTimestamp(options.env ?? process.env));
  const annotate = (comment: string): SpdxAnnotation => ({ annotator: CREATOR, annotationDate: created, annotationType: 'OTHER', comment });
  const { artifact } = report;

  const root: SpdxPackage = {
    SPDXID: ROOT_ID,
    name: artifact.name,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    primaryPackagePurpose: artifact.type === 'container-image' ? 'CONTAINER' : 'SOURCE',
    annotations: [
      ...(artifact.imageId ? [annotate(`ImageID: ${artifact.imageId}`)] : []),
      ...(artifact.digest ? [annotate(`RepoDigest: ${artifact.repoDigests?.[0] ?? artifact.digest}`)] : []),
      ...(artifact.repoTags ?? []).map((tag) => annotate(`RepoTag: ${tag}`)),
      ...(artifact.layers ?? []).map((layer) => annotate(`LayerDiffID: ${layer.diffId}`)),
      ...imageConfigFacts(artifact).map(([key, value]) => annotate(`${key}: ${value}`)),
    ],
  };
  if (artifact.digest) root.versionInfo = artifact.digest;
  const purl = imagePurl(artifact);
  if (purl !== undefined) root.externalRefs = [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }];
  const packages: SpdxPackage[] = [root];
  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: ROOT_ID }];

  if (artifact.os) {
    packages.push({
      SPDXID: OS_ID,
      name: artifact.os.family,
      versionInfo: artifact.os.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING_SYSTEM',
    });
    relationships.push({ spdxElementId: ROOT_ID, relationshipType: 'CONTAINS', relatedSpdxElement: OS_ID });
  }

  const entries = collectSbomPackages(report);
  const ids = new Map(entries.map((entry) => [entry.ref, `SPDXRef-Package-${shortDigest(entry.ref)}`]));
  for (const entry of entries) {
    packages.push(toSpdxPackage(entry, ids.get(entry.ref)!, annotate));
    const parent = entry.osPackage && artifact.os ? OS_ID : ROOT_ID;
    relationships.push({ spdxElementId: parent, relationshipType: 'CONTAINS', relatedSpdxElement: ids.get(entry.ref)! });
  }
  for (const [ref, dependsOn] of resolveDependencies(entries)) {
    for (const target of dependsOn) relationships.push({ spdxElementId: ids.get(ref)!, relationshipType: 'DEPENDS_ON', relatedSpdxElement: ids.get(target)! });
  }

  packages.sort((a, b) => compare(a.SPDXID, b.SPDXID));
  const extracted = extractedLicenses(packages);
  relationships.sort((a, b) => compare(a.spdxElementId, b.spdxElementId) || compare(a.relationshipType, b.relationshipType) || compare(a.relatedSpdxElement, b.relatedSpdxElement));

  const document: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: artifact.name,
    documentNamespace: '',
    creationInfo: { created, creators: [CREATOR] },
    packages,
    relationships,
  };
  if (extracted.length > 0) document.hasExtractedLicensingInfos = extracted;
  // The namespace hashes the document without the time stamp, so it depends on content only.
  const uuid = contentUuid(JSON.stringify({ ...document, creationInfo: { creators: [CREATOR] }, packages: packages.map(({ annotations, ...rest }) => ({ ...rest, annotations: annotations?.map((a) => a.comment) })) }));
  document.documentNamespace = `https://spdx.org/spdxdocs/bulwark/${encodeURIComponent(artifact.name.replace(/^.*\//, ''))}-${uuid}`;
  return document;
}

/**
 * Declares every `LicenseRef-` id of the packages' licences. Bulwark has only the licence's name,
 * not its text, so the extracted text says where the name came from.
 */
function extractedLicenses(packages: readonly SpdxPackage[]): SpdxExtractedLicense[] {
  const ids = new Set<string>();
  for (const pkg of packages) for (const match of pkg.licenseDeclared.matchAll(/LicenseRef-[A-Za-z0-9.-]+/g)) ids.add(match[0]);
  return [...ids].sort(compare).map((licenseId) => {
    const name = licenseId.slice('LicenseRef-'.length);
    return { licenseId, name, extractedText: `The package metadata names this licence "${name}" and gives no SPDX identifier for it; its text is in the package's own copyright or licence file.` };
  });
}

function toSpdxPackage(entry: SbomPackage, id: string, annotate: (comment: string) => SpdxAnnotation): SpdxPackage {
  const pkg = entry.package;
  const expression = combinedExpression(pkg.licenses);
  const spdx: SpdxPackage = {
    SPDXID: id,
    name: pkg.name,
    versionInfo: pkg.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: expression ?? 'NOASSERTION',
    sourceInfo: `found in ${pkg.path}`,
    primaryPackagePurpose: 'LIBRARY',
  };
  if (expression === undefined && pkg.licenses && pkg.licenses.length > 0) spdx.licenseComments = `licences as the package metadata gives them: ${[...new Set(pkg.licenses)].sort().join('; ')}`;
  if (pkg.purl) spdx.externalRefs = [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }];
  if (pkg.supplier) spdx.supplier = spdxActor(pkg.supplier);
  if (pkg.author) spdx.originator = spdxActor(pkg.author);
  if (pkg.hashes?.length) spdx.checksums = pkg.hashes.map((hash) => ({ algorithm: spdxAlgorithm(hash.algorithm), checksumValue: hash.value }));
  const facts: Array<[string, string | undefined]> = [
    ['PkgType', entry.setType],
    ['FilePath', pkg.path],
    ['LayerDiffID', pkg.layerDiffId],
    ['SrcName', pkg.srcName],
    ['SrcVersion', pkg.srcVersion],
    ['Target', entry.osPackage ? undefined : entry.target],
    ['GoModuleSum', pkg.goModuleSum],
  ];
  spdx.annotations = facts.filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => annotate(`${key}: ${value}`));
  return spdx;
}
