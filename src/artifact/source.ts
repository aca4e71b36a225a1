import type { Readable } from 'node:stream';

/** The parts of an OCI image config (or Docker image JSON) that scans read. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[] } | null;
    [key: string]: unknown;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
  [key: string]: unknown;
}

/** One layer of an image, as its manifest and config describe it. */
export interface LayerRef {
  /** The digest of the blob as stored (compressed for most layers). */
  digest: string;
  /** The digest of the uncompressed tar, from the config's `rootfs.diff_ids`. */
  diffId: string;
  mediaType: string;
  /** The blob size in bytes, when the manifest gives it. */
  size?: number;
}

/** The platform of an image: `os/arch[/variant]`. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/**
 * An image opened from an archive, a layout or a registry. Sources only locate and verify bytes:
 * the layer walk decompresses and reads them.
 */
export interface ImageSource {
  /** What the user named: a path or a registry reference. */
  readonly name: string;
  readonly type: 'docker-archive' | 'oci-layout' | 'oci-archive' | 'registry';
  /** The digest of the image manifest, when the source has one (a docker-archive may not). */
  readonly manifestDigest?: string;
  /** The digest of the config blob (the image ID). */
  readonly configDigest: string;
  readonly config: ImageConfig;
  /** Tags and names the source records for the image (`repo:tag`). */
  readonly repoTags: string[];
  readonly layers: LayerRef[];
  /**
   * Opens the stored blob of one layer. The stream fails with a DigestError at its end when the
   * bytes do not match `layer.digest`, and with an InputError when the blob is missing or short.
   */
  openLayer(layer: LayerRef): Promise<Readable>;
  /** Releases files, temporary folders and connections. */
  close(): Promise<void>;
}
