import { UsageError } from '../../errors.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Misconfiguration, RuleMetadata } from '../../model/misconfiguration.js';
import type { ConfigFile, ConfigFileResult, ConfigScanner, ConfigScanOptions } from '../config-scanner.js';
import type { BulwarkSettings } from '../settings.js';
import type { FindingDraft } from './finding-draft.js';
import { formatFieldPath, objectRef, type K8sObject } from './k8s-object.js';
import { NETWORK_POLICY_RULES, SECURITY_CONTEXT_RULES } from './kubernetes-rules.js';
import { parseManifest } from './manifest-parser.js';
import { checkNetworkPolicies } from './netpol/netpol-checks.js';
import { buildNetworkModel, DEFAULT_NAMESPACE } from './netpol/network-model.js';
import { podTemplateOf } from './pod-template.js';
import { pssRules } from './pss/pss-rules.js';
import { parsePssLevel, pssVersion, type PssCapabilities, type PssLevel } from './pss/pss-version.js';
import { checkPodSecurityStandards, ENFORCE_LABEL, pssPolicyFor } from './pss-findings.js';
import { checkPodSecurity } from './security-context-checks.js';

/** The annotation that ignores checks for one object: `bulwark.dev/ignore: k8s/host-port,pss/hostPorts`. */
export const IGNORE_ANNOTATION = 'bulwark.dev/ignore';

/** Returns every rule the Kubernetes scanner can report, sorted by ID. */
export function kubernetesRules(): RuleMetadata[] {
  return [...SECURITY_CONTEXT_RULES, ...NETWORK_POLICY_RULES, ...pssRules()].sort((a, b) => a.id.localeCompare(b.id));
}

let rulesById: Map<string, RuleMetadata> | undefined;

function ruleFor(id: string): RuleMetadata {
  rulesById ??= new Map(kubernetesRules().map((rule) => [rule.id, rule]));
  const rule = rulesById.get(id);
  if (rule === undefined) throw new Error(`rule ${id} has no metadata`);
  return rule;
}

/** The Kubernetes manifest checker of `bulwark config`. */
export const kubernetesScanner: ConfigScanner = {
  id: 'kubernetes',
  claims: (path) => /\.(ya?ml|json)$/i.test(path),
  rules: kubernetesRules,
  scan: async (files: ConfigFile[], options: ConfigScanOptions) => scanManifests(files, options.settings),
};

const SETTINGS_KEYS = ['pssLevel', 'pssVersion'];

/**
 * Reads the `kubernetes:` section of `.bulwark.yaml` (`pssLevel`, `pssVersion`). As for the other
 * sections, an unknown key or a wrong value becomes a diagnostic and the key is ignored.
 */
function readKubernetesSettings(settings: BulwarkSettings): { level?: PssLevel; version?: PssCapabilities; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (message: string) => diagnostics.push({ target: '.bulwark.yaml', code: 'FORMAT_INVALID', message: `kubernetes.${message}` });
  const section = settings.kubernetes;
  const result: { level?: PssLevel; version?: PssCapabilities; diagnostics: Diagnostic[] } = { diagnostics };

  for (const key of Object.keys(section)) if (!SETTINGS_KEYS.includes(key)) report(`${key}: unknown key; expected one of ${SETTINGS_KEYS.join(', ')}`);

  const { pssLevel, pssVersion: version } = section;
  if (pssLevel !== undefined && pssLevel !== null) {
    const level = parsePssLevel(pssLevel);
    if (level === undefined) report(`pssLevel: must be baseline, restricted or privileged, not ${JSON.stringify(pssLevel)}; Pod Security Standards were not checked`);
    else result.level = level;
  }
  if (version !== undefined && version !== null) {
    try {
      result.version = pssVersion(String(version));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      report(`pssVersion: ${error.message}; checking against latest`);
    }
  }
  return result;
}

/**
 * Checks Kubernetes manifests: security contexts of every pod template, Pod Security Standards
 * (when the settings or a Namespace label name a level), Namespaces without an enforce label, and
 * NetworkPolicies across all files. Returns one result per file that contains a Kubernetes object or
 * could not be parsed, sorted by path.
 */
