import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';

import { UsageError } from '../errors.js';
import type { ScanReport } from '../model/report.js';
import { addCycloneDxVulnerabilities } from './cyclonedx-vulnerabilities.js';
import { imageConfigFacts, imagePurl } from './image-facts.js';
import { partyText } from './package-actors.js';
import { contentUuid, sbomTimestamp } from './document-identity.js';
import { combinedExpression } from './licenses.js';
import { collectSbomPackages, PROPERTY, resolveDependencies, type SbomPackage } from './sbom-packages.js';

/** The CycloneDX versions the writer produces. The default is 1.6. */
export const CYCLONEDX_SPEC_VERSIONS = ['1.4', '1.5', '1.6'] as const;
export type CycloneDxSpecVersion = (typeof CYCLONEDX_SPEC_VERSIONS)[number];

export interface CycloneDxWriteOptions {
  /** `json` or `xml`. */
  encoding: 'json' | 'xml';
  /** The CycloneDX specification version. Default: `1.6`. */
  specVersion?: string;
  /** The environment that may set `SOURCE_DATE_EPOCH`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const TOOL_VERSION = '0.1.0';

/**
 * Writes a report as a CycloneDX BOM: the image (or directory) as `metadata.component`, one
 * component per package with its purl, licences, path and layer as properties, the dependency
 * graph, and the vulnerabilities when the report has any. Lists are sorted and the serial number
 * is derived from the document itself, so the same report and `SOURCE_DATE_EPOCH` give the same bytes.
 */
export function writeCycloneDx(report: ScanReport, options: CycloneDxWriteOptions): string {
  const specVersion: unknown = options.specVersion ?? '1.6';
  // JavaScript callers can pass 1.6 as a number, which prints like the valid string.
  if (typeof specVersion !== 'string') {
    throw new UsageError(`invalid CycloneDX spec version ${String(specVersion)} of type ${typeof specVersion}: pass a string such as "1.6"`);
  }
  if (!(CYCLONEDX_SPEC_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new UsageError(`unsupported CycloneDX spec version "${specVersion}": expected one of ${CYCLONEDX_SPEC_VERSIONS.join(', ')}`);
  }
  const spec = Spec.SpecVersionDict[specVersion as Spec.Version]!;

  const bom = new Models.Bom();
  const root = describeArtifact(report);
  bom.metadata.component = root;
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'bulwark', { version: TOOL_VERSION, group: 'bulwark' }));

  const packages = collectSbomPackages(report);
  const components = new Map<string, Models.Component>();
  for (const entry of packages) {
    const component = toComponent(entry);
    components.set(entry.ref, component);
    bom.components.add(component);
  }
  for (const [ref, dependsOn] of resolveDependencies(packages)) {
    for (const target of dependsOn) components.get(ref)!.dependencies.add(components.get(target)!.bomRef);
  }
  // Trivy, Syft and cdxgen write an operating-system component, and Trivy's SBOM scan looks for the
  // OS there. It is the parent of the OS packages in the dependency graph, as the root is of it and of
  // the language packages.
  const os = report.artifact.os;
  const osComponent = os ? new Models.Component(Enums.ComponentType.OperatingSystem, os.family, { bomRef: `os:${os.family}@${os.version}`, version: os.version }) : undefined;
  if (osComponent) {
    bom.components.add(osComponent);
    root.dependencies.add(osComponent.bomRef);
  }
  // Packages that nothing else depends on hang off the OS or the root, so the graph has one entry point.
  const dependedOn = new Set([...components.values()].flatMap((component) => [...component.dependencies]));
  for (const entry of packages) {
    const component = components.get(entry.ref)!;
    if (dependedOn.has(component.bomRef)) continue;
    (entry.osPackage && osComponent ? osComponent : root).dependencies.add(component.bomRef);
  }

  addCycloneDxVulnerabilities(bom, packages, components);

