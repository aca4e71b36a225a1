/**
 * Real registry parts for tests, all on 127.0.0.1: the Debian `docker-registry` binary
 * (distribution 2.8) with optional htpasswd or token auth, a JWT token server for it, and a
 * helper that builds small images with umoci and pushes them with skopeo.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, sign, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** Returns the skip message for tests that need the registry tools, or false when all are installed. */
export function registryToolsSkip(): string | false {
  const tools = [REGISTRY_BINARY, '/usr/bin/skopeo', '/usr/bin/umoci', '/usr/bin/openssl', '/usr/bin/htpasswd'];
  const missing = tools.filter((tool) => !existsSync(tool));
  return missing.length === 0 ? false : `registry tools not installed: ${missing.join(', ')} (apt-get install docker-registry skopeo umoci openssl apache2-utils)`;
}

export interface StartRegistryOptions {
  /** Users and passwords for htpasswd (bcrypt) Basic auth. */
  htpasswd?: Record<string, string>;
  /** Token auth settings, usually from `startTokenServer`. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export interface RunningRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts `docker-registry serve` with storage in a new temporary folder and waits until `/v2/`
 * responds. `stop()` kills it and removes the folder.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
  ];
  if (options.htpasswd !== undefined) {
    const file = join(dir, 'htpasswd');
    await writeFile(file, '');
    for (const [user, password] of Object.entries(options.htpasswd)) {
      await run('htpasswd', ['-B', '-b', file, user, password]);
    }
    lines.push('auth:', '  htpasswd:', '    realm: bulwark-test', `    path: ${file}`);
  }
  if (options.token !== undefined) {
    const { realm, service, issuer, rootCertBundle } = options.token;
    lines.push('auth:', '  token:', `    realm: ${realm}`, `    service: ${service}`, `    issuer: ${issuer}`, `    rootcertbundle: ${rootCertBundle}`);
  }
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, `${lines.join('\n')}\n`);

  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    await killChild(child);
    await rm(dir, { recursive: true, force: true });
  };

  // Bounded wait: 100 tries of 100 ms.
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) break;
    const status = await probe(`http://${host}/v2/`);
    if (status === 200 || status === 401) return { host, url: `http://${host}`, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`docker-registry did not respond on ${host}; its stderr: ${stderr}`);
}

function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(1000, () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export interface TokenServerOptions {
  /** Users and passwords accepted with Basic auth on GET. */
  users: Record<string, string>;
  /** OAuth2 refresh tokens accepted on POST, mapped to the user they stand for. */
  refreshTokens?: Record<string, string>;
  /** The `expires_in` of issued tokens, in seconds. Default: 300. */
  expiresIn?: number;
  /** Respond with `access_token` instead of `token`. */
  useAccessTokenField?: boolean;
}

export interface RunningTokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate whose key signs the tokens, for the registry's `rootcertbundle`. */
  rootCertBundle: string;
  /** Every token request received, in order. */
  requests: Array<{ method: string; user?: string; scope?: string }>;
  stop(): Promise<void>;
}

