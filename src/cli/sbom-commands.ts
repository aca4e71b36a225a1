import type { Command } from 'commander';

/** Adds the sbom command (SBOM input scans). */
export function addSbomCommands(program: Command, setExitCode: (code: number) => void): void {
  // Filled in by the feature that owns these commands.
  void program;
  void setExitCode;
}
