import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Returns a skip message for `it(name, { skip })` when the openssl binary cannot run, else false. */
export function opensslMissing(): string | false {
  const result = spawnSync('openssl', ['version']);
  return result.error === undefined && result.status === 0 ? false : 'openssl is not installed (apt-get install openssl)';
}

/** Runs openssl and throws with its stderr when it fails. */
function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr ?? result.error?.message}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Creates a self-signed server certificate for 127.0.0.1 in `dir`; returns the paths and the PEM text. */
export function createServerCertificate(dir: string): { certPath: string; keyPath: string; cert: string; key: string } {
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  openssl(['req', '-x509', ...EC_KEY, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath]);
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/**
 * Creates a CA named `name` and a client certificate (CN=kube-apiserver, extended key usage
 * clientAuth) that it signed, as a cluster admin does for the API server's webhook kubeconfig.
 */
export function createClientIdentity(dir: string, name: string): { caPath: string; ca: string; cert: string; key: string } {
  const file = (suffix: string) => join(dir, `${name}-${suffix}`);
  writeFileSync(file('ext.cnf'), 'extendedKeyUsage = clientAuth\n');
  openssl(['req', '-x509', ...EC_KEY, '-days', '1', '-subj', `/CN=${name} CA`, '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=kube-apiserver', '-keyout', file('client.key'), '-out', file('client.csr')]);
  openssl(['x509', '-req', '-in', file('client.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', file('ext.cnf'), '-out', file('client.crt')]);
  return { caPath: file('ca.crt'), ca: readFileSync(file('ca.crt'), 'utf8'), cert: readFileSync(file('client.crt'), 'utf8'), key: readFileSync(file('client.key'), 'utf8') };
}