/**
 * Starts a token server of the distribution token spec on 127.0.0.1. It signs RS256 JWTs with a
 * key and self-signed certificate made by the `openssl` CLI, and puts the certificate in the
 * `x5c` header, which distribution 2.8 checks against its `rootcertbundle`. Anonymous clients
 * get `pull`; known users get every action they ask for; a wrong password gets 401.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=bulwark-test-token-issuer']);
  const privateKey = createPrivateKey(await readFile(keyPath));
  const certPem = await readFile(certPath, 'utf8');
  const certDer = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

  const service = 'bulwark-test-registry';
  const issuer = 'bulwark-test-issuer';
  const requests: RunningTokenServer['requests'] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let user: string | undefined;
      let scope: string | null;
      if (req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        scope = form.get('scope');
        user = options.refreshTokens?.[form.get('refresh_token') ?? ''];
        if (form.get('grant_type') !== 'refresh_token' || user === undefined) return deny(res);
      } else {
        scope = url.searchParams.get('scope');
        const header = req.headers.authorization;
        if (header !== undefined) {
          const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          user = decoded.slice(0, colon);
          if (!header.startsWith('Basic ') || options.users[user] !== decoded.slice(colon + 1)) return deny(res);
        }
      }
      requests.push({ method: req.method ?? '', user, scope: scope ?? undefined });

      const access = parseScope(scope, user !== undefined);
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn ?? 300;
      const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access };
      const token = signJwt({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }, claims, privateKey);
      const body = options.useAccessTokenField ? { access_token: token, expires_in: expiresIn } : { token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  const port = await listen(server);
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle: certPath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function deny(res: http.ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ details: 'invalid username or password' }));
}

function parseScope(scope: string | null, authenticated: boolean): Array<{ type: string; name: string; actions: string[] }> {
  if (scope === null) return [];
  const [type, name, actions] = scope.split(':');
  if (type !== 'repository' || name === undefined || actions === undefined) return [];
  const granted = actions.split(',').filter((action) => authenticated || action === 'pull');
  return [{ type, name, actions: granted }];
}

function signJwt(header: object, claims: object, key: ReturnType<typeof createPrivateKey>): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

/** Listens on a free port of 127.0.0.1 and returns the port. */
export function listen(server: http.Server | net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

export interface TestImage {
  /** The tag inside the OCI layout, also used as the platform's architecture. */
  architecture: string;
  variant?: string;
  /** Files of the single layer, by path relative to the root. */
  files: Record<string, string>;
}

/**
 * Builds images in a new OCI layout with umoci (one layer each, rootless) and returns the layout
 * path. Tags are the architectures.
 */
export async function buildLayout(dir: string, images: TestImage[]): Promise<string> {
  const layout = join(dir, 'layout');
  await run('umoci', ['init', '--layout', layout]);
  for (const image of images) {
    const tag = image.architecture;
    const bundle = join(dir, `bundle-${tag}`);
    await run('umoci', ['new', '--image', `${layout}:${tag}`]);
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
    for (const [path, content] of Object.entries(image.files)) {
      const target = join(bundle, 'rootfs', path);
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, content);
    }
    await run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
    await run('umoci', ['config', '--image', `${layout}:${tag}`, '--os', 'linux', '--architecture', image.architecture, '--config.cmd', '/bin/sh']);
    await rm(bundle, { recursive: true, force: true });
  }
  return layout;
}

/**
 * Adds an OCI index named `tag` to a layout, listing the layout's images with their platforms,
 * so `skopeo copy --all` pushes it as a multi-platform image.
 */
export async function addIndexToLayout(layout: string, tag: string, images: TestImage[]): Promise<string> {
  const indexPath = join(layout, 'index.json');
  const top = JSON.parse(await readFile(indexPath, 'utf8')) as { manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }> };
  const manifests = images.map((image) => {
    const entry = top.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === image.architecture);
    if (entry === undefined) throw new Error(`layout ${layout} has no image tagged ${image.architecture}`);
    const platform = { os: 'linux', architecture: image.architecture, ...(image.variant !== undefined && { variant: image.variant }) };
    return { mediaType: entry.mediaType, digest: entry.digest, size: entry.size, platform };
  });
  const content = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  const hex = createHash('sha256').update(content).digest('hex');
  await writeFile(join(layout, 'blobs', 'sha256', hex), content);
  top.manifests.push({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: content.length, annotations: { 'org.opencontainers.image.ref.name': tag } });
  await writeFile(indexPath, JSON.stringify(top));
  return `sha256:${hex}`;
}

export interface PushOptions {
  /** Copy every image of an index (`skopeo copy --all`). */
  all?: boolean;
  /** Convert to Docker schema 2 media types (`--format v2s2`). */
  dockerFormat?: boolean;
  /** `user:password` for the destination registry. */
  credentials?: string;
}

/** Pushes `oci:<layout>:<tag>` to `docker://<destination>` with skopeo over plain HTTP. */
export async function pushImage(layout: string, tag: string, destination: string, options: PushOptions = {}): Promise<void> {
  const args = ['copy', '--quiet', '--dest-tls-verify=false'];
  if (options.all) args.push('--all');
  if (options.dockerFormat) args.push('--format', 'v2s2');
  if (options.credentials !== undefined) args.push('--dest-creds', options.credentials);
  args.push(`oci:${layout}:${tag}`, `docker://${destination}`);
  await run('skopeo', args);
}
