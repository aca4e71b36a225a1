import { BulwarkError, NetworkError, errorMessage } from '../errors.js';
import { parseAuthChallenges, type AuthChallenge } from './auth-challenge.js';
import type { RegistryCredentials } from './docker-config.js';
import { readBody, type HttpRequest, type HttpResponse } from './http-transport.js';

/** Sends one request with retries but without registry authentication, for token requests. */
export type SendFunction = (request: HttpRequest) => Promise<HttpResponse>;

export interface AuthenticatorOptions {
  /** Resolves the credentials for a registry once, on the first challenge. */
  credentials: (registry: string) => Promise<RegistryCredentials | undefined>;
  send: SendFunction;
  /** Allows sending credentials to a token realm over plain HTTP. */
  insecure: boolean;
  /** The `client_id` of OAuth2 refresh-token requests. */
  clientId: string;
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

// The distribution token spec (docs/spec/auth/token.md): tokens without `expires_in` live 60 s.
const DEFAULT_TOKEN_LIFETIME_S = 60;
// Tokens are dropped a little before they expire, so a request does not race the expiry.
const TOKEN_EXPIRY_MARGIN_MS = 5_000;
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/**
 * Handles registry authentication challenges. It remembers the challenge each registry sent, so later requests
 * carry credentials up front: a Basic header, or a Bearer token cached per realm, service and
 * scope until `expires_in` runs out.
 */
export class RegistryAuthenticator {
  private readonly challenges = new Map<string, AuthChallenge>();
  private readonly tokens = new Map<string, CachedToken>();
  private readonly credentialCache = new Map<string, Promise<RegistryCredentials | undefined>>();
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Returns the `Authorization` value for a request to a registry, or undefined when the registry
   * has not challenged yet. Fetches a fresh token when the cached one expired.
   */
  async authorization(registry: string, scope: string): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') return this.basicAuthorization(registry, challenge);
    const cached = this.tokens.get(tokenKey(challenge, scope));
    if (cached !== undefined && cached.expiresAt > this.now()) return `Bearer ${cached.value}`;
    return `Bearer ${await this.fetchToken(registry, challenge, scope)}`;
  }

  /**
   * Handles a 401 from a registry: picks the Bearer or Basic challenge from `WWW-Authenticate`
   * and prepares credentials for the next attempt.
   *
   * @throws {NetworkError} with code AUTH when no supported challenge is offered or the token server rejects the credentials.
   */
  async handleChallenge(registry: string, header: string | undefined, scope: string, url: URL): Promise<void> {
    const challenges = parseAuthChallenges(header ?? '');
    const challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (challenge === undefined) {
      const offered = challenges.map((c) => c.scheme).join(', ') || 'none';
      throw new NetworkError('AUTH', `registry ${registry} returned status 401 for ${url} without a Bearer or Basic challenge (offered: ${offered})`, { status: 401 });
    }
    this.challenges.set(registry, challenge);
    if (challenge.scheme === 'bearer') {
      // The cached token for this scope was just rejected, so fetch a new one.
      this.tokens.delete(tokenKey(challenge, scope));
      await this.fetchToken(registry, challenge, scope);
    } else {
      await this.basicAuthorization(registry, challenge);
    }
  }

  /** Describes the credentials in use for a registry without revealing them, for error messages. */
  async describeCredentials(registry: string): Promise<string> {
    const credentials = await this.credentialsFor(registry);
    if (credentials === undefined) return 'no credentials';
    if (credentials.username !== undefined) return `user "${credentials.username}" from ${credentials.source}`;
    return `a token from ${credentials.source}`;
  }

