import type { ImageConfig } from '../artifact/source.js';
import { MAX_CONFIG_ITEMS } from '../misconfig/imageconfig/secret-checks.js';
import { maskSecret, matchSecret } from '../misconfig/imageconfig/secret-patterns.js';
import type { ImageConfigFacts } from '../model/report.js';
import { compareText } from './assemble-inventory.js';

/**
 * Collects the facts of an image config that SBOMs describe. Values of the wrong type are left
 * out, because the config is untrusted input. Environment values and labels that the secret check
 * flags are masked with its mask, so an SBOM carries none of the env or label values that it flags.
 * Entrypoint and command words are masked where they contain a token or a credential.
 */
export function describeImageConfig(config: ImageConfig): ImageConfigFacts {
  const facts: ImageConfigFacts = {};
  const run = config.config ?? {};
  setText(facts, 'architecture', config.architecture);
  setText(facts, 'os', config.os);
  setText(facts, 'variant', config.variant);
  setText(facts, 'created', config.created);
  setText(facts, 'user', run.User);
  setText(facts, 'workingDir', run.WorkingDir);
  setText(facts, 'stopSignal', run.StopSignal);

  const entrypoint = textList(run.Entrypoint).map(maskCommandWord);
  if (entrypoint.length > 0) facts.entrypoint = entrypoint;
  const cmd = textList(run.Cmd).map(maskCommandWord);
  if (cmd.length > 0) facts.cmd = cmd;

  const env = textList(run.Env).map(maskAssignment);
  if (env.length > 0) facts.env = env;

  const ports = isRecord(run.ExposedPorts) ? Object.keys(run.ExposedPorts).slice(0, MAX_CONFIG_ITEMS).sort(compareText) : [];
  if (ports.length > 0) facts.exposedPorts = ports;

  const labels = isRecord(run.Labels) ? Object.entries(run.Labels).slice(0, MAX_CONFIG_ITEMS) : [];
  const maskedLabels = labels
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => ({ key, value: matchSecret(key, value) ? maskSecret(value) : value }))
    .sort((a, b) => compareText(a.key, b.key));
  if (maskedLabels.length > 0) facts.labels = maskedLabels;
  return facts;
}

/** Masks the value of `NAME=value` when the name or value marks a secret. */
function maskAssignment(item: string): string {
  const equals = item.indexOf('=');
  if (equals < 0) return item;
  const name = item.slice(0, equals);
  const value = item.slice(equals + 1);
  return matchSecret(name, value) ? `${name}=${maskSecret(value)}` : item;
}

/** An HTTP authorization header with its credential, as `curl -H` and `wget --header` take it. */
const AUTHORIZATION_HEADER = /\b(authorization:\s*(?:bearer|basic|token)\s+)(\S+)/gi;
/** A command-line option with its value in the same word: `--password=…`, `-Dapi.token=…`. */
const OPTION_ASSIGNMENT = /^(-{1,2}[A-Za-z][\w.-]*)=(.*)$/s;

/**
 * Masks the secrets in one word of an entrypoint or command. The words are kept, because their
 * boundaries matter, but a word in a known token format, the credential of an authorization
 * header and the value of a secret-like `--option=value` are masked.
 */
function maskCommandWord(word: string): string {
  const masked = word.replace(AUTHORIZATION_HEADER, (_, header: string, credential: string) => `${header}${maskSecret(credential)}`);
  const option = OPTION_ASSIGNMENT.exec(masked);
  if (option !== null) {
    const [, flag, value] = option as unknown as [string, string, string];
    return matchSecret(flag, value) ? `${flag}=${maskSecret(value)}` : masked;
  }
  return matchSecret('', masked) ? maskSecret(masked) : masked;
}

type TextFact = 'architecture' | 'os' | 'variant' | 'created' | 'user' | 'workingDir' | 'stopSignal';

function setText(facts: ImageConfigFacts, key: TextFact, value: unknown): void {
  if (typeof value === 'string' && value !== '') facts[key] = value;
}

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.slice(0, MAX_CONFIG_ITEMS).filter((item): item is string => typeof item === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
