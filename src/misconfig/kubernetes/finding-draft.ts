import type { FieldPath, K8sObject } from './k8s-object.js';

/** A finding before rule metadata, severity overrides and location are applied. */
export interface FindingDraft {
  ruleId: string;
  object: K8sObject;
  /** The offending field, or the field that should be set. */
  field: FieldPath;
  container?: string;
  message: string;
}
