import { XMLParser } from 'fast-xml-parser';

import { BulwarkError, InputError } from '../errors.js';
import { parseParty } from '../inventory/package-party.js';
import type { OsInfo } from '../model/os.js';
import type { PackageHash } from '../model/package.js';
import { isHashValue } from './package-actors.js';
import type { SbomEntry } from './sbom-inventory.js';

/**
 * The CycloneDX versions the reader accepts. 1.7 keeps the 1.6 component fields that the reader
 * uses, and cdxgen 12 writes it by default.
 */
export const READABLE_CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6', '1.7'] as const;

/** The artifact and the packages that a CycloneDX BOM describes. */
export interface CycloneDxContents {
  specVersion: string;
  /** The name of `metadata.component`, the artifact the BOM describes. */
  artifactName?: string;
  /** True when `metadata.component` is of type `container`. */
  isContainer: boolean;
  os?: OsInfo;
  entries: SbomEntry[];
}

/** Component types that describe no installable package; cdxgen lists every file of an image with type `file`. */
const NON_PACKAGE_TYPES = new Set(['file', 'data', 'cryptographic-asset', 'machine-learning-model', 'device', 'device-driver', 'firmware']);

/** The hash algorithms of the package model; CycloneDX also has SHA-384, SHA3, BLAKE and Streebog. */
const MODELLED_ALGORITHMS = new Set<string>(['MD5', 'SHA-1', 'SHA-256', 'SHA-512']);

/** Vendor prefixes of the properties whose facts the reader uses: Bulwark's own and Trivy's. */
const PROPERTY_PREFIXES = ['bulwark:', 'aquasecurity:trivy:'];

/** Reads a parsed CycloneDX JSON BOM. Throws an InputError naming the first invalid field. */
export function readCycloneDxJson(bom: Record<string, unknown>, options: { maxEntries: number }): CycloneDxContents {
  if (bom.bomFormat !== 'CycloneDX') throw invalid('bomFormat', bom.bomFormat, 'expected "CycloneDX"');
  const specVersion = bom.specVersion;
  if (typeof specVersion === 'number') {
    throw invalid('specVersion', specVersion, `CycloneDX requires a string, so write "${specVersion}" in quotes`);
  }
  if (typeof specVersion !== 'string' || !(READABLE_CYCLONEDX_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new BulwarkError('UNSUPPORTED', `unsupported CycloneDX specVersion ${JSON.stringify(specVersion)}: expected one of ${READABLE_CYCLONEDX_VERSIONS.join(', ')}`);
  }
  return readBom(bom, specVersion, options);
}

/**
 * Reads a CycloneDX XML BOM, converting it to the JSON shape first. Documents with a DOCTYPE are
 * rejected, because CycloneDX needs none and entity definitions can expand without bound.
 */
export function readCycloneDxXml(text: string, options: { maxEntries: number }): CycloneDxContents {
  if (/<!DOCTYPE/i.test(text)) throw new InputError('FORMAT_INVALID', 'invalid CycloneDX XML: DOCTYPE declarations are not accepted; remove the DOCTYPE');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => ['component', 'license', 'expression', 'property', 'hash', 'contact'].includes(name),
  });
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new InputError('FORMAT_INVALID', `invalid CycloneDX XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const bom = document.bom;
  if (!isRecord(bom)) throw invalid('bom', undefined, 'expected a <bom> root element');
  const namespace = String(bom['@_xmlns'] ?? '');
  const match = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/.exec(namespace);
  if (!match || !(READABLE_CYCLONEDX_VERSIONS as readonly string[]).includes(match[1]!)) {
    throw new BulwarkError('UNSUPPORTED', `unsupported CycloneDX XML namespace "${namespace}": expected http://cyclonedx.org/schema/bom/ with one of ${READABLE_CYCLONEDX_VERSIONS.join(', ')}`);
  }
  return readBom(fromXml(bom), match[1]!, options);
}

/** The deepest `components` nesting read; recursion past it could exhaust the stack. */
const MAX_COMPONENT_DEPTH = 256;

