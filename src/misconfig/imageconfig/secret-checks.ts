import type { ImageConfig } from '../../artifact/source.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import type { ImageHistory } from './history.js';
import { imageFinding } from './input.js';
import { maskSecret, matchSecret, type SecretMatch } from './secret-patterns.js';

/** The maximum number of environment variables and of labels read. An image with more is malformed or hostile. */
export const MAX_CONFIG_ITEMS = 10_000;

/** `NAME=value` pairs, with double-quoted, single-quoted or bare values, as history records them. */
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]{0,255})=("(?:[^"\\]|\\.){0,4096}"|'[^']{0,4096}'|\S{0,4096})/g;
/** An ENV or ARG step: `/bin/sh -c #(nop) ENV A=b` (Docker, buildah) or `ENV A=b` (BuildKit). */
const ENV_OR_ARG_STEP = /^(?:\/bin\/sh -c #\(nop\)\s*)?(ENV|ARG)\s+(.*)$/s;
/** The build arguments Docker prefixes to a RUN step: `|2 A=b C=d /bin/sh -c ...`, BuildKit adds `RUN `. */
const RUN_ARGUMENTS = /^(?:RUN )?\|(\d{1,3}) (.*)$/s;

function describe(match: SecretMatch): string {
  return match.reason === 'name' ? 'its name marks a secret' : `the value looks like a ${match.reason}`;
}

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/** Reads up to `limit` leading `NAME=value` pairs of a string. */
function readAssignments(text: string, limit = Infinity): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    if (pairs.length >= limit) break;
    pairs.push([match[1]!, unquote(match[2]!)]);
  }
  return pairs;
}

/** Flags environment variables whose name or value marks a secret. */
export function checkEnvironment(config: ImageConfig): Misconfiguration[] {
  const env = Array.isArray(config.config?.Env) ? config.config.Env.slice(0, MAX_CONFIG_ITEMS) : [];
  const findings: Misconfiguration[] = [];
  for (const item of env) {
    if (typeof item !== 'string') continue;
    const equals = item.indexOf('=');
    const name = equals < 0 ? item : item.slice(0, equals);
    const value = equals < 0 ? '' : item.slice(equals + 1);
    const match = matchSecret(name, value);
    if (match) findings.push(imageFinding('image/secret-in-config', `environment variable ${name} contains a secret (${describe(match)}): ${name}=${maskSecret(value)}`));
  }
  return findings;
}

/** Flags labels whose key or value marks a secret. */
export function checkLabels(config: ImageConfig): Misconfiguration[] {
  const labels = config.config?.Labels;
  if (labels === null || labels === undefined || typeof labels !== 'object') return [];
  const findings: Misconfiguration[] = [];
  for (const [key, value] of Object.entries(labels).slice(0, MAX_CONFIG_ITEMS)) {
    if (typeof value !== 'string') continue;
    const match = matchSecret(key, value);
    if (match) findings.push(imageFinding('image/secret-in-config', `label ${key} contains a secret (${describe(match)}): ${key}=${maskSecret(value)}`));
  }
  return findings;
}

/**
 * Flags secrets that the build history recorded: ENV and ARG steps, and the build arguments Docker
 * prefixes to RUN steps. History keeps them even when a later step overwrote the variable, so a
 * value that the final environment still contains is left to `checkEnvironment` and not repeated.
 * A build argument recorded by several RUN steps gives one finding that lists the entries.
 */
export function checkHistorySecrets(history: ImageHistory, config: ImageConfig): Misconfiguration[] {
  const finalEnv = new Set((Array.isArray(config.config?.Env) ? config.config.Env : []).filter((item) => typeof item === 'string'));
  const found = new Map<string, { source: string; name: string; value: string; match: SecretMatch; entries: number[] }>();

  for (const step of history.steps) {
    const command = step.createdBy.trim();
    let pairs: Array<[string, string]> = [];
    let source = '';
    const envOrArg = ENV_OR_ARG_STEP.exec(command);
    const runArguments = envOrArg ? null : RUN_ARGUMENTS.exec(command);
    if (envOrArg) {
      source = envOrArg[1]!;
      pairs = readAssignments(envOrArg[2]!);
    } else if (runArguments) {
      source = 'build argument of RUN';
      pairs = readAssignments(runArguments[2]!, Number(runArguments[1]));
    }

    for (const [name, value] of pairs) {
      if (finalEnv.has(`${name}=${value}`)) continue;
      const key = `${source}\0${name}\0${value}`;
      const seen = found.get(key);
      if (seen) {
        seen.entries.push(step.index);
        continue;
      }
      const match = matchSecret(name, value);
      if (match) found.set(key, { source, name, value, match, entries: [step.index] });
    }
  }

  return [...found.values()].map(({ source, name, value, match, entries }) => {
    const where = entries.length === 1 ? `history entry ${entries[0]} records` : `history entries ${entries.join(', ')} record`;
    return imageFinding('image/secret-in-config', `${where} a secret in ${source} ${name} (${describe(match)}): ${name}=${maskSecret(value)}`);
  });
}
