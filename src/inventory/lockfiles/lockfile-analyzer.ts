import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import type { PackageSetType } from '../../model/package.js';
import type { LockfileLimits } from './limits.js';
import { PackageCollector } from './package-collector.js';
import { isRecord, parseJsonText, type ParseResult } from './structured-input.js';

/** The input of a lock file parser: the file path, the caps, and the collector to fill. */
export interface LockfileContext {
  path: string;
  limits: LockfileLimits;
  packages: PackageCollector;
}

/** `unreadable` when nothing could be read, so the output carries diagnostics and no package set. */
export type ParseOutcome = 'parsed' | 'unreadable';

/** One lock file format: how to recognise its files and how to read one. */
export interface LockfileFormat {
  /** The analyzer id (`npm-lock`, `go-mod`). */
  id: string;
  /** Bumped whenever the output for the same file can change. */
  version: number;
  type: PackageSetType;
  /** True when this format reads the file at `path`. It sees only the path, not the content. */
  matches(path: string): boolean;
  parse(text: string, context: LockfileContext): ParseOutcome;
}

/** Returns the last segment of a `/`-separated path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when a path has a `node_modules` folder among its segments. */
export function isUnderNodeModules(path: string): boolean {
  return path.split('/').includes('node_modules');
}

/** Builds an Analyzer that checks the size cap, decodes UTF-8 and runs the format's parser. */
export function createLockfileAnalyzer(format: LockfileFormat, limits: LockfileLimits): Analyzer {
  return {
    id: format.id,
    version: format.version,
    maxFileSize: limits.maxFileSize,
    required: (info: FileInfo) => format.matches(info.path),
    analyze: (input: AnalyzerInput) => analyzeLockfile(format, input, limits),
  };
}

function analyzeLockfile(format: LockfileFormat, input: AnalyzerInput, limits: LockfileLimits): AnalyzerOutput {
  const path = input.info.path;
  const packages = new PackageCollector({ type: format.type, path, maxPackages: limits.maxPackages });
  if (input.content.length > limits.maxFileSize) {
    packages.report(
      `${path}: the file has ${input.content.length} bytes, above the maxFileSize limit of ${limits.maxFileSize}; raise the limit to read it`,
      'LIMIT_EXCEEDED',
    );
    return packages.toFailedOutput();
  }

  // A UTF-8 byte order mark is legal in these files but not part of the JSON, YAML or TOML text.
  const text = input.content.toString('utf8').replace(/^\uFEFF/, '');
  const outcome = format.parse(text, { path, limits, packages });
  return outcome === 'parsed' ? packages.toOutput() : packages.toFailedOutput();
}

/**
 * Reports a document that failed to parse and returns `unreadable`, or returns the parsed value.
 * Keeps each parser's first lines short.
 */
export function unwrapDocument(result: ParseResult, context: LockfileContext): { value: unknown } | undefined {
  if (result.ok) return { value: result.value };
  context.packages.report(`${context.path}: ${result.message}`, result.limitExceeded ? 'LIMIT_EXCEEDED' : 'FORMAT_INVALID');
  return undefined;
}

/**
 * Parses a JSON lock file whose top level must be an object, under the JSON depth cap. Reports a
 * parse failure or another top-level value and returns undefined.
 */
export function parseJsonObjectLock(text: string, context: LockfileContext): Record<string, unknown> | undefined {
  const document = unwrapDocument(parseJsonText(text, { maxDepth: context.limits.maxJsonDepth }), context);
  if (document === undefined) return undefined;
  const value = document.value;
  if (!isRecord(value)) {
    context.packages.report(`${context.path}: expected a JSON object at the top level`);
    return undefined;
  }
  return value;
}
