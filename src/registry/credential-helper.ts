import { spawn } from 'node:child_process';
import type { Diagnostic } from '../model/diagnostic.js';
import type { RegistryCredentials } from './docker-config.js';

export interface CredentialHelperOptions {
  /** The environment of the helper process; its `PATH` decides which helper runs. */
  env: NodeJS.ProcessEnv;
  /** How long the helper may run before it is killed, in milliseconds. */
  timeoutMs: number;
}

export interface CredentialHelperResult {
  credentials?: RegistryCredentials;
  /** The reason the helper gave no credentials, absent when it had no entry for this server. */
  diagnostic?: Omit<Diagnostic, 'target'>;
}

// Helper names come from config.json and become part of an executable name, so they must not
// carry path separators.
const HELPER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_OUTPUT_BYTES = 1024 * 1024;
// docker-credential-helpers' `credentials.ErrCredentialsNotFound` message, which a helper prints
// on stdout with exit status 1 when it has no entry for the server.
const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';

/**
 * Runs `docker-credential-<name> get` with the server URL on stdin, following the protocol of
 * github.com/docker/docker-credential-helpers: the helper prints `{"Username", "Secret"}`, and a
 * username of `<token>` means the secret is an identity token.
 */
export function runCredentialHelper(name: string, serverUrl: string, options: CredentialHelperOptions): Promise<CredentialHelperResult> {
  const program = `docker-credential-${name}`;
  if (!HELPER_NAME_RE.test(name)) {
    return Promise.resolve({ diagnostic: { code: 'USAGE', message: `invalid credential helper name "${name}": expected letters, digits, ".", "_" and "-"; continuing without credentials` } });
  }

  return new Promise((resolve) => {
    const child = spawn(program, ['get'], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let settled = false;
    const finish = (result: CredentialHelperResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ diagnostic: { code: 'AUTH', message: `credential helper ${program} timed out after ${options.timeoutMs} ms for ${serverUrl}; continuing without credentials` } });
    }, options.timeoutMs);

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        finish({ diagnostic: { code: 'LIMIT_EXCEEDED', message: `credential helper ${program} wrote over ${MAX_OUTPUT_BYTES} bytes; continuing without credentials` } });
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));

    child.on('error', (error: NodeJS.ErrnoException) => {
      const message = error.code === 'ENOENT'
        ? `credential helper ${program} not found on PATH; install it or remove it from the Docker config; continuing without credentials for ${serverUrl}`
        : `failed to run credential helper ${program}: ${error.message}; continuing without credentials`;
      finish({ diagnostic: { code: 'AUTH', message } });
    });
    // A helper that exits before reading stdin makes the write fail with EPIPE, so only the exit status is checked.
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);

    child.on('close', (status) => {
      const out = Buffer.concat(stdout).toString('utf8').trim();
      if (status !== 0) {
        if (out.includes(NOT_FOUND_MESSAGE)) {
          finish({});
          return;
        }
        // The helper's error output is quoted, cut to 200 characters, because it says what failed.
        const detail = (out || Buffer.concat(stderr).toString('utf8').trim()).slice(0, 200);
        finish({ diagnostic: { code: 'AUTH', message: `credential helper ${program} failed with exit status ${status}: ${detail}; continuing without credentials` } });
        return;
      }
      finish(parseHelperOutput(out, program));
    });
  });
}

function parseHelperOutput(output: string, program: string): CredentialHelperResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    // The output may hold a secret, so the message does not quote it.
    return { diagnostic: { code: 'FORMAT_INVALID', message: `credential helper ${program} printed invalid JSON; continuing without credentials` } };
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const username = typeof record.Username === 'string' ? record.Username : '';
  const secret = typeof record.Secret === 'string' ? record.Secret : '';
  if (secret === '') return {};
  if (username === '<token>') return { credentials: { identityToken: secret, source: program } };
  return { credentials: { username, password: secret, source: program } };
}
