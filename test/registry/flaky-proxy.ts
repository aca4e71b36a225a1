/**
 * An HTTP proxy on 127.0.0.1 that sits in front of a real registry and injects faults into
 * chosen requests: error statuses, dropped connections, stalls, corrupt or truncated bodies, and
 * canned responses. Every fault fires a fixed number of times, so retry loops end by themselves.
 */
import http from 'node:http';
import { listen } from '../helpers/registry-server.js';

export type FaultAction =
  /** Respond with `status`, `headers` and a distribution error body. */
  | { type: 'status'; status: number; headers?: Record<string, string> }
  /** Close the connection before any response. */
  | { type: 'drop' }
  /** Read the request and never respond, so the client's idle timeout must end it. */
  | { type: 'stall' }
  /** Forward, then flip one byte of the response body. */
  | { type: 'corrupt' }
  /** Forward, send the full Content-Length but only half the body, then close. */
  | { type: 'truncate' }
  /** Respond with a canned response instead of forwarding. */
  | { type: 'respond'; status: number; headers: Record<string, string>; body: Buffer };

export interface Fault {
  method?: string;
  /** A pattern the request path must match. */
  path: RegExp;
  action: FaultAction;
  /** How many matching requests the fault applies to. Default: 1. */
  times?: number;
}

export interface FlakyProxy {
  /** `127.0.0.1:<port>` */
  host: string;
  /** Adds a fault. Faults are checked in the order they were added. */
  inject(fault: Fault): void;
  /** Every request seen, as `METHOD path`. */
  readonly log: string[];
  stop(): Promise<void>;
}

export async function startFlakyProxy(upstreamHost: string): Promise<FlakyProxy> {
  const faults: Array<Fault & { remaining: number }> = [];
  const log: string[] = [];
  const stalled = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    log.push(`${req.method} ${path}`);
    const fault = faults.find((f) => f.remaining > 0 && f.path.test(path) && (f.method === undefined || f.method === req.method));
    if (fault !== undefined) fault.remaining -= 1;
    const action = fault?.action;

    switch (action?.type) {
      case 'status': {
        req.resume();
        const body = JSON.stringify({ errors: [{ code: 'INJECTED', message: `injected status ${action.status}` }] });
        res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
        res.end(body);
        return;
      }
      case 'drop':
        req.socket.destroy();
        return;
      case 'stall':
        req.resume();
        stalled.add(res);
        return;
      case 'respond':
        req.resume();
        res.writeHead(action.status, { 'content-length': String(action.body.length), ...action.headers });
        res.end(action.body);
        return;
      default:
        forward(req, res, upstreamHost, action?.type);
    }
  });

  const port = await listen(server);
  return {
    host: `127.0.0.1:${port}`,
    inject: (fault) => faults.push({ ...fault, remaining: fault.times ?? 1 }),
    log,
    stop: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, upstreamHost: string, mangle: 'corrupt' | 'truncate' | undefined): void {
  const [hostname, port] = upstreamHost.split(':') as [string, string];
  // The Host header stays the proxy's, so Location headers the registry builds point back here.
  const upstream = http.request({ hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (upstreamRes) => {
    if (mangle === undefined) {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstreamRes.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(upstreamRes.statusCode ?? 502, { ...upstreamRes.headers, 'content-length': String(body.length) });
      if (mangle === 'corrupt') {
        if (body.length > 0) body[Math.floor(body.length / 2)] = body[Math.floor(body.length / 2)]! ^ 0xff;
        res.end(body);
      } else {
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      }
    });
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}