  const serializer =
    options.encoding === 'json'
      ? new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(spec))
      : new Serialize.XmlSerializer(new Serialize.XML.Normalize.Factory(spec));
  const serialize = (): string => {
    const text = serializer.serialize(bom, { sortLists: true, space: 2 });
    return options.encoding === 'xml' ? replaceInvalidXmlCharacters(text) : text;
  };
  // The serial number and time stamp are set last: the UUID hashes the document without them.
  bom.serialNumber = `urn:uuid:${contentUuid(serialize())}`;
  bom.metadata.timestamp = sbomTimestamp(options.env ?? process.env);
  const text = serialize();
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The characters that XML 1.0 forbids even as character references: C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF. */
const INVALID_XML_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Replaces the characters XML 1.0 forbids with U+FFFD, as Go's encoding/xml escaping does. The
 * serializer writes them unchanged, and one in an image label or environment value would make the
 * whole document malformed.
 */
function replaceInvalidXmlCharacters(xml: string): string {
  return xml.replace(INVALID_XML_CHARACTERS, '\ufffd');
}

function describeArtifact(report: ScanReport): Models.Component {
  const { artifact } = report;
  const type = artifact.type === 'container-image' ? Enums.ComponentType.Container : Enums.ComponentType.Application;
  const component = new Models.Component(type, artifact.name, { bomRef: artifact.digest ?? artifact.name });
  if (artifact.digest) component.version = artifact.digest;
  const purl = imagePurl(artifact);
  if (purl !== undefined) component.purl = purl;
  const properties: Array<[string, string | undefined]> = [
    ['bulwark:ArtifactType', artifact.type],
    ['bulwark:ImageID', artifact.imageId],
    // Trivy writes `repository@digest` here; images not pulled from a registry have only the digest.
    ['bulwark:RepoDigest', artifact.repoDigests?.[0] ?? artifact.digest],
    ['bulwark:OS:Family', artifact.os?.family],
    ['bulwark:OS:Version', artifact.os?.version],
    ['bulwark:OS:Codename', artifact.os?.codename],
    ['bulwark:OS:Name', artifact.os?.prettyName],
  ];
  for (const tag of artifact.repoTags ?? []) properties.push(['bulwark:RepoTag', tag]);
  for (const [key, value] of imageConfigFacts(artifact)) properties.push([`bulwark:${key}`, value]);
  // One property in layer order, because the serializer sorts properties by name and value.
  if (artifact.layers?.length) properties.push(['bulwark:LayerDiffIDs', artifact.layers.map((layer) => layer.diffId).join(',')]);
  for (const [name, value] of properties) if (value !== undefined) component.properties.add(new Models.Property(name, value));
  return component;
}

function toComponent(entry: SbomPackage): Models.Component {
  const pkg = entry.package;
  const type = Enums.ComponentType.Library;
  const component = new Models.Component(type, pkg.name, { bomRef: entry.ref, version: pkg.version });
  if (pkg.purl) component.purl = pkg.purl;
  // CycloneDX allows either one expression or a list of named licences, never both.
  const expression = combinedExpression(pkg.licenses);
  if (expression !== undefined) component.licenses.add(new Models.LicenseExpression(expression));
  else for (const name of new Set(pkg.licenses ?? [])) component.licenses.add(new Models.NamedLicense(name));
  if (pkg.supplier) {
    const supplier = new Models.OrganizationalEntity({ name: pkg.supplier.name });
    if (pkg.supplier.email !== undefined) supplier.contact.add(new Models.OrganizationalContact({ email: pkg.supplier.email }));
    component.supplier = supplier;
  }
  if (pkg.author) component.author = partyText(pkg.author);
  for (const hash of pkg.hashes ?? []) component.hashes.set(hash.algorithm as Enums.HashAlgorithm, hash.value);
  const properties: Array<[string, string | undefined]> = [
    [PROPERTY.pkgType, entry.setType],
    [PROPERTY.filePath, pkg.path],
    [PROPERTY.layerDiffId, pkg.layerDiffId],
    [PROPERTY.srcName, pkg.srcName],
    [PROPERTY.srcVersion, pkg.srcVersion],
    [PROPERTY.target, entry.osPackage ? undefined : entry.target],
    [PROPERTY.goModuleSum, pkg.goModuleSum],
  ];
  for (const [name, value] of properties) if (value !== undefined && value !== '') component.properties.add(new Models.Property(name, value));
  return component;
}
