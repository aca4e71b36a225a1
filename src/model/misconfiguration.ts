import type { Severity } from './severity.js';

/** The position of a finding in a file, with 1-based lines as editors and SARIF count them. */
export interface Location {
  /** The file path relative to the scanned root, with `/` separators. */
  path: string;
  startLine: number;
  endLine: number;
  /** 1-based columns, where the checker records them. */
  startColumn?: number;
  endColumn?: number;
}

/** The Kubernetes object a finding is about. */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  /** The container the finding is about, for container-level checks. */
  container?: string;
  /** The field path in the object (`spec.template.spec.containers[0].securityContext.privileged`). */
  fieldPath?: string;
}

/** One insecure or wasteful practice found in a Dockerfile, an image config or a manifest. */
export interface Misconfiguration {
  /** The rule ID: hadolint's `DL3008`, ShellCheck's `SC2086`, `pss/runAsNonRoot`, or a Bulwark ID. */
  id: string;
  /** The IDs other tools give the same check (hadolint, dockle, kube-linter), sorted. */
  aliases: string[];
  severity: Severity;
  /** The rule's one-line title. */
  title: string;
  /** The problem at this location, with the offending value. */
  message: string;
  location?: Location;
  object?: ObjectRef;
  /** How to fix it. */
  resolution?: string;
  references?: string[];
}

/** The description of a rule, for `--help`, docs and SARIF rule metadata. */
export interface RuleMetadata {
  id: string;
  aliases: string[];
  severity: Severity;
  title: string;
  /** Why the practice matters. */
  description: string;
  /** How to fix it. */
  resolution: string;
  /** A page that explains the rule. */
  helpUri?: string;
  /** A short bad and good example, for docs. */
  examples?: { bad: string; good: string };
}
