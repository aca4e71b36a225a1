import { UsageError } from '../../../errors.js';

/**
 * The checks of one Pod Security Standards version, as the pod-security admission controller of
 * that Kubernetes minor version does (k8s.io/pod-security-admission, `policy/check_*.go`). Each
 * flag names the first version with the behaviour.
 */
export interface PssCapabilities {
  /** The version as the `pod-security.kubernetes.io/enforce-version` label writes it: `v1.29`. */
  readonly version: string;
  readonly minor: number;
  /** 1.8+: `allowPrivilegeEscalation` must be false (restricted). */
  readonly allowPrivilegeEscalation: boolean;
  /** 1.19+: baseline seccomp checks the `seccompProfile` fields; earlier versions check the alpha annotations. */
  readonly seccompProfileFields: boolean;
  /** 1.19+: restricted requires a RuntimeDefault or Localhost seccomp profile. */
  readonly seccompProfileRestricted: boolean;
  /** 1.22+: restricted requires dropping ALL capabilities. */
  readonly capabilitiesRestricted: boolean;
  /** 1.23+: restricted forbids `runAsUser: 0`. */
  readonly runAsUser: boolean;
  /** 1.25+: pods with `spec.os.name: windows` are exempt from the Linux-only restricted checks. */
  readonly windowsExemptions: boolean;
  /** 1.34+: baseline forbids `host` in probes and lifecycle handlers. */
  readonly hostProbesAndHostLifecycle: boolean;
  /** 1.35+: baseline allows any `procMount` in a user namespace (`hostUsers: false`); restricted still requires Default. */
  readonly procMountUserNamespaces: boolean;
  /** The sysctls that baseline allows in `spec.securityContext.sysctls`. */
  readonly allowedSysctls: ReadonlySet<string>;
}

/** The newest Kubernetes minor version modelled here; `latest` and newer versions evaluate as this one. */
export const LATEST_MINOR = 35;

/** Allowed sysctls by the version that added them (Kubernetes docs, "Using sysctls in a Kubernetes Cluster"). */
const SYSCTLS_BY_VERSION: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];

const cache = new Map<number, PssCapabilities>();

function capabilitiesOf(minor: number): PssCapabilities {
  const cached = cache.get(minor);
  if (cached !== undefined) return cached;
  const sysctls = new Set<string>();
  for (const [since, names] of SYSCTLS_BY_VERSION) if (minor >= since) names.forEach((name) => sysctls.add(name));
  const capabilities: PssCapabilities = Object.freeze({
    version: `v1.${minor}`,
    minor,
    allowPrivilegeEscalation: minor >= 8,
    seccompProfileFields: minor >= 19,
    seccompProfileRestricted: minor >= 19,
    capabilitiesRestricted: minor >= 22,
    runAsUser: minor >= 23,
    windowsExemptions: minor >= 25,
    hostProbesAndHostLifecycle: minor >= 34,
    procMountUserNamespaces: minor >= 35,
    allowedSysctls: sysctls,
  });
  cache.set(minor, capabilities);
  return capabilities;
}

/**
 * Returns the checks of a Pod Security Standards version: `latest`, `v1.29` or `1.29`. Versions
 * newer than the newest modelled one evaluate as that one, as the admission controller does with
 * versions newer than itself. Throws a UsageError for anything else.
 */
export function pssVersion(version: string = 'latest'): PssCapabilities {
  const text = version.trim();
  if (text === '' || text === 'latest') return capabilitiesOf(LATEST_MINOR);
  const match = /^v?1\.(\d{1,3})$/.exec(text);
  if (match === null) throw new UsageError(`invalid Pod Security Standards version "${version}": expected "latest" or "v1.<minor>", such as v1.29`);
  return capabilitiesOf(Math.min(Number(match[1]), LATEST_MINOR));
}

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** Returns the level named by a setting or label, or undefined for anything else. */
export function parsePssLevel(value: unknown): PssLevel | undefined {
  return value === 'privileged' || value === 'baseline' || value === 'restricted' ? value : undefined;
}
