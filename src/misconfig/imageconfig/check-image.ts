import type { Diagnostic } from '../../model/diagnostic.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import { compareText } from '../../scan/assemble-inventory.js';
import type { BulwarkSettings } from '../settings.js';
import { checkHealthcheck, checkUser, checkVolumes } from './config-checks.js';
import { checkFiles } from './file-checks.js';
import { checkHiddenFiles } from './hidden-files.js';
import { MAX_HISTORY_ENTRIES, readHistory } from './history.js';
import { checkAddUrl, checkBaseImage, checkSudoInHistory } from './history-checks.js';
import type { ImageCheckInput } from './input.js';
import { checkEnvironment, checkHistorySecrets, checkLabels } from './secret-checks.js';

/** The findings of the image checks, and the problems that kept part of the input from being checked. */
export interface ImageCheckResult {
  misconfigurations: Misconfiguration[];
  diagnostics: Diagnostic[];
}

/**
 * Checks an image's config, history and final file system the way dockle does. The checks cover
 * the default user, the health check, secrets in the environment, labels and history, the base
 * image tag, ADD from URLs, sudo, setuid and setgid files, package caches and credential files
 * (also those that a later layer deletes, when `input.layers` is given).
 * Findings come back sorted, without the rules that `settings.ignore` names (by ID or dockle
 * code), and with `settings.severity` overrides applied.
 */
export function checkImage(input: ImageCheckInput): ImageCheckResult {
  const { config } = input;
  const target = `${input.name} (image config)`;
  const diagnostics: Diagnostic[] = [];
  const history = readHistory(config, input.layerDiffIds.length);

  const historyLength = Array.isArray(config.history) ? config.history.length : 0;
  if (historyLength > MAX_HISTORY_ENTRIES) {
    diagnostics.push({ target, code: 'LIMIT_EXCEEDED', message: `the history has ${historyLength} entries; only the first ${MAX_HISTORY_ENTRIES} were checked` });
  }
  if (historyLength > 0 && !history.layersMapped) {
    diagnostics.push({
      target,
      code: 'FORMAT_INVALID',
      message: `the history has ${history.layerSteps} entries that create layers but the image has ${input.layerDiffIds.length} layers, so findings name layers without the step that created them and setuid files are not split by base image`,
    });
  }

  const files = checkFiles(input.entries, { name: input.name, history, layerDiffIds: input.layerDiffIds, ...(input.inventory ? { inventory: input.inventory } : {}) });
  diagnostics.push(...files.diagnostics);

  const found = [
    ...checkUser(config),
    ...checkHealthcheck(config),
    ...checkVolumes(config),
    ...checkEnvironment(config),
    ...checkLabels(config),
    ...checkHistorySecrets(history, config),
    ...checkBaseImage(history, config),
    ...checkAddUrl(history),
    ...checkSudoInHistory(history),
    ...files.misconfigurations,
    ...(input.layers ? checkHiddenFiles(input.layers, files.visible, history, input.layerDiffIds) : []),
  ];

  const misconfigurations = applySettings(found, input.settings);
  misconfigurations.sort((a, b) => compareText(a.id, b.id) || compareText(a.location?.path ?? '', b.location?.path ?? '') || compareText(a.message, b.message));
  return { misconfigurations, diagnostics };
}

/** Drops ignored rules and applies severity overrides, matching a rule by its ID or any alias. */
function applySettings(findings: Misconfiguration[], settings: BulwarkSettings): Misconfiguration[] {
  const ignored = new Set(settings.ignore);
  const remaining: Misconfiguration[] = [];
  for (const finding of findings) {
    const names = [finding.id, ...finding.aliases];
    if (names.some((name) => ignored.has(name))) continue;
    const override = names.map((name) => (Object.hasOwn(settings.severity, name) ? settings.severity[name] : undefined)).find((severity) => severity !== undefined);
    remaining.push(override ? { ...finding, severity: override } : finding);
  }
  return remaining;
}
