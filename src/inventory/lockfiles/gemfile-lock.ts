import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName } from './lockfile-analyzer.js';
import { packageKey } from './package-collector.js';

/** Sections whose `specs:` list gems: from a gem server, from git, or from a local path. */
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH']);

/** A spec line, `    name (version)`, or a dependency line, `      name (constraints)` or `      name`. */
const SPEC_LINE = /^( {4}| {6})(\S+)(?: \(([^)]*)\))?$/;

interface Gem {
  name: string;
  version: string;
  /** Names of the gems this one depends on. */
  dependencies: string[];
  /** True for a gem from a PATH section: the project's own code. */
  local: boolean;
}

/**
 * `Gemfile.lock` of Bundler. Gems come from the `specs:` of the GEM, GIT and PATH sections, and
 * PATH gems are the project's own code, so they are left out. A platform suffix
 * (`1.17.3-x86_64-linux-gnu`) is dropped, so the per-platform copies merge into one gem. The
 * DEPENDENCIES section gives the `direct` gems, while groups (dev or test) are only in the
 * Gemfile, so `dev` stays false.
 */
export const gemfileLockFormat: LockfileFormat = {
  id: 'gemfile-lock',
  version: 1,
  type: 'bundler',
  matches: (path) => baseName(path) === 'Gemfile.lock' || baseName(path) === 'gems.locked',
  parse: parseGemfileLock,
};

function parseGemfileLock(text: string, context: LockfileContext): ParseOutcome {
  const gems: Gem[] = [];
  const directNames = new Set<string>();
  let section = '';
  let inSpecs = false;

  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    if (!line.startsWith(' ')) {
      section = line.trim();
      inSpecs = false;
      return;
    }
    if (section === 'DEPENDENCIES') {
      // `  rails (~> 7.0)`, or `  rails!` for a gem from git or a path.
      const name = line.trim().split(' ')[0]?.replace(/!$/, '');
      if (name !== undefined && name !== '') directNames.add(name);
      return;
    }
    if (!SOURCE_SECTIONS.has(section)) return;
    if (line === '  specs:') {
      inSpecs = true;
      return;
    }
    if (!inSpecs || /^ {2}\S/.test(line)) return;

    const match = SPEC_LINE.exec(line);
    if (match === null) {
      context.packages.report(`${context.path}:${index + 1}: expected "name (version)" under specs:, found "${line.trim()}", so it was skipped`);
      return;
    }
    const [, indent, name = '', version] = match;
    if (indent === '      ') {
      gems.at(-1)?.dependencies.push(name);
    } else if (version === undefined || version.includes(' ')) {
      context.packages.report(`${context.path}:${index + 1}: the spec "${line.trim()}" has no exact version, so it was skipped`);
    } else {
      // RubyGems versions contain no `-`, so the first `-` starts the platform.
      gems.push({ name, version: version.split('-')[0] ?? version, dependencies: [], local: section === 'PATH' });
    }
  });

  const versionsByName = new Map<string, Set<string>>();
  for (const gem of gems) {
    if (!gem.local) versionsByName.set(gem.name, (versionsByName.get(gem.name) ?? new Set()).add(gem.version));
  }
  const localNames = new Set(gems.filter((gem) => gem.local).map((gem) => gem.name));
  const localDependencies = new Set(gems.filter((gem) => gem.local).flatMap((gem) => gem.dependencies));

  for (const gem of gems) {
    if (gem.local) continue;
    const dependsOn: string[] = [];
    for (const dependency of gem.dependencies) {
      const versions = [...(versionsByName.get(dependency) ?? [])];
      if (versions.length === 1 && versions[0] !== undefined) dependsOn.push(packageKey(dependency, versions[0]));
    }
    // A dependency of a PATH gem that the Gemfile names (`gemspec`) is direct as well.
    const direct = directNames.has(gem.name) || ([...localNames].some((name) => directNames.has(name)) && localDependencies.has(gem.name));
    context.packages.add({ name: gem.name, version: gem.version, direct, dependsOn });
  }
  return 'parsed';
}
