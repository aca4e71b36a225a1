/**
 * Runs a Python script under Debian's /usr/bin/python3 (not a pyenv shim on PATH) that reads one
 * JSON value per line on stdin and prints one JSON value per line.
 */
import { spawnSync } from 'node:child_process';

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Returns false, or a skip message when the system Python cannot import the module. */
export function skipUnlessPythonModule(module: string, debianPackage: string): string | false {
  const result = spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`]);
  if (result.status === 0) return false;
  return `${SYSTEM_PYTHON} cannot import ${module}; install it with apt-get install ${debianPackage}`;
}

/** Sends each input as a JSON line to the script and returns the parsed output lines. */
export function runPythonLines(script: string, inputs: readonly unknown[]): unknown[] {
  const input = inputs.map((value) => JSON.stringify(value)).join('\n') + '\n';
  const result = spawnSync(SYSTEM_PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${SYSTEM_PYTHON} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
}
