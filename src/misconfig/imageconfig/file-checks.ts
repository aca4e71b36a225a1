import type { Diagnostic } from '../../model/diagnostic.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import type { Inventory } from '../../scan/assemble-inventory.js';
import { classifyCredentialPath, classifyPackageCache, classifyUnneededPath } from './file-paths.js';
import { describeLayer, type ImageHistory } from './history.js';
import { addToGroup, formatSize, type FileGroup } from './file-groups.js';
import { displayPath, imageFinding, type ImageFileEntry } from './input.js';

/** The maximum number of findings one file rule reports. A diagnostic counts the rest. */
export const MAX_FILE_FINDINGS = 1000;

const SETUID = 0o4000;
const SETGID = 0o2000;
/** Programs that make sudo available, by path. */
const SUDO_PATHS = new Set(['usr/bin/sudo', 'bin/sudo', 'usr/local/bin/sudo']);
/** OS packages that install sudo. */
const SUDO_PACKAGES = new Set(['sudo', 'sudo-ldap', 'sudo-rs']);

export interface FileCheckResult {
  misconfigurations: Misconfiguration[];
  diagnostics: Diagnostic[];
  /** `layer\0path` of the cache and credential files in the final file system, for `checkHiddenFiles`. */
  visible: Set<string>;
}

export interface FileCheckContext {
  name: string;
  history: ImageHistory;
  layerDiffIds: readonly string[];
  inventory?: Inventory;
}

function specialBits(mode: number): string {
  const bits = [];
  if (mode & SETUID) bits.push('setuid');
  if (mode & SETGID) bits.push('setgid');
  return bits.join(' and ');
}

/**
 * Checks the final file system in one pass: setuid and setgid files, package manager caches,
 * credential files, version control and editor files, and sudo by path or package. Credential
 * files are recognized by path only, because file content is not part of the input. So an
 * `.npmrc` without a token is flagged too.
 */
export function checkFiles(entries: Iterable<ImageFileEntry>, context: FileCheckContext): FileCheckResult {
  const { history, layerDiffIds } = context;
  const baseLayers = history.baseLayerCount;
  const describe = (layer: number) => describeLayer(history, layer, layerDiffIds);
  const setuid: Misconfiguration[] = [];
  const credentials: Misconfiguration[] = [];
  const caches = new Map<string, FileGroup>();
  const unneeded = new Map<string, FileGroup>();
  const visible = new Set<string>();
  let sudoPath: ImageFileEntry | undefined;

  for (const entry of entries) {
    if (entry.kind !== 'file' && entry.kind !== 'hardlink') continue;

    if (entry.mode & (SETUID | SETGID)) {
      const bits = specialBits(entry.mode);
      const mode = `mode ${(entry.mode & 0o7777).toString(8).padStart(4, '0')}`;
      if (baseLayers !== undefined && entry.layer >= baseLayers) {
        setuid.push(imageFinding('image/setuid-added', `${displayPath(entry.path)} is ${bits} (${mode}), added on top of the base image in ${describe(entry.layer)}`, entry.path));
      } else {
        const origin = baseLayers === undefined ? `from ${describe(entry.layer)}; the base image is unknown` : `from the base image, ${describe(entry.layer)}`;
        setuid.push(imageFinding('image/setuid-file', `${displayPath(entry.path)} is ${bits} (${mode}), ${origin}`, entry.path));
      }
    }

    const cache = classifyPackageCache(entry.path);
    if (cache) {
      addToGroup(caches, cache.directory, entry, () => ({ kind: `${cache.manager} cache`, aliases: cache.aliases }));
      visible.add(`${entry.layer}\0${entry.path}`);
    }

    const extra = classifyUnneededPath(entry.path);
    if (extra) addToGroup(unneeded, extra.path, entry, () => ({ kind: extra.kind }));

    const credential = classifyCredentialPath(entry.path);
    if (credential) {
      visible.add(`${entry.layer}\0${entry.path}`);
      credentials.push(imageFinding('image/credential-file', `${displayPath(entry.path)} is ${credential} (matched by path; contents not read), from ${describe(entry.layer)}`, entry.path));
    }

    if (SUDO_PATHS.has(entry.path)) sudoPath = entry;
  }

  const misconfigurations: Misconfiguration[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [rule, findings] of [['setuid', setuid], ['credential file', credentials]] as const) {
    misconfigurations.push(...findings.slice(0, MAX_FILE_FINDINGS));
    if (findings.length > MAX_FILE_FINDINGS) {
      diagnostics.push({
        target: `${context.name} (image config)`,
        code: 'LIMIT_EXCEEDED',
        message: `${findings.length} ${rule} findings; only the first ${MAX_FILE_FINDINGS} are reported`,
      });
    }
  }

  for (const [directory, group] of caches) {
    const layers = [...group.layers].sort((a, b) => a - b).map(describe);
    const message = `${displayPath(directory)} contains ${group.files} ${group.kind} file${group.files === 1 ? '' : 's'} (${formatSize(group.bytes)}) from ${layers.join(', ')}`;
    misconfigurations.push(imageFinding('image/package-cache', message, directory, group.aliases));
  }
  for (const [path, group] of unneeded) {
    const layers = [...group.layers].sort((a, b) => a - b).map(describe);
    const count = group.files === 1 ? '' : ` (${group.files} files)`;
    misconfigurations.push(imageFinding('image/unneeded-files', `${displayPath(path)} is ${group.kind}${count}, from ${layers.join(', ')}`, path));
  }

  misconfigurations.push(...checkSudoInstalled(sudoPath, context));
  return { misconfigurations, diagnostics, visible };
}

function checkSudoInstalled(sudoPath: ImageFileEntry | undefined, context: FileCheckContext): Misconfiguration[] {
  const osPackages = context.inventory?.packageSets.filter((set) => set.class === 'os-pkgs') ?? [];
  for (const set of osPackages) {
    const pkg = set.packages.find((candidate) => SUDO_PACKAGES.has(candidate.name));
    if (pkg) return [imageFinding('image/sudo', `the ${set.type} package ${pkg.name} ${pkg.version} is installed`, set.target)];
  }
  if (sudoPath) {
    const layer = describeLayer(context.history, sudoPath.layer, context.layerDiffIds);
    return [imageFinding('image/sudo', `${displayPath(sudoPath.path)} is installed, from ${layer}`, sudoPath.path)];
  }
  return [];
}
