import { createHash } from 'node:crypto';

import type { Diagnostic } from '../../../model/diagnostic.js';
import type { Package } from '../../../model/package.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { parseParty } from '../../package-party.js';
import { comparePackages, fileDiagnostic, langOutput } from '../package-set.js';
import { parseJavaProperties } from './java-properties.js';
import { fileNameIdentity, isJavaArchiveName, manifestIdentity, parseManifest, type JarIdentity } from './jar-identity.js';
import { selectZipEntries, type ExtractionBudget, type ZipLimits } from './zip-archive.js';

/** Options of `createJarAnalyzer`. Every cap guards against hostile archives (zip bombs). */
export interface JarAnalyzerOptions {
  /** The largest archive file read, in bytes. Default: 256 MiB, which fits most fat JARs. */
  maxFileSize?: number;
  /** The maximum nesting depth of archives inside archives, where the scanned file is depth 0. Default: 3. */
  maxDepth?: number;
  /** The maximum number of entries in one archive. Default: 100 000. */
  maxEntries?: number;
  /** The maximum ratio of uncompressed to compressed size of an entry above 1 MiB. Default: 100. */
  maxCompressionRatio?: number;
  /** The maximum bytes decompressed from one scanned file at all depths. Default: 512 MiB. */
  maxExtractedBytes?: number;
}

const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = 'META-INF/MANIFEST.MF';

/** Creates the analyzer of Java archives with the given caps. Trivy calls this set type `jar`. */
export function createJarAnalyzer(options: JarAnalyzerOptions = {}): Analyzer {
  const maxFileSize = options.maxFileSize ?? 256 * 1024 * 1024;
  const settings: JarSettings = {
    maxDepth: options.maxDepth ?? 3,
    maxExtractedBytes: options.maxExtractedBytes ?? 512 * 1024 * 1024,
    limits: {
      maxEntries: options.maxEntries ?? 100_000,
      maxMetadataSize: 1024 * 1024,
      maxNestedArchiveSize: maxFileSize,
      maxCompressionRatio: options.maxCompressionRatio ?? 100,
    },
  };

  return {
    id: 'jar',
    version: 2,
    maxFileSize,
    required: (info: FileInfo) => isJavaArchiveName(info.path),
    analyze: (input: AnalyzerInput) => analyzeJar(input, settings),
  };
}

/** The Java archive analyzer with default caps. */
export const jarAnalyzer: Analyzer = createJarAnalyzer();

interface JarSettings {
  maxDepth: number;
  maxExtractedBytes: number;
  limits: ZipLimits;
}

/** The state of the walk over one scanned file and its nested archives. */
interface JarScan {
  settings: JarSettings;
  budget: ExtractionBudget;
  packages: Package[];
  diagnostics: Diagnostic[];
}

async function analyzeJar(input: AnalyzerInput, settings: JarSettings): Promise<AnalyzerOutput> {
  const path = input.info.path;
  const scan: JarScan = { settings, budget: { remainingBytes: settings.maxExtractedBytes }, packages: [], diagnostics: [] };
  await inspectArchive({ content: input.content, archivePath: path, depth: 0, scan });
  return langOutput({ type: 'jar', target: path, packages: uniquePackages(scan.packages), diagnostics: scan.diagnostics });
}

/**
 * Lists the packages of one archive, then of each archive inside it (`BOOT-INF/lib/*.jar` of
 * Spring Boot, `WEB-INF/lib/*.jar` of a WAR, modules of an EAR) up to `maxDepth`. Nested
 * archives are decompressed one at a time, so memory contains at most one per depth.
 */
