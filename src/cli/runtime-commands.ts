import type { Command } from 'commander';

/** Adds the runtime and rules commands. */
export function addRuntimeCommands(program: Command, setExitCode: (code: number) => void): void {
  // Filled in by the feature that owns these commands.
  void program;
  void setExitCode;
}
