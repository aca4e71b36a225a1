import type { Diagnostic } from '../model/diagnostic.js';
import type { Misconfiguration, RuleMetadata } from '../model/misconfiguration.js';
import type { BulwarkSettings } from './settings.js';

/** One file handed to config scanners. */
export interface ConfigFile {
  /** The path relative to the scanned root (or `-` for stdin), with `/` separators. */
  path: string;
  content: Buffer;
}

/** The findings of a config scanner in one file. */
export interface ConfigFileResult {
  path: string;
  /** The report type of the file: `dockerfile`, `kubernetes`. */
  type: string;
  /** Every finding in the file, already filtered by in-file pragmas and settings' ignores. */
  misconfigurations: Misconfiguration[];
  /** Problems that stopped part of the file from being checked; a file that could not be parsed at all has one. */
  diagnostics: Diagnostic[];
}

export interface ConfigScanOptions {
  settings: BulwarkSettings;
}

/**
 * A checker of one kind of config file, such as Dockerfiles or Kubernetes manifests. A scanner gets
 * all of its files in one call, because some checks look across files (a NetworkPolicy in one file
 * selects a Deployment in another).
 */
export interface ConfigScanner {
  /** A stable id, also the report type of its results: `dockerfile`, `kubernetes`. */
  readonly id: string;
  /** True when a path is this scanner's by its name alone (`Dockerfile`, `*.yaml`). Must be cheap. */
  claims(path: string): boolean;
  /** The rules the scanner can report, for SARIF rule metadata and the docs. */
  rules(): RuleMetadata[];
  /**
   * Checks the files. Returns one result per file that is this scanner's kind; a claimed file that
   * turns out not to be (a YAML file that contains no Kubernetes object) gets no result.
   */
  scan(files: ConfigFile[], options: ConfigScanOptions): Promise<ConfigFileResult[]>;
}
