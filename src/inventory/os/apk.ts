import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import type { Package } from '../../model/package.js';
import { comparePackages, compareText } from './compare.js';
import { DiagnosticList } from './diagnostic-list.js';
import { parseParty } from '../package-party.js';

export const APK_INSTALLED_PATH = 'lib/apk/db/installed';

/** One paragraph of the apk database with the letters this parser uses. */
interface ApkRecord {
  line: number;
  name?: string;
  version?: string;
  arch?: string;
  origin?: string;
  /** The `m:` line: the package maintainer as `Name <email>`. */
  maintainer?: string;
  license?: string;
  depends: string[];
  provides: string[];
  files: string[];
}

const RECORD_LINE = /^([A-Za-z]):(.*)$/;

/**
 * Parses apk's `lib/apk/db/installed`, whose paragraphs of `X:value` lines are separated by
 * blank lines. This parser reads `P` (name), `V` (version), `A` (architecture), `o` (origin, the
 * source package), `L` (licence), `D` (dependencies), `p` (provided names) and the `F`/`R`
 * folder and file lines. Every paragraph is an installed package. Malformed lines and
 * paragraphs are reported and skipped.
 */
export function parseApkInstalled(text: string, options: { path: string; diagnostics?: DiagnosticList }): Package[] {
  const records = readRecords(text, options.diagnostics);
  const providers = buildProviders(records);
  const packages: Package[] = [];

  for (const record of records) {
    if (record.name === undefined || record.version === undefined) {
      options.diagnostics?.add('FORMAT_INVALID', `paragraph at line ${record.line} has no ${record.name === undefined ? 'P: (name)' : 'V: (version)'} line and was skipped`);
      continue;
    }

    const pkg: Package = { name: record.name, version: record.version, path: options.path };
    if (record.arch) pkg.arch = record.arch;
    pkg.srcName = record.origin || record.name;
    pkg.srcVersion = record.version;
    if (record.license) pkg.licenses = [record.license];
    const supplier = parseParty(record.maintainer, 'person');
    if (supplier) pkg.supplier = supplier;

    const dependsOn = resolveDependencies(record, providers);
    if (dependsOn.length > 0) pkg.dependsOn = dependsOn;
    packages.push(pkg);
  }
  return packages.sort(comparePackages);
}

function readRecords(text: string, diagnostics: DiagnosticList | undefined): ApkRecord[] {
  const records: ApkRecord[] = [];
  let current: ApkRecord | undefined;
  let folder = '';

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') {
      current = undefined;
      continue;
    }

    const match = RECORD_LINE.exec(line);
    if (match === null) {
      diagnostics?.add('FORMAT_INVALID', `line ${index + 1}: not an "X:value" line: ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }

    if (current === undefined) {
      current = { line: index + 1, depends: [], provides: [], files: [] };
      records.push(current);
      folder = '';
    }

    const value = match[2]!.trim();
    switch (match[1]) {
      case 'P':
        current.name = value;
        break;
      case 'V':
        current.version = value;
        break;
      case 'A':
        current.arch = value;
        break;
      case 'o':
        current.origin = value;
        break;
      case 'L':
        current.license = value;
        break;
      case 'm':
        current.maintainer = value;
        break;
      case 'D':
        current.depends.push(...value.split(/\s+/).filter((entry) => entry !== ''));
        break;
      case 'p':
        current.provides.push(...value.split(/\s+/).filter((entry) => entry !== ''));
        break;
      case 'F':
        folder = value;
        break;
      case 'R':
        current.files.push(`/${folder === '' ? '' : `${folder}/`}${value}`);
        break;
      default:
        break;
    }
  }
  return records;
}

/** Strips the version constraint and repository pin: `so:libc.musl-x86_64.so.1=1` and `musl>=1.2@edge` give the bare name. */
function bareName(entry: string): string {
  return entry.split(/[<>=~@]/)[0]!;
}

/** Maps each name, provided name (`so:`, `cmd:`, `pc:`) and owned file path to the packages that supply it. */
function buildProviders(records: ApkRecord[]): Map<string, Set<string>> {
  const providers = new Map<string, Set<string>>();
  const add = (key: string, name: string): void => {
    const set = providers.get(key) ?? new Set<string>();
    set.add(name);
    providers.set(key, set);
  };

  for (const record of records) {
    if (record.name === undefined) continue;
    add(record.name, record.name);
    for (const provided of record.provides) add(bareName(provided), record.name);
    for (const file of record.files) add(file, record.name);
  }
  return providers;
}

/**
 * Returns the names of the installed packages that satisfy the record's `D:` entries. Conflicts
 * (`!name`) are not dependencies, and entries that no installed package satisfies are dropped.
 */
function resolveDependencies(record: ApkRecord, providers: Map<string, Set<string>>): string[] {
  const names = new Set<string>();
  for (const entry of record.depends) {
    if (entry.startsWith('!')) continue;
    for (const name of providers.get(bareName(entry)) ?? []) {
      if (name !== record.name) names.add(name);
    }
  }
  return [...names].sort(compareText);
}

/** Reads apk's installed database (Alpine, Wolfi, Chainguard, postmarketOS). */
export const apkAnalyzer: Analyzer = {
  id: 'apk',
  version: 2,
  maxFileSize: 64 * 1024 * 1024,

  required(info: FileInfo): boolean {
    return info.path === APK_INSTALLED_PATH;
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    const diagnostics = new DiagnosticList(path);
    const packages = parseApkInstalled(input.content.toString('utf8'), { path, diagnostics });

    const output: AnalyzerOutput = { packageSets: [{ class: 'os-pkgs', type: 'apk', target: path, packages }] };
    if (diagnostics.size > 0) output.diagnostics = diagnostics.toArray();
    return output;
  },
};
