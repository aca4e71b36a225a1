/** The files found under one folder that a rule reports once: a package cache, a `.git` folder. */
export interface FileGroup {
  kind: string;
  aliases?: string[];
  files: number;
  bytes: number;
  layers: Set<number>;
}

/** Counts a file into the group of `path`, creating the group with `init` on first use. */
export function addToGroup(groups: Map<string, FileGroup>, path: string, entry: { size: number; layer: number }, init: () => Pick<FileGroup, 'kind' | 'aliases'>): void {
  let group = groups.get(path);
  if (!group) {
    group = { ...init(), files: 0, bytes: 0, layers: new Set<number>() };
    groups.set(path, group);
  }
  group.files += 1;
  group.bytes += entry.size;
  group.layers.add(entry.layer);
}

/** Formats a byte count in KiB below 1 MiB, else in MiB with one decimal. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
