import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import { UsageError } from '../../errors.js';
import type { RuntimeEvent } from '../fields/field-types.js';
import { eventsFromJson } from './json-events.js';

/** Falco's default path for the audit webhook (`webserver.k8s_audit_endpoint`). */
export const DEFAULT_AUDIT_PATH = '/k8s-audit';
/** The maximum size of one webhook request body. The API server batches events, 16 MiB leaves room. */
export const MAX_AUDIT_BODY_BYTES = 16 * 1024 * 1024;

export interface AuditWebhookOptions {
  /** `host:port` to listen on; port 0 picks a free port. */
  listen: string;
  /** PEM certificate chain and private key of the server. */
  cert: string | Buffer;
  key: string | Buffer;
  /**
   * PEM CA certificates for client certificates. When given, the server requires a client
   * certificate signed by one of them (mutual TLS), as the API server's webhook kubeconfig can
   * present. It closes the connection of any other client before reading a request.
   */
  clientCa?: string | Buffer;
  /** Called for each failed TLS handshake and each connection closed for its client certificate. */
  onTlsError?: (message: string) => void;
  /** The request path. Default: `/k8s-audit`. */
  path?: string;
  onEvent: (event: RuntimeEvent) => void;
  /** Called for each rejected request body, with the reason. */
  onMalformed: (message: string) => void;
}

/** A running webhook endpoint. */
export interface AuditWebhook {
  /** The bound address, with the port chosen when `listen` gave port 0. */
  address: { host: string; port: number };
  close(): Promise<void>;
}

function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new UsageError(`invalid listen address '${listen}': use host:port, such as 127.0.0.1:9765`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/**
 * Starts an HTTPS endpoint for the Kubernetes API server's audit webhook backend. Each POST carries
 * an audit.k8s.io EventList (or one Event) as JSON; its events go to `onEvent` and the response is
 * 200. Bodies that are too large or not audit JSON get 413 or 400 and are reported to `onMalformed`.
 */
export async function startAuditWebhook(options: AuditWebhookOptions): Promise<AuditWebhook> {
  const { host, port } = parseListen(options.listen);
  const path = options.path ?? DEFAULT_AUDIT_PATH;
  // Node's own rejectUnauthorized closes a client with a certificate from another CA without an
  // error event, so the check is done in 'secureConnection' below, where it can be reported.
  const requireClientCert = options.clientCa !== undefined;
  const tls = requireClientCert ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: false } : {};
  const server: Server = createServer({ cert: options.cert, key: options.key, ...tls }, (request, response) => {
    if (requireClientCert && !(request.socket as TLSSocket).authorized) {
      response.writeHead(403, { Connection: 'close' }).end();
      return;
    }
    const requestPath = (request.url ?? '').split('?')[0];
    if (requestPath !== path) {
      response.writeHead(404).end();
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_AUDIT_BODY_BYTES) {
        options.onMalformed(`request body is larger than ${MAX_AUDIT_BODY_BYTES} bytes`);
        response.writeHead(413, { Connection: 'close' }).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_AUDIT_BODY_BYTES) return;
      let document: unknown;
      try {
        document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        options.onMalformed(`invalid JSON: ${(error as Error).message}`);
        response.writeHead(400).end('invalid JSON\n');
        return;
      }
      // Flat objects get no source here, so only audit Events and EventLists pass the check below.
      const events = eventsFromJson(document, '');
      if (typeof events === 'string' || events.some((event) => event.source !== 'k8s_audit')) {
        const message = typeof events === 'string' ? events : 'expected an audit.k8s.io Event or EventList';
        options.onMalformed(message);
        response.writeHead(400).end(`${message}\n`);
        return;
      }
      for (const event of events) options.onEvent(event);
      response.writeHead(200).end();
    });
  });
  if (requireClientCert) {
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.authorized) return;
      const peer = `${socket.remoteAddress ?? 'an unknown address'}:${socket.remotePort ?? 0}`;
      const subject = socket.getPeerCertificate().subject?.CN;
      const reason = subject === undefined ? 'it sent no client certificate' : `its client certificate (CN=${subject}) was rejected: ${socket.authorizationError?.toString() ?? 'unknown error'}`;
      options.onTlsError?.(`closed the connection from ${peer} because ${reason}`);
      socket.destroy();
    });
  }
  server.on('tlsClientError', (error, socket) => {
    options.onTlsError?.(`TLS handshake with ${socket.remoteAddress ?? 'an unknown address'}:${socket.remotePort ?? 0} failed: ${error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: { host, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
