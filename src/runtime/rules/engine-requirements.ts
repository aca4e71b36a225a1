/** A semantic version as Falco's rule loader compares it: three numbers, no pre-release part. */
export interface EngineSemver {
  major: number;
  minor: number;
  patch: number;
}

/**
 * The Falco engine version whose rule syntax and fields this engine implements. It is the version
 * that falco-rules 5.1.0 (`falco_rules.yaml`) requires, the newest upstream rule file that loads
 * and runs here. The k8saudit plugin's rule file requires the legacy integer 15, which is 0.15.0.
 * NOTE: the match is by the fields and syntax those upstream files use. A file that requires
 * 0.57.0 or older can still name a field of that engine that is missing here, and then it fails
 * to load with an unknown-field error.
 */
export const ENGINE_VERSION: EngineSemver = { major: 0, minor: 57, patch: 0 };

/**
 * Plugins whose fields are built into this engine, with the plugin version whose fields they
 * cover. These are the versions the upstream rule files require: falco-rules 5.1.0 requires
 * container 0.4.0, and the k8saudit rules require k8saudit 0.18.0 and json 0.7.0.
 */
export const BUILTIN_PLUGINS: ReadonlyMap<string, { version: string; provides: string }> = new Map([
  ['container', { version: '0.4.0', provides: 'container.* fields of the syscall source' }],
  ['k8saudit', { version: '0.18.0', provides: 'ka.* fields and the k8s_audit source' }],
  ['json', { version: '0.7.0', provides: 'jevt.* fields' }],
]);

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** Parses `x.y.z`; returns undefined for anything else. */
export function parseEngineSemver(text: string): EngineSemver | undefined {
  const match = SEMVER.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Compares two versions: negative when `a` is older, 0 when equal, positive when newer. */
export function compareEngineSemver(a: EngineSemver, b: EngineSemver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Formats a version as `x.y.z`. */
export function formatEngineSemver(version: EngineSemver): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/**
 * Reads a `required_engine_version` value. Falco reads a whole number (such as 15, quoted or not)
 * as the legacy engine version, which is the minor number of `0.N.0`, and otherwise expects `x.y.z`.
 */
export function parseRequiredEngineVersion(value: unknown): EngineSemver | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? { major: ENGINE_VERSION.major, minor: value, patch: ENGINE_VERSION.patch } : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value.trim())) return parseRequiredEngineVersion(Number(value.trim()));
  return parseEngineSemver(value);
}

/** One `name`/`version` pair of a `required_plugin_versions` entry or of its alternatives. */
export interface PluginVersion {
  name: string;
  version: string;
}

/**
 * Checks a plugin requirement and its alternatives against the built-in plugins, as Falco checks
 * them against loaded plugins. The first alternative whose name is built in decides. It is met
 * when the built-in version has the same major number and is the same or newer. Returns
 * undefined when the requirement is met, else the reason.
 */
export function checkPluginRequirement(alternatives: readonly PluginVersion[]): string | undefined {
  for (const requested of alternatives) {
    const builtin = BUILTIN_PLUGINS.get(requested.name);
    if (builtin === undefined) continue;
    const required = parseEngineSemver(requested.version) as EngineSemver;
    const available = parseEngineSemver(builtin.version) as EngineSemver;
    if (available.major !== required.major || compareEngineSemver(available, required) < 0) {
      return `plugin '${requested.name}' ${requested.version} is required, but the built-in ${builtin.provides} match version ${builtin.version}`;
    }
    return undefined;
  }
  const names = alternatives.map((requested) => `${requested.name} (>= ${requested.version})`).join(', ');
  const known = [...BUILTIN_PLUGINS].map(([name, { version }]) => `${name} ${version}`).join(', ');
  return `plugin requirement not met: the rules need one of ${names}, and bulwark loads no plugins; only ${known} are built in`;
}
