import type { Instruction, ParsedDockerfile, ScriptLine } from './model.js';

/** Shells whose scripts ShellCheck reads, by executable name. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh']);

/** Returns the shell name of an instruction's SHELL (`sh`, `bash`, `pwsh`…). */
export function shellName(instruction: Instruction): string {
  const executable = instruction.shell[0] ?? '/bin/sh';
  return executable.slice(executable.lastIndexOf('/') + 1).replace(/\.exe$/i, '').toLowerCase();
}

/** True when shell-form commands of this instruction run in a POSIX shell. */
export function runsInPosixShell(instruction: Instruction): boolean {
  return POSIX_SHELLS.has(shellName(instruction));
}

/** A command line that only starts a POSIX shell, with option flags, which then reads a heredoc. */
const SHELL_COMMAND = /^(\/usr)?(\/bin\/)?(sh|bash|dash|ksh)(\s+-[a-z]+)*$/;

/**
 * Returns the shell script that a shell-form RUN runs, line by line with the Dockerfile line of each,
 * so findings on the script map back to the file. Continuation lines stay as they are, because the
 * shell joins `\`-newline the same way. Comment and blank lines inside a continuation become a lone
 * `\`, so the shell keeps joining. `RUN <<EOF` with no command, or with only a shell such as `bash -e`, runs the heredoc body as the script.
 * Returns undefined for exec-form RUN, other instructions and bodies with a non-shell `#!` line.
 */
export function runScript(file: ParsedDockerfile, instruction: Instruction): ScriptLine[] | undefined {
  if (instruction.keyword !== 'RUN' || instruction.json !== undefined) return undefined;

  const commandOnly = instruction.text.replace(/(?<!<)<<-?\s*(["']?)[A-Za-z_][\w.-]*\1/g, '').trim();
  const first = instruction.heredocs[0];
  // `RUN <<EOF bash` and `RUN bash -e <<EOF` run the body in that shell, like a bare `RUN <<EOF`.
  const shellOnly = SHELL_COMMAND.test(commandOnly);
  if (first !== undefined && shellOnly) return first.body.split('\n').map((text, index) => ({ text, line: first.bodyStartLine + index }));
  if (first !== undefined && commandOnly === '') {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first.body);
    if (shebang !== null) {
      const interpreter = (shebang[1]?.endsWith('/env') ? shebang[2] : shebang[1]) ?? '';
      if (!POSIX_SHELLS.has(interpreter.slice(interpreter.lastIndexOf('/') + 1))) return undefined;
    }
    return first.body.split('\n').map((text, index) => ({ text, line: first.bodyStartLine + index }));
  }

  const lastLine = lastScriptLine(instruction);
  const script: ScriptLine[] = [];
  for (let line = instruction.startLine; line <= lastLine; line++) {
    let text = file.lines[line - 1] ?? '';
    if (line === instruction.startLine) text = stripRunPrefix(text, { onbuild: instruction.onbuild });
    else if (instruction.heredocs.length === 0 || line <= (instruction.heredocs[0]?.bodyStartLine ?? 0) - 1) {
      if (text.trim() === '' || text.trimStart().startsWith('#')) text = '\\';
    }
    if (file.escape !== '\\' && text.trimEnd().endsWith(file.escape)) text = `${text.trimEnd().slice(0, -1)}\\`;
    script.push({ text, line });
  }
  return script;
}

function lastScriptLine(instruction: Instruction): number {
  const last = instruction.heredocs.at(-1);
  if (last === undefined) return instruction.endLine;
  return last.bodyStartLine + last.body.split('\n').length - (last.terminated ? 0 : 1);
}

function stripRunPrefix(line: string, options: { onbuild: boolean }): string {
  let rest = line.replace(options.onbuild ? /^\s*ONBUILD\s+RUN\b\s*/i : /^\s*RUN\b\s*/i, '');
  for (;;) {
    const flag = /^--[A-Za-z][\w-]*(=("[^"]*"|'[^']*'|\S)*)?\s*/.exec(rest);
    if (flag === null) return rest;
    rest = rest.slice(flag[0].length);
  }
}
