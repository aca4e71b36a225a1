import type { Command } from 'commander';

/** Adds the netpol command. */
export function addNetpolCommands(program: Command, setExitCode: (code: number) => void): void {
  // Filled in by the feature that owns these commands.
  void program;
  void setExitCode;
}
