import type { Diagnostic } from '../model/diagnostic.js';
import type { OsInfo } from '../model/os.js';
import type { PackageSet, PackageSetType } from '../model/package.js';

/** Facts about a file that an analyzer's path predicate may look at. */
export interface FileInfo {
  /** The path relative to the root, with `/` separators and no leading `/` or `./`. */
  path: string;
  /** The size in bytes. */
  size: number;
  /** The Unix permission bits (`0o755`). */
  mode: number;
}

/** One file handed to an analyzer: its facts and its whole content. */
export interface AnalyzerInput {
  info: FileInfo;
  content: Buffer;
}

/**
 * What an analyzer read from one file. Every field is optional: a file may yield packages, an OS,
 * or only diagnostics. The output must survive `JSON.stringify`, because the layer cache stores it.
 */
export interface AnalyzerOutput {
  os?: OsInfo;
  packageSets?: PackageSet[];
  /** Licences that a file outside the package database gives for installed packages. */
  packageLicenses?: PackageLicenses[];
  diagnostics?: Diagnostic[];
}

/** The licences of one package, read from a file of its own (a Debian copyright file). */
export interface PackageLicenses {
  /** The type of the package sets whose packages of this name get the licences. */
  type: PackageSetType;
  /** The package name, without an architecture qualifier. */
  name: string;
  /** SPDX expressions, with `LicenseRef-` ids for licences that have no SPDX id. */
  licenses: string[];
}

/**
 * An analyzer reads one kind of file (a package database, a lock file, a release file) and turns
 * it into typed records. Analyzers are pure: they take bytes and return data, never touching the
 * disk or the network, so the same code serves images, root filesystems and project directories.
 */
export interface Analyzer {
  /** A stable identifier (`dpkg`, `os-release`, `npm-lock`). */
  readonly id: string;
  /** Bumped whenever the output for the same input can change; part of the layer cache key. */
  readonly version: number;
  /** The largest file this analyzer accepts; larger files are skipped with a diagnostic. */
  readonly maxFileSize: number;
  /** True when the analyzer wants this file. Called for every regular file, so it must be cheap. */
  required(info: FileInfo): boolean;
  /** Reads one file. Throws only for bugs: malformed content becomes a diagnostic in the output. */
  analyze(input: AnalyzerInput): AnalyzerOutput | Promise<AnalyzerOutput>;
  /**
   * Reads a file larger than `maxFileSize` in chunks as it streams past, for analyzers that need
   * only a bounded part of big files (Go build information in a 100 MB binary). Without it, such
   * files are skipped with a diagnostic.
   */
  createScanner?(info: FileInfo): FileScanner;
}

/** A streaming reader of one file, created by `Analyzer.createScanner`. */
export interface FileScanner {
  write(chunk: Buffer): void;
  end(): AnalyzerOutput;
}

/** The default cap for files that analyzers buffer, in bytes. */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
