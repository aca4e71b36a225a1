import type { ErrorCode } from '../../errors.js';
import type { AnalyzerOutput } from '../analyzer.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Package, PackageSetType } from '../../model/package.js';

/** Compares packages by name, version and path, so that every list has one stable order. */
export function comparePackages(a: Package, b: Package): number {
  return compareStrings(a.name, b.name) || compareStrings(a.version, b.version) || compareStrings(a.path, b.path);
}

/** Compares strings by UTF-16 code units, independent of the locale. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Options of `langOutput`. */
export interface LangOutputOptions {
  type: PackageSetType;
  /** The report target: the language directory, or the file itself for binaries and archives. */
  target: string;
  packages: Package[];
  diagnostics?: Diagnostic[];
}

/**
 * Builds the analyzer output for one language package set. The packages are sorted, and the set
 * is left out when it is empty, so a file that yields only diagnostics adds no empty target.
 */
export function langOutput(options: LangOutputOptions): AnalyzerOutput {
  const output: AnalyzerOutput = {};
  if (options.packages.length > 0) {
    const packages = [...options.packages].sort(comparePackages);
    output.packageSets = [{ class: 'lang-pkgs', type: options.type, target: options.target, packages }];
  }
  if (options.diagnostics && options.diagnostics.length > 0) output.diagnostics = options.diagnostics;
  return output;
}

/** Builds a diagnostic for one file. */
export function fileDiagnostic(target: string, code: ErrorCode, message: string): Diagnostic {
  return { target, code, message };
}
