/** The container id Falco reports for processes outside any container. */
export const HOST_CONTAINER_ID = 'host';

// One cgroup directory name per runtime: podman (libpod-ID, with .scope under systemd), docker
// under systemd (docker-ID.scope), containerd's CRI plugin (cri-containerd-ID.scope), CRI-O
// (crio-ID.scope), and a bare ID as docker and Kubernetes use with the cgroupfs driver.
const CONTAINER_DIRECTORY = /^(?:libpod-|docker-|cri-containerd-|crio-)?([0-9a-f]{64})(?:\.scope)?$/;

/**
 * Finds the full container id in a cgroup path (`0::/libpod_parent/libpod-ID`, a line of
 * /proc/PID/cgroup) or in one cgroup directory name. The innermost matching directory wins, so a
 * nested path returns the container closest to the process. Returns `undefined` outside containers.
 * CRI-O's monitor runs in `crio-conmon-ID.scope`, which is not the container and does not match.
 */
export function containerIdFromCgroup(path: string): string | undefined {
  const pathPart = path.includes('::') ? path.slice(path.indexOf('::') + 2) : path.replace(/^\d+:[^:]*:/, '');
  const directories = pathPart.trim().split('/');
  for (let index = directories.length - 1; index >= 0; index--) {
    const match = CONTAINER_DIRECTORY.exec(directories[index] as string);
    if (match !== null) return match[1];
  }
  return undefined;
}

/** Returns the container id of a /proc/PID/cgroup file: the unified (cgroup v2) line first, then any v1 line. */
export function containerIdFromCgroupFile(text: string): string | undefined {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const unified = lines.find((line) => line.startsWith('0::'));
  for (const line of unified === undefined ? lines : [unified, ...lines]) {
    const id = containerIdFromCgroup(line);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** Falco's `container.id`: the first 12 characters of the full id, or `host`. */
export function shortContainerId(fullId: string | undefined): string {
  return fullId === undefined ? HOST_CONTAINER_ID : fullId.slice(0, 12);
}
