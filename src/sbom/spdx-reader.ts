import { BulwarkError, InputError } from '../errors.js';
import type { OsInfo } from '../model/os.js';
import type { PackageHash } from '../model/package.js';
import { algorithmFromSpdx, isHashValue, parseSpdxActor } from './package-actors.js';
import type { SbomEntry } from './sbom-inventory.js';

/** The SPDX versions the reader accepts. */
export const READABLE_SPDX_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;

/** The artifact and the packages that an SPDX document describes. */
export interface SpdxContents {
  specVersion: string;
  /** The name of the package the document describes. */
  artifactName?: string;
  isContainer: boolean;
  os?: OsInfo;
  entries: SbomEntry[];
}

/** The annotation keys the reader uses, as `Key: value` comments written by Bulwark and Trivy. */
const FACT_KEYS = new Set(['PkgType', 'FilePath', 'LayerDiffID', 'SrcName', 'SrcVersion', 'Target', 'GoModuleSum']);
const NO_LICENSE = new Set(['NOASSERTION', 'NONE', '']);

/**
 * Reads a parsed SPDX JSON document: every package with a purl external reference becomes an
 * entry, except the described package and the OS package, which give the artifact and the OS.
 * Throws an InputError naming the first invalid field.
 */
export function readSpdxJson(document: Record<string, unknown>, options: { maxEntries: number }): SpdxContents {
  const specVersion = document.spdxVersion;
  if (typeof specVersion !== 'string' || !(READABLE_SPDX_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new BulwarkError('UNSUPPORTED', `unsupported spdxVersion ${JSON.stringify(specVersion)}: expected one of ${READABLE_SPDX_VERSIONS.join(', ')}`);
  }
  const packages = document.packages ?? [];
  if (!Array.isArray(packages)) throw invalid('packages', packages, 'expected an array');
  if (packages.length > options.maxEntries) {
    throw new InputError('LIMIT_EXCEEDED', `the SPDX document has ${packages.length} packages, more than ${options.maxEntries}; raise the limit with --max-sbom-components if the document is trusted`);
  }

  const described = new Set<string>(Array.isArray(document.documentDescribes) ? document.documentDescribes.filter((id): id is string => typeof id === 'string') : []);
  if (Array.isArray(document.relationships)) {
    for (const relationship of document.relationships) {
      if (isRecord(relationship) && relationship.spdxElementId === 'SPDXRef-DOCUMENT' && relationship.relationshipType === 'DESCRIBES' && typeof relationship.relatedSpdxElement === 'string') {
        described.add(relationship.relatedSpdxElement);
      }
    }
  }

  const contents: SpdxContents = { specVersion, isContainer: false, entries: [] };
  packages.forEach((pkg: unknown, index) => {
    const at = `packages[${index}]`;
    if (!isRecord(pkg)) throw invalid(at, pkg, 'expected a package object');
    if (typeof pkg.name !== 'string' || pkg.name === '') throw invalid(`${at}.name`, pkg.name, 'expected a non-empty string');
    if (typeof pkg.SPDXID !== 'string') throw invalid(`${at}.SPDXID`, pkg.SPDXID, 'expected a string such as "SPDXRef-Package-1"');
    if (pkg.versionInfo !== undefined && typeof pkg.versionInfo !== 'string') throw invalid(`${at}.versionInfo`, pkg.versionInfo, 'expected a string');

    if (pkg.primaryPackagePurpose === 'OPERATING_SYSTEM' || pkg.primaryPackagePurpose === 'OPERATING-SYSTEM') {
      contents.os ??= { family: pkg.name.toLowerCase(), version: pkg.versionInfo ?? '' };
      return;
    }
    const purl = purlOf(pkg.externalRefs, `${at}.externalRefs`);
    if (described.has(pkg.SPDXID)) {
      contents.artifactName ??= pkg.name;
      contents.isContainer ||= pkg.primaryPackagePurpose === 'CONTAINER';
      // A document may describe a package itself (Syft's SBOM of one library): scan it as well.
      if (purl === undefined || pkg.primaryPackagePurpose === 'CONTAINER') return;
    }

    const entry: SbomEntry = { name: pkg.name, licenses: licensesOf(pkg), facts: factsOf(pkg.annotations) };
    addBuiltFrom(entry.facts, pkg.sourceInfo);
    if (pkg.versionInfo !== undefined && pkg.versionInfo !== '') entry.version = pkg.versionInfo;
    if (purl !== undefined) entry.purl = purl;
    const supplier = parseSpdxActor(pkg.supplier);
    if (supplier) entry.supplier = supplier;
    const author = parseSpdxActor(pkg.originator);
    if (author) entry.author = author;
    const hashes = checksumsOf(pkg.checksums);
    if (hashes.length > 0) entry.hashes = hashes;
    contents.entries.push(entry);
  });
  return contents;
}

/** Trivy's `sourceInfo` for OS packages: `built package from: util-linux 2.38.1-5+deb12u3`. */
const BUILT_FROM = /^built package from:\s*(\S+)(?:\s+(\S+))?/;

/** Takes the source package from `sourceInfo` when no annotation gave it, as Trivy's reader does. */
function addBuiltFrom(facts: Record<string, string>, sourceInfo: unknown): void {
  if (typeof sourceInfo !== 'string') return;
  const match = BUILT_FROM.exec(sourceInfo.trim());
  if (match === null) return;
  facts.SrcName ??= match[1]!;
  if (match[2] !== undefined) facts.SrcVersion ??= match[2];
}

function purlOf(refs: unknown, path: string): string | undefined {
  if (refs === undefined) return undefined;
  if (!Array.isArray(refs)) throw invalid(path, refs, 'expected an array');
  for (const ref of refs) {
    if (!isRecord(ref)) continue;
    const category = String(ref.referenceCategory ?? '').replace('_', '-');
    if (category === 'PACKAGE-MANAGER' && ref.referenceType === 'purl' && typeof ref.referenceLocator === 'string') return ref.referenceLocator;
  }
  return undefined;
}

/** Reads the checksums of the algorithms Bulwark models; others (SHA3, BLAKE) and malformed values are skipped. */
function checksumsOf(checksums: unknown): PackageHash[] {
  if (!Array.isArray(checksums)) return [];
  const hashes: PackageHash[] = [];
  for (const checksum of checksums) {
    if (!isRecord(checksum)) continue;
    const algorithm = algorithmFromSpdx(checksum.algorithm);
    if (algorithm !== undefined && isHashValue(algorithm, checksum.checksumValue)) hashes.push({ algorithm, value: checksum.checksumValue.toLowerCase() });
  }
  return hashes;
}

function licensesOf(pkg: Record<string, unknown>): string[] {
  for (const field of ['licenseDeclared', 'licenseConcluded']) {
    const value = pkg[field];
    if (typeof value === 'string' && !NO_LICENSE.has(value)) return [value];
  }
  return [];
}

function factsOf(annotations: unknown): Record<string, string> {
  const facts: Record<string, string> = {};
  if (!Array.isArray(annotations)) return facts;
  for (const annotation of annotations) {
    if (!isRecord(annotation) || typeof annotation.comment !== 'string') continue;
    const colon = annotation.comment.indexOf(': ');
    if (colon <= 0) continue;
    const key = annotation.comment.slice(0, colon);
    if (FACT_KEYS.has(key)) facts[key] ??= annotation.comment.slice(colon + 2);
  }
  return facts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, value: unknown, expected: string): InputError {
  const received = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80);
  return new InputError('FORMAT_INVALID', `invalid SPDX document: field ${field} is ${received}; ${expected}`);
}