function readBom(bom: Record<string, unknown>, specVersion: string, options: { maxEntries: number }): CycloneDxContents {
  const contents: CycloneDxContents = { specVersion, isContainer: false, entries: [] };
  const metadata = bom.metadata;
  if (metadata !== undefined && !isRecord(metadata)) throw invalid('metadata', metadata, 'expected an object');
  const root = metadata?.component;
  if (isRecord(root)) {
    if (typeof root.name === 'string') contents.artifactName = root.name;
    contents.isContainer = root.type === 'container';
    const facts = factsOf(root, 'metadata.component');
    if (facts['OS:Family'] !== undefined && facts['OS:Version'] !== undefined) contents.os = { family: facts['OS:Family'], version: facts['OS:Version'] };
    // A BOM may describe a package itself (the SBOM of one library): scan it as well.
    if (typeof root.purl === 'string' && root.type !== 'container' && root.type !== 'operating-system' && typeof root.name === 'string' && root.name !== '') {
      const entry: SbomEntry = { name: root.name, licenses: licensesOf(root.licenses, 'metadata.component.licenses'), facts, purl: root.purl };
      if (typeof root.version === 'string' && root.version !== '') entry.version = root.version;
      contents.entries.push(entry);
    }
  }

  const visit = (components: unknown, path: string, depth = 0): void => {
    if (components === undefined) return;
    if (depth > MAX_COMPONENT_DEPTH) {
      throw new InputError('LIMIT_EXCEEDED', `components are nested more than ${MAX_COMPONENT_DEPTH} levels deep (at ${path.slice(0, 120)}…); real BOMs nest a few levels, so the BOM was not read`);
    }
    if (!Array.isArray(components)) throw invalid(path, components, 'expected an array of components');
    components.forEach((component: unknown, index) => {
      const at = `${path}[${index}]`;
      if (!isRecord(component)) throw invalid(at, component, 'expected a component object');
      if (typeof component.name !== 'string' || component.name === '') throw invalid(`${at}.name`, component.name, 'expected a non-empty string');
      if (component.version !== undefined && typeof component.version !== 'string') throw invalid(`${at}.version`, component.version, 'expected a string');
      if (component.purl !== undefined && typeof component.purl !== 'string') throw invalid(`${at}.purl`, component.purl, 'expected a string');
      if (component.type === 'operating-system') {
        contents.os ??= { family: component.name.toLowerCase(), version: String(component.version ?? '') };
      } else if (typeof component.type === 'string' && NON_PACKAGE_TYPES.has(component.type)) {
        // Files, data sets and cryptographic assets are no packages, so no advisory can name them.
      } else if (component.type === 'application' && component.purl === undefined) {
        // Trivy writes one application component per lock file or language folder, holding its
        // packages as nested components. It is a container, not a package, so it is not counted.
      } else {
        if (contents.entries.length >= options.maxEntries) {
          throw new InputError('LIMIT_EXCEEDED', `the BOM has more than ${options.maxEntries} components; raise the limit with --max-sbom-components if the BOM is trusted`);
        }
        const entry: SbomEntry = { name: component.name, licenses: licensesOf(component.licenses, `${at}.licenses`), facts: factsOf(component, at) };
        if (component.version !== undefined && component.version !== '') entry.version = component.version;
        if (component.purl !== undefined) entry.purl = component.purl;
        addParties(entry, component);
        const hashes = hashesOf(component.hashes);
        if (hashes.length > 0) entry.hashes = hashes;
        contents.entries.push(entry);
      }
      visit(component.components, `${at}.components`, depth + 1);
    });
  };
  visit(bom.components, 'components');

  // cdxgen lists the sub-projects of a multi-module project as components of the described
  // component. Those that the top-level list repeats are read once.
  if (isRecord(root) && root.components !== undefined) {
    const listed = new Set(contents.entries.map((entry) => entry.purl).filter((purl) => purl !== undefined));
    const before = contents.entries.length;
    visit(root.components, 'metadata.component.components');
    const nested = contents.entries.splice(before);
    contents.entries.push(...nested.filter((entry) => entry.purl === undefined || !listed.has(entry.purl)));
  }
  return contents;
}

/** Reads `supplier` (name and first contact address) and `author`, skipping values of the wrong type. */
function addParties(entry: SbomEntry, component: Record<string, unknown>): void {
  const supplier = component.supplier;
  if (isRecord(supplier) && typeof supplier.name === 'string' && supplier.name.trim() !== '') {
    const contact = Array.isArray(supplier.contact) ? supplier.contact.find(isRecord) : undefined;
    entry.supplier = { name: supplier.name.trim(), kind: 'organization' };
    if (typeof contact?.email === 'string' && contact.email !== '') entry.supplier.email = contact.email;
  }
  const author = typeof component.author === 'string' ? parseParty(component.author, 'person') : undefined;
  if (author) entry.author = author;
}

