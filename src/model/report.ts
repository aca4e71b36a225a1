import type { Diagnostic } from './diagnostic.js';
import type { Misconfiguration, RuleMetadata } from './misconfiguration.js';
import type { OsInfo } from './os.js';
import type { Package, PackageClass, PackageSetType } from './package.js';
import type { Vulnerability } from './vulnerability.js';

/** What was scanned. */
export interface Artifact {
  /** The name the user gave: an image reference, an archive path, a directory. */
  name: string;
  type: 'container-image' | 'rootfs' | 'filesystem' | 'config';
  /** The manifest digest for registry and layout images, else the config digest. */
  digest?: string;
  /** The image ID (config digest) for images. */
  imageId?: string;
  repoTags?: string[];
  os?: OsInfo;
  /** The layers in order, for images. */
  layers?: Array<{ digest: string; diffId: string; size?: number }>;
  /** `registry/repository@digest` for images pulled from a registry. */
  repoDigests?: string[];
  /** The platform and run settings of the image config, for images. */
  imageConfig?: ImageConfigFacts;
}

/**
 * The facts of an image config that an SBOM describes. Environment values and labels that look
 * like secrets are masked, as the image config secret check masks them in its findings.
 */
export interface ImageConfigFacts {
  architecture?: string;
  os?: string;
  variant?: string;
  /** The creation time as the config records it (RFC 3339). */
  created?: string;
  user?: string;
  workingDir?: string;
  entrypoint?: string[];
  cmd?: string[];
  /** `NAME=value` entries in config order, secret values masked. */
  env?: string[];
  /** `port/protocol` entries, sorted. */
  exposedPorts?: string[];
  /** Labels sorted by key, secret values masked. */
  labels?: Array<{ key: string; value: string }>;
  stopSignal?: string;
}

/** The class of a result: packages, misconfigurations or secrets. */
export type ResultClass = PackageClass | 'config' | 'secret';

/** One report section: the OS packages, one lock file, one language directory, one config file. */
export interface ScanResult {
  target: string;
  class: ResultClass;
  /** The OS family for OS packages (`debian`), else the package set or config type. */
  type: string;
  packages?: Package[];
  vulnerabilities?: Vulnerability[];
  /** Findings of config checks; present (possibly empty) on every `config` result. */
  misconfigurations?: Misconfiguration[];
}

/** The whole output of a scan, before formatting. */
export interface ScanReport {
  schemaVersion: 1;
  artifact: Artifact;
  results: ScanResult[];
  errors: Diagnostic[];
  /** Facts about the vulnerability DB used, or why none was used. */
  db?: { status: 'ok' | 'missing' | 'stale'; builtAt?: string; message?: string };
  /**
   * Metadata of the config rules that produced `misconfigurations`, for formats that describe
   * rules (SARIF). The JSON format leaves it out.
   */
  rules?: RuleMetadata[];
}

export type { PackageSetType };
