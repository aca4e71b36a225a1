import { UsageError } from '../errors.js';
import { writeJson } from './json.js';
import { writeSarif } from './sarif.js';
import type { SarifOptions } from './sarif.js';
import { writeTable } from './table.js';
import type { TableOptions } from './table.js';
import type { Report } from './types.js';

/**
 * Options shared by all formats. Each format reads the fields it understands and ignores the
 * others, so the CLI can pass one object for any `--format` value.
 */
export interface WriteOptions extends TableOptions, SarifOptions {}

/** A report format: SARIF, CycloneDX and SPDX writers register the same way. */
export interface ReportFormat {
  /** The `--format` value (`table`, `json`). */
  readonly id: string;
  /** The media type of the output, for `--output` files and HTTP responses. */
  readonly contentType: string;
  /** A one-line description for `--help`. */
  readonly description: string;
  /** Formats the report. Pure: it returns text and never writes to a stream. */
  write(report: Report, options: WriteOptions): string;
}

const FORMAT_ID = /^[a-z][a-z0-9-]*$/;

/** A set of report formats keyed by id. */
export class FormatRegistry {
  readonly #formats = new Map<string, ReportFormat>();

  /** Adds a format. Throws a UsageError for an id that is invalid or already registered. */
  register(format: ReportFormat): this {
    if (!FORMAT_ID.test(format.id)) {
      throw new UsageError(`invalid report format id "${format.id}": use lower-case letters, digits and "-"`);
    }
    if (this.#formats.has(format.id)) {
      throw new UsageError(`report format "${format.id}" is already registered`);
    }
    this.#formats.set(format.id, format);
    return this;
  }

  /** Returns the format with this id. Throws a UsageError naming the known ids when there is none. */
  get(id: string): ReportFormat {
    const format = this.#formats.get(id);
    if (format === undefined) {
      throw new UsageError(`unknown report format "${id}": expected one of ${this.ids().join(', ')}`);
    }
    return format;
  }

  has(id: string): boolean {
    return this.#formats.has(id);
  }

  /** Returns the registered ids, sorted. */
  ids(): string[] {
    return [...this.#formats.keys()].sort();
  }
}

export const tableFormat: ReportFormat = {
  id: 'table',
  contentType: 'text/plain; charset=utf-8',
  description: 'human-readable tables per target, like Trivy',
  write: (report, options) => writeTable(report, options),
};

export const jsonFormat: ReportFormat = {
  id: 'json',
  contentType: 'application/json',
  description: 'the JSON report described by schemas/report.schema.json',
  write: (report) => writeJson(report),
};

export const sarifFormat: ReportFormat = {
  id: 'sarif',
  contentType: 'application/sarif+json',
  description: 'SARIF 2.1.0 for GitHub code scanning and other SARIF viewers, with rule help for every finding',
  write: (report, options) => writeSarif(report, sarifOptions(options)),
};

function sarifOptions(options: WriteOptions): SarifOptions {
  const selected: SarifOptions = {};
  if (options.toolVersion !== undefined) selected.toolVersion = options.toolVersion;
  if (options.sourceRoot !== undefined) selected.sourceRoot = options.sourceRoot;
  if (options.category !== undefined) selected.category = options.category;
  return selected;
}

/** Returns a new registry holding the built-in formats, to which callers may add their own. */
export function createFormatRegistry(): FormatRegistry {
  return new FormatRegistry().register(tableFormat).register(jsonFormat).register(sarifFormat);
}