export function scanManifests(files: readonly ConfigFile[], settings: BulwarkSettings): ConfigFileResult[] {
  const pss = readKubernetesSettings(settings);
  const objects: K8sObject[] = [];
  const diagnosticsByFile = new Map<string, Diagnostic[]>();
  const filesWithObjects = new Set<string>();
  for (const file of files) {
    const parsed = parseManifest(file.path, file.content);
    objects.push(...parsed.objects);
    if (parsed.objects.length > 0) filesWithObjects.add(file.path);
    if (parsed.diagnostics.length > 0) diagnosticsByFile.set(file.path, parsed.diagnostics);
  }
  const report = (path: string, diagnostic: Diagnostic) => {
    const list = diagnosticsByFile.get(path) ?? [];
    list.push(diagnostic);
    diagnosticsByFile.set(path, list);
  };

  const network = buildNetworkModel(objects);
  const serviceAccountsWithoutToken = new Set(
    objects.filter((object) => object.kind === 'ServiceAccount' && object.value.automountServiceAccountToken === false).map((object) => `${object.namespace ?? DEFAULT_NAMESPACE}/${object.name}`),
  );

  const drafts: FindingDraft[] = [];
  for (const object of objects) {
    if (object.kind === 'Namespace' && object.labels[ENFORCE_LABEL] === undefined) {
      drafts.push({ ruleId: 'k8s/namespace-pss-label', object, field: ['metadata', 'labels'], message: `Namespace "${object.name}" has no ${ENFORCE_LABEL} label, so the cluster default level applies` });
    }
    const pod = podTemplateOf(object);
    if (pod === undefined) continue;
    const namespace = object.namespace ?? DEFAULT_NAMESPACE;
    const account = typeof pod.spec.serviceAccountName === 'string' ? pod.spec.serviceAccountName : 'default';
    drafts.push(...checkPodSecurity(pod, { serviceAccountDisablesToken: serviceAccountsWithoutToken.has(`${namespace}/${account}`) }));

    const policyOptions: Parameters<typeof pssPolicyFor>[0] = { diagnostics: [] };
    if (pss.level !== undefined) policyOptions.level = pss.level;
    if (pss.version !== undefined) policyOptions.version = pss.version;
    const namespaceObject = network.namespaceObjects.get(namespace);
    if (namespaceObject !== undefined) policyOptions.namespace = namespaceObject;
    const policy = pssPolicyFor(policyOptions);
    // A bad label is reported once, on the Namespace, not once per pod.
    for (const diagnostic of policyOptions.diagnostics) if (!(diagnosticsByFile.get(diagnostic.target) ?? []).some((known) => known.message === diagnostic.message)) report(diagnostic.target, diagnostic);
    if (policy !== undefined) drafts.push(...checkPodSecurityStandards(pod, policy));
  }
  drafts.push(...checkNetworkPolicies(network));
  for (const policy of network.policies) {
    for (const problem of policy.problems) {
      const line = policy.object.locate(problem.field).startLine;
      report(policy.object.path, { target: policy.object.path, code: 'FORMAT_INVALID', message: `NetworkPolicy "${policy.object.name}" line ${line}, ${formatFieldPath(problem.field)}: ${problem.message}` });
    }
  }

  const findingsByFile = new Map<string, Misconfiguration[]>();
  for (const draft of drafts) {
    const finding = toMisconfiguration(draft, settings);
    if (finding === undefined) continue;
    const list = findingsByFile.get(draft.object.path) ?? [];
    list.push(finding);
    findingsByFile.set(draft.object.path, list);
  }

  const paths = [...new Set([...filesWithObjects, ...diagnosticsByFile.keys()])].sort();
  const results: ConfigFileResult[] = paths.map((path) => ({
    path,
    type: 'kubernetes',
    misconfigurations: (findingsByFile.get(path) ?? []).sort(compareFindings),
    diagnostics: diagnosticsByFile.get(path) ?? [],
  }));
  // Settings problems go with the first result, as the Dockerfile scanner reports its own.
  results[0]?.diagnostics.unshift(...pss.diagnostics);
  return results;
}

/** Applies rule metadata, severity overrides and ignores; returns undefined for an ignored finding. */
function toMisconfiguration(draft: FindingDraft, settings: BulwarkSettings): Misconfiguration | undefined {
  const rule = ruleFor(draft.ruleId);
  const ids = [rule.id, ...rule.aliases];
  if (ids.some((id) => settings.ignore.includes(id))) return undefined;
  if (ignoredByAnnotation(draft.object, ids)) return undefined;
  return {
    id: rule.id,
    aliases: rule.aliases,
    // An override may name the rule or one of its aliases (KSV009, hostNetworkSet), as ignores may.
    severity: ids.map((id) => settings.severity[id]).find((level) => level !== undefined) ?? rule.severity,
    title: rule.title,
    message: draft.message,
    location: draft.object.locate(draft.field),
    object: objectRef(draft.object, draft.field, draft.container),
    resolution: rule.resolution,
    references: rule.helpUri === undefined ? [] : [rule.helpUri],
  };
}

/**
 * True when the object's `bulwark.dev/ignore` annotation, or that of its pod template, names the
 * rule or one of its aliases. An entry ending in `*` ignores every ID with that prefix (`pss/*`).
 */
function ignoredByAnnotation(object: K8sObject, ids: string[]): boolean {
  const values = [object.annotations[IGNORE_ANNOTATION], podTemplateOf(object)?.annotations[IGNORE_ANNOTATION]];
  for (const value of values) {
    if (value === undefined) continue;
    for (const entry of value.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
      if (entry.endsWith('*') ? ids.some((id) => id.startsWith(entry.slice(0, -1))) : ids.includes(entry)) return true;
    }
  }
  return false;
}

function compareFindings(a: Misconfiguration, b: Misconfiguration): number {
  return (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) || a.id.localeCompare(b.id) || (a.object?.container ?? '').localeCompare(b.object?.container ?? '') || a.message.localeCompare(b.message);
}
