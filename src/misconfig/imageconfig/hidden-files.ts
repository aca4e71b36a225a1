import type { Misconfiguration } from '../../model/misconfiguration.js';
import { addToGroup, formatSize, type FileGroup } from './file-groups.js';
import { classifyCredentialPath, classifyPackageCache } from './file-paths.js';
import { describeLayer, type ImageHistory } from './history.js';
import { displayPath, imageFinding, type LayerFiles } from './input.js';

/** The maximum number of hidden credential files reported. */
const MAX_HIDDEN_CREDENTIALS = 1000;

/**
 * Flags package caches and credential files that a layer stores but a later layer deletes or
 * replaces. The final file system no longer shows them, but the layer's blob still contains them:
 * a cache cleaned in a later RUN still takes space, and a deleted key is still readable by anyone
 * who pulls the image. `visible` lists `layer\0path` of the same kinds of files in the final view.
 * NOTE: entries placed through a symlinked parent folder are compared by their tar path, so such a
 * file could be reported as hidden while the final view shows it at the resolved path.
 */
export function checkHiddenFiles(layers: readonly LayerFiles[], visible: Set<string>, history: ImageHistory, layerDiffIds: readonly string[]): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  const describe = (layer: number) => describeLayer(history, layer, layerDiffIds);
  let credentials = 0;

  layers.forEach((layerFiles, layer) => {
    const caches = new Map<string, FileGroup>();
    for (const entry of layerFiles.entries) {
      if (entry.kind !== 'file' && entry.kind !== 'hardlink') continue;
      if (visible.has(`${layer}\0${entry.path}`)) continue;

      const cache = classifyPackageCache(entry.path);
      if (cache) addToGroup(caches, cache.directory, { size: entry.size, layer }, () => ({ kind: `${cache.manager} cache`, aliases: cache.aliases }));

      const credential = classifyCredentialPath(entry.path);
      if (credential && credentials < MAX_HIDDEN_CREDENTIALS) {
        credentials += 1;
        const message = `${displayPath(entry.path)} is ${credential} (matched by path; contents not read), stored in ${describe(layer)} and deleted or replaced by a later layer, so the layer blob still contains it`;
        findings.push(imageFinding('image/credential-file', message, entry.path));
      }
    }

    for (const [directory, group] of caches) {
      const plural = group.files === 1 ? '' : 's';
      const message = `${displayPath(directory)} has ${group.files} ${group.kind} file${plural} (${formatSize(group.bytes)}) in ${describe(layer)} that a later layer deletes or replaces, so the layer blob still stores them`;
      findings.push(imageFinding('image/package-cache', message, directory, group.aliases));
    }
  });
  return findings;
}
