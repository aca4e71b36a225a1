import { BulwarkError, InputError, LimitError } from '../errors.js';
import { readCycloneDxJson, readCycloneDxXml } from './cyclonedx-reader.js';
import { inventoryFromEntries, type SbomInventory } from './sbom-inventory.js';
import { readSpdxJson } from './spdx-reader.js';
import { parseSpdxTagValue } from './spdx-tag-value-parser.js';

/** The encodings of SBOM that the reader detects. */
export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-tag-value';

export interface SbomReadLimits {
  /** The largest SBOM accepted, in bytes. Default: 256 MiB. */
  maxBytes: number;
  /** The most components or packages accepted. Default: 500,000. */
  maxEntries: number;
}

/**
 * Default caps. A Syft SBOM of a large distribution image lists tens of thousands of packages and
 * stays far below both; the caps exist to bound memory on hostile input.
 */
export const DEFAULT_SBOM_LIMITS: SbomReadLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 500_000 };

/** An SBOM read into an inventory, with the facts that name the artifact. */
export interface SbomDocument extends SbomInventory {
  format: SbomFormat;
  specVersion: string;
  artifactName?: string;
  isContainer: boolean;
}

/**
 * Reads a CycloneDX (1.4–1.7, JSON or XML) or SPDX (2.2–2.3, JSON or tag-value) SBOM into package
 * sets. The format is detected from the content. Throws an InputError naming the invalid field,
 * a BulwarkError with code UNSUPPORTED for an unknown format or version, and a LimitError when a cap is hit.
 */
export function readSbom(content: string | Buffer, options: { source: string; limits?: Partial<SbomReadLimits> }): SbomDocument {
  const limits = { ...DEFAULT_SBOM_LIMITS, ...options.limits };
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxBytes) throw new LimitError(`${options.source} is ${size} bytes, more than the ${limits.maxBytes}-byte SBOM limit; raise it with --max-sbom-size`);
  const text = (typeof content === 'string' ? content : content.toString('utf8')).replace(/^\uFEFF/, '');
  const start = text.trimStart();

  if (start.startsWith('<')) {
    const contents = readCycloneDxXml(text, limits);
    return { format: 'cyclonedx-xml', ...contents, ...inventoryFromEntries(contents.entries, contents.os, options.source) };
  }
  if (start.startsWith('{')) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      // JSON.parse errors carry only a position; the wrapper names the file.
      throw new InputError('FORMAT_INVALID', `invalid SBOM ${options.source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const record = document as Record<string, unknown>;
    if ('bomFormat' in record) {
      const contents = readCycloneDxJson(record, limits);
      return { format: 'cyclonedx-json', ...contents, ...inventoryFromEntries(contents.entries, contents.os, options.source) };
    }
    const spdx3 = spdx3Field(record);
    if (spdx3 !== undefined) {
      throw new BulwarkError('UNSUPPORTED', `SPDX 3.0 is not supported: ${options.source} has ${spdx3}; convert it to SPDX 2.3 JSON or tag-value`);
    }
    if ('spdxVersion' in record) {
      const contents = readSpdxJson(record, limits);
      return { format: 'spdx-json', ...contents, ...inventoryFromEntries(contents.entries, contents.os, options.source) };
    }
    throw new BulwarkError('UNSUPPORTED', `unknown SBOM format in ${options.source}: the JSON has neither a bomFormat field (CycloneDX) nor an spdxVersion field (SPDX)`);
  }
  if (/^SPDXVersion:/m.test(start.slice(0, 4096))) {
    const contents = readSpdxJson(parseSpdxTagValue(text), limits);
    return { format: 'spdx-tag-value', ...contents, ...inventoryFromEntries(contents.entries, contents.os, options.source) };
  }
  throw new BulwarkError('UNSUPPORTED', `unknown SBOM format in ${options.source}: expected CycloneDX JSON or XML, SPDX JSON, or SPDX tag-value starting with SPDXVersion:`);
}

/**
 * Returns the field that marks an SPDX 3 document, as `name "value"`: SPDX 3.0 JSON-LD names its
 * context (`https://spdx.org/rdf/3.0.1/spdx-context.jsonld`), and a 2.x-style document may carry
 * `spdxVersion: "SPDX-3.0"`.
 */
function spdx3Field(record: Record<string, unknown>): string | undefined {
  const context = record['@context'];
  const contexts = Array.isArray(context) ? context : [context];
  const spdxContext = contexts.find((entry): entry is string => typeof entry === 'string' && /spdx\.org\/rdf\/3\./.test(entry));
  if (spdxContext !== undefined) return `field @context ${JSON.stringify(spdxContext)}`;
  if (typeof record.spdxVersion === 'string' && /^SPDX-3\./.test(record.spdxVersion)) return `field spdxVersion ${JSON.stringify(record.spdxVersion)}`;
  return undefined;
}