  private async basicAuthorization(registry: string, challenge: AuthChallenge): Promise<string> {
    const credentials = await this.credentialsFor(registry);
    if (credentials?.username === undefined || credentials.password === undefined) {
      const realm = challenge.params.realm === undefined ? '' : ` (realm "${challenge.params.realm}")`;
      throw new NetworkError('AUTH', `registry ${registry} requires a username and password${realm}; pass --username and --password or run "docker login ${registry}"`, { status: 401 });
    }
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  private async fetchToken(registry: string, challenge: AuthChallenge, scope: string): Promise<string> {
    const credentials = await this.credentialsFor(registry);
    if (credentials?.registryToken !== undefined) return credentials.registryToken;

    const realm = parseRealm(registry, challenge);
    const sendsSecret = credentials !== undefined;
    if (sendsSecret && realm.protocol === 'http:' && !this.options.insecure) {
      throw new NetworkError('AUTH', `token realm ${realm} of registry ${registry} uses plain HTTP, so credentials are not sent; use an HTTPS realm or the insecure option`);
    }

    const service = challenge.params.service;
    const request = credentials?.identityToken === undefined
      ? buildTokenGet(realm, service, scope, credentials)
      : buildRefreshTokenPost(realm, service, scope, credentials.identityToken, this.options.clientId);
    const response = await this.options.send(request);
    const body = await readBody(response, MAX_TOKEN_RESPONSE_BYTES, 'token response');
    if (response.status === 401 || response.status === 403) {
      const who = await this.describeCredentials(registry);
      throw new NetworkError('AUTH', `token server ${realm.origin}${realm.pathname} rejected the request for scope "${scope}" with status ${response.status} using ${who}; check the username and password`, { status: response.status });
    }
    if (response.status !== 200) {
      throw new NetworkError('NETWORK', `token server ${realm.origin}${realm.pathname} returned status ${response.status} for scope "${scope}"`, { status: response.status });
    }

    const token = parseTokenResponse(body, realm);
    this.tokens.set(tokenKey(challenge, scope), {
      value: token.value,
      expiresAt: this.now() + Math.max(0, token.lifetimeSeconds * 1000 - TOKEN_EXPIRY_MARGIN_MS),
    });
    return token.value;
  }

  private credentialsFor(registry: string): Promise<RegistryCredentials | undefined> {
    let pending = this.credentialCache.get(registry);
    if (pending === undefined) {
      pending = this.options.credentials(registry);
      this.credentialCache.set(registry, pending);
    }
    return pending;
  }
}

function tokenKey(challenge: AuthChallenge, scope: string): string {
  return `${challenge.params.realm ?? ''}\n${challenge.params.service ?? ''}\n${scope}`;
}

function parseRealm(registry: string, challenge: AuthChallenge): URL {
  const realm = challenge.params.realm;
  let url: URL | undefined;
  try {
    url = realm === undefined ? undefined : new URL(realm);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new NetworkError('AUTH', `registry ${registry} sent a Bearer challenge with an invalid realm "${realm ?? ''}"; expected an http or https URL`);
  }
  return url;
}

function buildTokenGet(realm: URL, service: string | undefined, scope: string, credentials: RegistryCredentials | undefined): HttpRequest {
  const url = new URL(realm);
  if (service !== undefined) url.searchParams.set('service', service);
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials?.username !== undefined && credentials.password !== undefined) {
    url.searchParams.set('account', credentials.username);
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  return { method: 'GET', url, headers };
}

/** Builds the OAuth2 refresh-token request of the distribution token spec (docs/spec/auth/oauth.md). */
function buildRefreshTokenPost(realm: URL, service: string | undefined, scope: string, refreshToken: string, clientId: string): HttpRequest {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, scope });
  if (service !== undefined) form.set('service', service);
  return {
    method: 'POST',
    url: new URL(realm),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: Buffer.from(form.toString()),
  };
}

function parseTokenResponse(body: Buffer, realm: URL): { value: string; lifetimeSeconds: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    // The body comes from a server, so a syntax error is reported as the package's own error.
    throw new BulwarkError('FORMAT_INVALID', `token server ${realm.origin}${realm.pathname} returned invalid JSON: ${errorMessage(error)}`);
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const value = typeof record.token === 'string' && record.token !== '' ? record.token : record.access_token;
  if (typeof value !== 'string' || value === '') {
    throw new BulwarkError('FORMAT_INVALID', `token server ${realm.origin}${realm.pathname} returned no "token" or "access_token"`);
  }
  const expiresIn = typeof record.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : DEFAULT_TOKEN_LIFETIME_S;
  return { value, lifetimeSeconds: expiresIn };
}
