import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../analyzer.js';
import type { Package } from '../../model/package.js';
import { comparePackages, compareText } from './compare.js';
import { parseDeb822, type Deb822Stanza } from './deb822.js';
import { DiagnosticList } from './diagnostic-list.js';
import { parseParty } from '../package-party.js';

export const DPKG_STATUS_PATH = 'var/lib/dpkg/status';
export const DPKG_STATUS_DIR = 'var/lib/dpkg/status.d/';

/**
 * Files in distroless `status.d/` that are not control stanzas. Distroless ships `.md5sums`.
 * The others are the maintainer scripts and lists that some images copy there too.
 */
const NON_STANZA_SUFFIXES = ['.md5sums', '.list', '.conffiles', '.preinst', '.postinst', '.prerm', '.postrm', '.triggers', '.shlibs', '.symbols'];

/**
 * The third word of `Status:` for packages whose files are on disk. `half-installed` means an
 * unpack failed part-way, and `config-files` means only conffiles remain, so both are excluded,
 * as is `not-installed`.
 */
const INSTALLED_STATES = new Set(['installed', 'triggers-pending', 'triggers-awaited', 'half-configured', 'unpacked']);

const KEPT_FIELDS = new Set(['package', 'status', 'version', 'architecture', 'source', 'depends', 'pre-depends', 'provides', 'maintainer']);

export interface DpkgParseOptions {
  /** The file path relative to the root, stored on every package. */
  path: string;
  /**
   * Resolve `Depends:` against the packages of the same file: alternatives and virtual names
   * become the installed package that satisfies them, and unsatisfied ones are dropped. Use this
   * for the full `status` file. A distroless `status.d` entry contains one package, so there it
   * must be false, and `dependsOn` then lists every alternative as a bare name.
   */
  resolveDependencies: boolean;
  diagnostics?: DiagnosticList;
}

/** Parses a dpkg status file or `status.d` entry into its installed packages, sorted by name, architecture and version. */
export function parseDpkgStatus(text: string, options: DpkgParseOptions): Package[] {
  const { path, diagnostics } = options;
  const stanzas = parseDeb822(text, { keepFields: KEPT_FIELDS, diagnostics });
  const installed: Array<{ stanza: Deb822Stanza; pkg: Package }> = [];

  for (const stanza of stanzas) {
    const pkg = packageFromStanza(stanza, path, diagnostics);
    if (pkg !== undefined) installed.push({ stanza, pkg });
  }

  const resolver = options.resolveDependencies ? buildResolver(installed.map(({ stanza }) => stanza)) : undefined;
  for (const { stanza, pkg } of installed) {
    const depends = [stanza.fields.get('pre-depends'), stanza.fields.get('depends')].filter((value) => value !== undefined).join(',');
    const names = dependencyNames(depends, resolver).filter((name) => name !== pkg.name);
    if (names.length > 0) pkg.dependsOn = names;
  }

  return installed
    .map(({ pkg }) => pkg)
    .sort(comparePackages);
}

function packageFromStanza(stanza: Deb822Stanza, path: string, diagnostics: DiagnosticList | undefined): Package | undefined {
  const name = stanza.fields.get('package')?.trim();
  if (!name) {
    diagnostics?.add('FORMAT_INVALID', `stanza at line ${stanza.line} has no Package field and was skipped`);
    return undefined;
  }

  // Distroless status.d entries have no Status field: every entry there is installed.
  const status = stanza.fields.get('status');
  if (status !== undefined) {
    const words = status.trim().split(/\s+/);
    if (words.length !== 3) {
      diagnostics?.add('FORMAT_INVALID', `package ${name} at line ${stanza.line}: Status must be three words (want, flag, state), found ${JSON.stringify(status)}; skipped`);
      return undefined;
    }
    if (!INSTALLED_STATES.has(words[2]!)) return undefined;
  }

  const version = stanza.fields.get('version')?.trim();
  if (!version) {
    diagnostics?.add('FORMAT_INVALID', `package ${name} at line ${stanza.line} has no Version field and was skipped`);
    return undefined;
  }

  const pkg: Package = { name, version, path };
  const arch = stanza.fields.get('architecture')?.trim();
  if (arch) pkg.arch = arch;

  // `Source: name` or `Source: name (version)`, the latter when the source version differs.
  const source = /^(\S+)(?:\s+\((\S+)\))?/.exec(stanza.fields.get('source')?.trim() ?? '');
  pkg.srcName = source?.[1] ?? name;
  pkg.srcVersion = source?.[2] ?? version;
  const supplier = parseParty(stanza.fields.get('maintainer'), 'person');
  if (supplier) pkg.supplier = supplier;
  return pkg;
}