async function inspectArchive(options: { content: Buffer; archivePath: string; depth: number; scan: JarScan }): Promise<void> {
  const { archivePath, depth, scan } = options;
  const { entries, diagnostics } = await selectZipEntries({
    content: options.content,
    displayPath: archivePath,
    select: (name) => name === MANIFEST || POM_PROPERTIES.test(name) || isJavaArchiveName(name),
    limits: scan.settings.limits,
    budget: scan.budget,
  });
  scan.diagnostics.push(...diagnostics);

  const fromPoms: JarIdentity[] = [];
  let fromManifest: JarIdentity | undefined;
  let vendor: string | undefined;
  for (const entry of entries.filter((candidate) => !isJavaArchiveName(candidate.name))) {
    const content = await entry.read(scan.settings.limits.maxMetadataSize);
    if (!Buffer.isBuffer(content)) {
      scan.diagnostics.push(content);
    } else if (entry.name === MANIFEST) {
      const manifest = parseManifest(content.toString('utf8'));
      fromManifest = manifestIdentity(manifest);
      // A value that starts with % is a key into the bundle's localisation file, not a name.
      vendor = manifest.get('implementation-vendor')?.replace(/^%.*/, '');
    } else {
      const identity = pomIdentity(parseJavaProperties(content.toString('utf8')));
      if (identity) fromPoms.push(identity);
      else scan.diagnostics.push(fileDiagnostic(`${archivePath}/${entry.name}`, 'FORMAT_INVALID', 'pom.properties lacks groupId, artifactId or version; it is ignored'));
    }
  }

  const identities = archiveIdentities({ archivePath, fromPoms, fromManifest });
  if (identities.length === 0) {
    const message = 'no pom.properties, no MANIFEST.MF title and version, and no version in the file name; the archive itself is not listed';
    scan.diagnostics.push(fileDiagnostic(archivePath, 'NOT_FOUND', message));
  }
  // Trivy records the SHA-1 of the archive a package was found in, the digest Maven Central indexes.
  const sha1 = createHash('sha1').update(options.content).digest('hex');
  const supplier = parseParty(vendor, 'organization');
  for (const identity of identities) {
    const pkg = toPackage(identity, archivePath);
    pkg.hashes = [{ algorithm: 'SHA-1', value: sha1 }];
    // The manifest describes the archive itself, not the packages shaded into it.
    const ownIdentity = identities.length === 1 || (identity.artifactId === fromManifest?.artifactId && identity.version === fromManifest.version);
    if (supplier && ownIdentity) pkg.supplier = supplier;
    scan.packages.push(pkg);
  }

  for (const entry of entries.filter((candidate) => isJavaArchiveName(candidate.name))) {
    const nestedPath = `${archivePath}/${entry.name}`;
    if (depth + 1 > scan.settings.maxDepth) {
      scan.diagnostics.push(fileDiagnostic(nestedPath, 'LIMIT_EXCEEDED', `nested archive is deeper than the cap of ${scan.settings.maxDepth} levels; raise maxDepth to read it`));
      continue;
    }
    const content = await entry.read(scan.settings.limits.maxNestedArchiveSize);
    if (!Buffer.isBuffer(content)) {
      scan.diagnostics.push(content);
      continue;
    }
    await inspectArchive({ content, archivePath: nestedPath, depth: depth + 1, scan });
  }
}

/**
 * Chooses the identities of one archive. Every `pom.properties` names a package: the archive's own,
 * or one shaded into it. When none of them matches the artifactId in a versioned file name, the
 * archive itself is still unnamed, so the manifest identity, else the file name identity, is
 * added. An archive whose file name carries no version (`app.jar`) trusts its `pom.properties`.
 */
export function archiveIdentities(options: { archivePath: string; fromPoms: JarIdentity[]; fromManifest: JarIdentity | undefined }): JarIdentity[] {
  const fromFileName = fileNameIdentity(options.archivePath);
  const identities = [...options.fromPoms];
  const ownPom = fromFileName !== undefined && identities.some((identity) => identity.artifactId === fromFileName.artifactId);
  if (identities.length > 0 && (fromFileName === undefined || ownPom)) return identities;

  const fallback = options.fromManifest ?? fromFileName;
  const duplicate = identities.some((identity) => identity.artifactId === fallback?.artifactId && identity.version === fallback.version);
  if (fallback !== undefined && !duplicate) identities.push(fallback);
  return identities;
}

function pomIdentity(properties: Map<string, string>): JarIdentity | undefined {
  const groupId = properties.get('groupId')?.trim();
  const artifactId = properties.get('artifactId')?.trim();
  const version = properties.get('version')?.trim();
  if (!groupId || !artifactId || !version) return undefined;
  return { groupId, artifactId, version };
}

/** Names a package `groupId:artifactId`, the form a Maven purl needs, or the artifactId alone. */
function toPackage(identity: JarIdentity, path: string): Package {
  const name = identity.groupId === undefined ? identity.artifactId : `${identity.groupId}:${identity.artifactId}`;
  return { name, version: identity.version, path };
}

function uniquePackages(packages: Package[]): Package[] {
  const seen = new Map<string, Package>();
  for (const pkg of packages) seen.set(`${pkg.name}\0${pkg.version}\0${pkg.path}`, pkg);
  return [...seen.values()].sort(comparePackages);
}
