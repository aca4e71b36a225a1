import { execFile } from 'node:child_process';

/** Name and image of one container, as its runtime's inspect command reports them. */
export interface ContainerMetadata {
  name?: string;
  image?: string;
  repository?: string;
  tag?: string;
}

/** Runs one inspect command; resolves to its stdout, or `undefined` when it failed or is not installed. */
export type InspectCommand = (program: string, args: readonly string[]) => Promise<string | undefined>;

const INSPECT_TIMEOUT_MS = 5_000;
/** How long a failed lookup is remembered before it is tried again, in milliseconds. */
const RETRY_AFTER_MS = 10_000;

function runInspect(program: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: INSPECT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => resolve(error === null ? stdout : undefined));
  });
}

/** Splits an image reference into repository and tag; a digest reference has no tag. */
export function splitImageReference(image: string): { repository: string; tag?: string } {
  const withoutDigest = image.split('@')[0] as string;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  return { repository: withoutDigest };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Output that is not JSON counts as a failed lookup, as a failed command does.
    return undefined;
  }
}

/** Reads the name and image from `podman inspect` or `docker inspect` JSON (a list of one object). */
export function parseDockerStyleInspect(text: string): ContainerMetadata | undefined {
  const document = parseJson(text);
  const first: unknown = Array.isArray(document) ? document[0] : undefined;
  if (first === null || typeof first !== 'object') return undefined;
  const record = first as Record<string, unknown>;
  const config = record.Config as Record<string, unknown> | undefined;
  const name = typeof record.Name === 'string' ? record.Name.replace(/^\//, '') : undefined;
  // podman reports ImageName; docker only has Config.Image.
  let image: string | undefined;
  if (typeof record.ImageName === 'string') image = record.ImageName;
  else if (typeof config?.Image === 'string') image = config.Image;
  return withImage({ ...(name === undefined ? {} : { name }) }, image);
}

/** Reads the name and image from `crictl inspect` JSON. */
export function parseCrictlInspect(text: string): ContainerMetadata | undefined {
  const document = parseJson(text);
  const status = (document as { status?: { metadata?: { name?: unknown }; image?: { image?: unknown } } } | null)?.status;
  if (status === undefined) return undefined;
  const name = typeof status.metadata?.name === 'string' ? status.metadata.name : undefined;
  const image = typeof status.image?.image === 'string' ? status.image.image : undefined;
  return withImage({ ...(name === undefined ? {} : { name }) }, image);
}

function withImage(metadata: ContainerMetadata, image: string | undefined): ContainerMetadata {
  if (image === undefined || image === '') return metadata;
  const { repository, tag } = splitImageReference(image);
  return { ...metadata, image, repository, ...(tag === undefined ? {} : { tag }) };
}

/**
 * Looks up container names and images in the background. `get` never waits: it returns what is
 * cached and starts a lookup for an unknown id, so events of a new container lack the name and
 * image until podman, docker or crictl has responded (as in Falco).
 */
export class ContainerMetadataCache {
  private readonly known = new Map<string, ContainerMetadata>();
  private readonly failedAt = new Map<string, number>();
  private readonly pending = new Set<string>();
  private readonly inspect: InspectCommand;

  constructor(inspect: InspectCommand = runInspect, private readonly now: () => number = Date.now) {
    this.inspect = inspect;
  }

  get(fullId: string): ContainerMetadata | undefined {
    const cached = this.known.get(fullId);
    if (cached !== undefined) return cached;
    const failed = this.failedAt.get(fullId);
    if (!this.pending.has(fullId) && (failed === undefined || this.now() - failed > RETRY_AFTER_MS)) {
      this.pending.add(fullId);
      void this.lookup(fullId).finally(() => this.pending.delete(fullId));
    }
    return undefined;
  }

  /** Resolves when no lookup is running; for tests and for a final flush. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async lookup(fullId: string): Promise<void> {
    const attempts: [string, string[], (text: string) => ContainerMetadata | undefined][] = [
      ['podman', ['inspect', '--type', 'container', fullId], parseDockerStyleInspect],
      ['docker', ['inspect', '--type', 'container', fullId], parseDockerStyleInspect],
      ['crictl', ['inspect', fullId], parseCrictlInspect],
    ];
    for (const [program, args, parse] of attempts) {
      const output = await this.inspect(program, args);
      const metadata = output === undefined ? undefined : parse(output);
      if (metadata !== undefined) {
        this.known.set(fullId, metadata);
        this.failedAt.delete(fullId);
        return;
      }
    }
    this.failedAt.set(fullId, this.now());
  }
}
