import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { runCredentialHelper } from './credential-helper.js';
import { DOCKER_HUB_REGISTRY, normalizeRegistry } from './reference.js';

/** Credentials for one registry, from options, a Docker config file or a credential helper. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token: `identitytoken` in config.json, or a helper's secret for user `<token>`. */
  identityToken?: string;
  /** A bearer token sent as is: `registrytoken` in config.json. */
  registryToken?: string;
  /** The origin of the credentials, for messages: `options`, a config file path, or a helper name. */
  source: string;
}

export interface DockerCredentialOptions {
  /** The folder holding `config.json`. Default: `$DOCKER_CONFIG`, else `~/.docker`. */
  configDir?: string;
  /** The environment for `DOCKER_CONFIG` and for the helper's `PATH`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** How long a credential helper may run, in milliseconds. Default: 10 000. */
  helperTimeoutMs?: number;
}

export interface CredentialLookup {
  credentials?: RegistryCredentials;
  /** Problems that kept credentials from being read: a bad config file, a missing or failing helper. */
  diagnostics: Diagnostic[];
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

// Docker's config.json is small; a larger file is not a Docker config.
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const DEFAULT_HELPER_TIMEOUT_MS = 10_000;
// Docker stores Docker Hub credentials under its v1 index URL, and helpers expect that server URL.
const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/**
 * Looks up credentials for a registry the way the Docker CLI does: a `credHelpers` entry for the
 * registry runs `docker-credential-<name>`, else `credsStore` runs the default helper, else the
 * `auths` entry is decoded. When a helper has no entry for the registry, the `auths` entry is
 * used if there is one. Problems become diagnostics and the lookup returns no credentials, so the
 * client continues anonymously.
 */
export async function lookupDockerCredentials(registry: string, options: DockerCredentialOptions = {}): Promise<CredentialLookup> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const configPath = join(configDir, 'config.json');
  const diagnostics: Diagnostic[] = [];

  const config = await readDockerConfig(configPath, diagnostics);
  if (config === undefined) return { diagnostics };

  const target = normalizeRegistry(registry);
  const helper = findByRegistry(config.credHelpers, target) ?? config.credsStore;
  if (helper !== undefined && helper !== '') {
    const serverUrl = target === DOCKER_HUB_REGISTRY ? DOCKER_HUB_AUTH_KEY : target;
    const result = await runCredentialHelper(helper, serverUrl, {
      env,
      timeoutMs: options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
    });
    if (result.diagnostic !== undefined) diagnostics.push({ ...result.diagnostic, target: configPath });
    if (result.credentials !== undefined) return { credentials: result.credentials, diagnostics };
  }

  const entry = findByRegistry(config.auths, target);
  if (entry === undefined) return { diagnostics };
  const credentials = decodeAuthEntry(entry, configPath, diagnostics);
  return credentials === undefined ? { diagnostics } : { credentials, diagnostics };
}

/**
 * Converts a config.json key to the registry it names, as Docker's `ConvertToHostname` does:
 * `https://index.docker.io/v1/` becomes `docker.io`, `http://reg.example:5000/v2/` becomes
 * `reg.example:5000`.
 */
export function registryFromConfigKey(key: string): string {
  let host = key.trim().replace(/^https?:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  return normalizeRegistry(host);
}

async function readDockerConfig(path: string, diagnostics: Diagnostic[]): Promise<DockerConfigFile | undefined> {
  let text: string;
  try {
    const content = await readFile(path);
    if (content.length > MAX_CONFIG_BYTES) {
      diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `Docker config is ${content.length} bytes, over the ${MAX_CONFIG_BYTES}-byte maximum; ignoring it` });
      return undefined;
    }
    text = content.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    diagnostics.push({ target: path, code: 'IO', message: `failed to read Docker config: ${errorMessage(error)}` });
    return undefined;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // A hand-edited config.json is user content, so a syntax error becomes a diagnostic.
    diagnostics.push({ target: path, code: 'FORMAT_INVALID', message: `invalid JSON in Docker config (${errorMessage(error)}); continuing without its credentials` });
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    diagnostics.push({ target: path, code: 'FORMAT_INVALID', message: 'Docker config is not a JSON object; continuing without its credentials' });
    return undefined;
  }
  const config = parsed as Record<string, unknown>;
  return {
    auths: isRecord(config.auths) ? (config.auths as DockerConfigFile['auths']) : undefined,
    credHelpers: isRecord(config.credHelpers) ? (config.credHelpers as Record<string, string>) : undefined,
    credsStore: typeof config.credsStore === 'string' ? config.credsStore : undefined,
  };
}

function findByRegistry<T>(entries: Record<string, T> | undefined, registry: string): T | undefined {
  if (entries === undefined) return undefined;
  // Sorting the keys makes the choice deterministic when two keys name the same registry.
  for (const key of Object.keys(entries).sort()) {
    if (registryFromConfigKey(key) === registry) return entries[key];
  }
  return undefined;
}

function decodeAuthEntry(entry: unknown, configPath: string, diagnostics: Diagnostic[]): RegistryCredentials | undefined {
  if (!isRecord(entry)) return undefined;
  const credentials: RegistryCredentials = { source: configPath };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      // The message must not quote the value, because it is a secret.
      diagnostics.push({ target: configPath, code: 'FORMAT_INVALID', message: 'an "auth" value does not decode to "username:password"; ignoring it' });
    } else {
      credentials.username = decoded.slice(0, colon);
      credentials.password = decoded.slice(colon + 1);
    }
  }
  if (typeof entry.username === 'string' && entry.username !== '') credentials.username = entry.username;
  if (typeof entry.password === 'string' && entry.password !== '') credentials.password = entry.password;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') credentials.identityToken = entry.identitytoken;
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') credentials.registryToken = entry.registrytoken;

  const hasAny = credentials.username !== undefined || credentials.identityToken !== undefined || credentials.registryToken !== undefined;
  return hasAny ? credentials : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
