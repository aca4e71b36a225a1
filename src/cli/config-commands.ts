import type { Command } from 'commander';

/** Adds the config command (Dockerfile and Kubernetes checks). */
export function addConfigCommands(program: Command, setExitCode: (code: number) => void): void {
  // TODO: wire `bulwark config` once the Dockerfile and Kubernetes scanners exist.
  void program;
  void setExitCode;
}