/** Reads the hashes of the algorithms Bulwark models; others and malformed values are skipped. */
function hashesOf(hashes: unknown): PackageHash[] {
  if (!Array.isArray(hashes)) return [];
  const found: PackageHash[] = [];
  for (const hash of hashes) {
    if (!isRecord(hash) || !MODELLED_ALGORITHMS.has(hash.alg as string)) continue;
    const algorithm = hash.alg as PackageHash['algorithm'];
    if (isHashValue(algorithm, hash.content)) found.push({ algorithm, value: hash.content.toLowerCase() });
  }
  return found;
}

function licensesOf(licenses: unknown, path: string): string[] {
  if (licenses === undefined) return [];
  if (!Array.isArray(licenses)) throw invalid(path, licenses, 'expected an array');
  const found: string[] = [];
  for (const choice of licenses) {
    if (!isRecord(choice)) continue;
    if (typeof choice.expression === 'string') found.push(choice.expression);
    const license = choice.license;
    if (isRecord(license)) {
      if (typeof license.id === 'string') found.push(license.id);
      else if (typeof license.name === 'string') found.push(license.name);
    }
  }
  return found;
}

function factsOf(component: Record<string, unknown>, path: string): Record<string, string> {
  const facts: Record<string, string> = {};
  const properties = component.properties;
  if (properties === undefined) return facts;
  if (!Array.isArray(properties)) throw invalid(`${path}.properties`, properties, 'expected an array');
  for (const property of properties) {
    if (!isRecord(property) || typeof property.name !== 'string' || typeof property.value !== 'string') continue;
    const name = property.name;
    const prefix = PROPERTY_PREFIXES.find((candidate) => name.startsWith(candidate));
    if (prefix !== undefined) facts[name.slice(prefix.length)] ??= property.value;
  }
  return facts;
}

/** Converts the parsed XML of a `<bom>` into the JSON shape: attributes become fields, wrapper elements become arrays. */
function fromXml(bom: Record<string, unknown>): Record<string, unknown> {
  const metadata = isRecord(bom.metadata) ? bom.metadata : undefined;
  // `component` is parsed as an array everywhere; metadata holds at most one.
  const described = asArray(metadata?.component)[0];
  const root = metadata && isRecord(described) ? { ...metadata, component: componentFromXml(described) } : metadata;
  return { metadata: root, components: componentsFromXml(bom.components) };
}

function componentsFromXml(wrapper: unknown): unknown[] | undefined {
  if (!isRecord(wrapper)) return undefined;
  const list = wrapper.component;
  return Array.isArray(list) ? list.map((component) => (isRecord(component) ? componentFromXml(component) : component)) : undefined;
}

function componentFromXml(component: Record<string, unknown>): Record<string, unknown> {
  const licenses: unknown[] = [];
  if (isRecord(component.licenses)) {
    for (const license of asArray(component.licenses.license)) if (isRecord(license)) licenses.push({ license: { id: text(license.id), name: text(license.name) } });
    for (const expression of asArray(component.licenses.expression)) licenses.push({ expression: text(expression) });
  }
  const properties = isRecord(component.properties)
    ? asArray(component.properties.property).map((property) => (isRecord(property) ? { name: property['@_name'], value: text(property) ?? '' } : property))
    : undefined;
  const supplier = isRecord(component.supplier) ? component.supplier : undefined;
  const contacts = asArray(supplier?.contact).filter(isRecord).map((contact) => ({ email: text(contact.email) }));
  const hashes = isRecord(component.hashes) ? asArray(component.hashes.hash).filter(isRecord).map((hash) => ({ alg: hash['@_alg'], content: text(hash) })) : undefined;
  return {
    type: component['@_type'],
    name: text(component.name),
    version: text(component.version),
    purl: text(component.purl),
    licenses,
    properties,
    supplier: supplier === undefined ? undefined : { name: text(supplier.name), contact: contacts },
    author: text(component.author),
    hashes,
    components: componentsFromXml(component.components),
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, value: unknown, expected: string): InputError {
  const received = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80);
  return new InputError('FORMAT_INVALID', `invalid CycloneDX BOM: field ${field} is ${received}; ${expected}`);
}