type Resolver = (name: string) => string[];

/** Maps a dependency name to the installed packages that are or provide it. */
function buildResolver(stanzas: Deb822Stanza[]): Resolver {
  const providers = new Map<string, Set<string>>();
  const addProvider = (virtualName: string, provider: string): void => {
    const set = providers.get(virtualName) ?? new Set<string>();
    set.add(provider);
    providers.set(virtualName, set);
  };

  for (const stanza of stanzas) {
    const name = stanza.fields.get('package')!.trim();
    addProvider(name, name);
    for (const provided of splitRelations(stanza.fields.get('provides') ?? '').flat()) addProvider(provided, name);
  }
  return (name) => [...(providers.get(name) ?? [])].sort(compareText);
}

/**
 * Returns the package names in `Depends:`-style text, sorted and unique. With a resolver, each
 * comma-separated group yields the packages that satisfy its first satisfiable alternative, as
 * dpkg checks them in order. Without one, every alternative is listed.
 */
export function dependencyNames(relations: string, resolver?: Resolver): string[] {
  const names = new Set<string>();
  for (const alternatives of splitRelations(relations)) {
    if (resolver === undefined) {
      for (const name of alternatives) names.add(name);
      continue;
    }
    const satisfied = alternatives.map(resolver).find((providers) => providers.length > 0) ?? [];
    for (const name of satisfied) names.add(name);
  }
  return [...names].sort(compareText);
}

/** Splits `a (>= 1) | b:any [amd64] <!nocheck>, c` into `[['a', 'b'], ['c']]`, dropping version, architecture and profile parts. */
function splitRelations(relations: string): string[][] {
  const groups: string[][] = [];
  for (const group of relations.split(',')) {
    const alternatives = group
      .split('|')
      .map((alternative) => alternative.replace(/\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, '').trim().split(':')[0]!.trim())
      .filter((name) => /^[a-z0-9][a-z0-9+.-]*$/.test(name));
    if (alternatives.length > 0) groups.push(alternatives);
  }
  return groups;
}

/** True for the `status` file and for `status.d/<package>` entries that hold stanzas. */
function isDpkgDatabase(path: string): boolean {
  if (path === DPKG_STATUS_PATH) return true;
  if (!path.startsWith(DPKG_STATUS_DIR)) return false;
  const name = path.slice(DPKG_STATUS_DIR.length);
  return name !== '' && !name.includes('/') && !NON_STANZA_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** Reads the dpkg database: `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/*`. */
export const dpkgAnalyzer: Analyzer = {
  id: 'dpkg',
  version: 2,
  maxFileSize: 64 * 1024 * 1024,

  required(info: FileInfo): boolean {
    return isDpkgDatabase(info.path);
  },

  analyze(input: AnalyzerInput): AnalyzerOutput {
    const path = input.info.path;
    const diagnostics = new DiagnosticList(path);
    const packages = parseDpkgStatus(input.content.toString('utf8'), {
      path,
      resolveDependencies: path === DPKG_STATUS_PATH,
      diagnostics,
    });

    const output: AnalyzerOutput = { packageSets: [{ class: 'os-pkgs', type: 'dpkg', target: path, packages }] };
    if (diagnostics.size > 0) output.diagnostics = diagnostics.toArray();
    return output;
  },
};
