import type { IgnorePragma, Instruction, ParsedDockerfile, Stage, SyntaxProblem } from './model.js';
import { splitInstructions, type InstructionSpan } from './split-instructions.js';

/** Every instruction BuildKit's Dockerfile frontend accepts (dockerfile:1 syntax). */
export const KNOWN_INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

const PRAGMA = /^#\s*(hadolint|bulwark)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_\-/, ]+)/i;

/**
 * Parses a Dockerfile into what the rules need: instructions with 1-based lines, joined argument
 * text, flags, exec-form arrays, heredoc bodies, stages, the shell in effect and ignore pragmas.
 * Never throws on user content: problems land in `problems`.
 */
export function parseDockerfile(input: string): ParsedDockerfile {
  const hasByteOrderMark = input.startsWith('\uFEFF');
  let text = hasByteOrderMark ? input.slice(1) : input;
  const crlf = text.indexOf('\r\n');
  const firstCrlfLine = crlf === -1 ? 0 : text.slice(0, crlf).split('\n').length;
  if (crlf !== -1) text = text.replace(/\r\n/g, '\n');

  const lines = text.split('\n');
  const { directives, escape, spans } = splitInstructions(lines);
  const parsed: ParsedDockerfile = {
    text, lines, escape, directives, instructions: [], stages: [], stageIndexByName: new Map(), pragmas: collectPragmas(lines), problems: [], hasByteOrderMark, firstCrlfLine,
  };

  let shell = ['/bin/sh', '-c'];
  for (const span of spans) {
    const instruction = convertInstruction(parsed, span, { onbuild: false });
    if (instruction.keyword === 'FROM') {
      shell = ['/bin/sh', '-c'];
      startStage(parsed, instruction);
    }
    instruction.stage = parsed.stages.length - 1;
    if (instruction.keyword === 'SHELL' && instruction.json !== undefined && instruction.json.length > 0) shell = instruction.json;
    instruction.shell = shell;
    addInstruction(parsed, instruction);

    if (span.trigger !== undefined) {
      const inner = convertInstruction(parsed, { ...span, keyword: span.trigger }, { onbuild: true });
      inner.stage = instruction.stage;
      inner.shell = shell;
      addInstruction(parsed, inner);
    }
  }

  if (parsed.stages.length === 0) {
    const firstLine = parsed.instructions[0]?.startLine ?? 1;
    parsed.problems.push({ line: firstLine, message: 'no FROM instruction; a Dockerfile must start a build stage with FROM' });
  }
  return parsed;
}

function addInstruction(parsed: ParsedDockerfile, instruction: Instruction): void {
  parsed.instructions.push(instruction);
  parsed.stages[instruction.stage]?.instructions.push(instruction);
  if (!KNOWN_INSTRUCTIONS.has(instruction.keyword)) {
    parsed.problems.push({ line: instruction.startLine, message: `unknown instruction "${instruction.keyword}"; BuildKit rejects the file` });
  }
  for (const heredoc of instruction.heredocs) {
    if (!heredoc.terminated) {
      parsed.problems.push({ line: instruction.startLine, message: `heredoc "${heredoc.name}" is not terminated; add a line "${heredoc.name}" after its body` });
    }
  }
}

function startStage(parsed: ParsedDockerfile, from: Instruction): void {
  const [image = '', as, name] = from.words;
  const stage: Stage = { index: parsed.stages.length, image, from, instructions: [], duplicateName: false };
  const parent = parsed.stageIndexByName.get(image.toLowerCase());
  if (parent !== undefined) stage.parent = parent;
  if (as !== undefined && as.toLowerCase() === 'as' && name !== undefined) {
    stage.name = name.toLowerCase();
    stage.duplicateName = parsed.stageIndexByName.has(stage.name);
    if (!stage.duplicateName) parsed.stageIndexByName.set(stage.name, stage.index);
  }
  parsed.stages.push(stage);
}

function convertInstruction(parsed: ParsedDockerfile, span: InstructionSpan, options: { onbuild: boolean }): Instruction {
  const joined = joinLogicalLine(parsed.lines, { startLine: span.startLine, endLine: span.commandEndLine, escape: parsed.escape });
  const { text, flags } = splitKeywordAndFlags(joined, { onbuild: options.onbuild });
  const heredocs = span.keyword === 'RUN' || span.keyword === 'COPY' || span.keyword === 'ADD' ? span.heredocs : [];
  const instruction: Instruction = {
    keyword: span.keyword, startLine: span.startLine, endLine: span.endLine, flags, text, words: splitWords(text), heredocs,
    stage: -1, onbuild: options.onbuild, shell: ['/bin/sh', '-c'],
  };
  const json = parseExecForm(text);
  if (json !== undefined) instruction.json = json;
  return instruction;
}

/** Joins the lines of one instruction the way BuildKit does: continuations joined, comment and blank lines inside dropped. */
export function joinLogicalLine(lines: string[], options: { startLine: number; endLine: number; escape: string }): string {
  const parts: string[] = [];
  for (let line = options.startLine; line <= options.endLine; line++) {
    let content = lines[line - 1] ?? '';
    if (line > options.startLine && (content.trim() === '' || content.trimStart().startsWith('#'))) continue;
    const trimmed = content.trimEnd();
    if (trimmed.endsWith(options.escape) && line < options.endLine) content = trimmed.slice(0, -1);
    parts.push(content);
  }
  return parts.join(' ').trim();
}

/**
 * Splits the keyword and the `--name=value` flags off an instruction's text.
 */
function splitKeywordAndFlags(line: string, options: { onbuild: boolean }): { text: string; flags: Map<string, string[]> } {
  let rest = line.replace(options.onbuild ? /^\s*ONBUILD\s+\S+\s*/i : /^\s*\S+\s*/, '');
  const flags = new Map<string, string[]>();
  for (;;) {
    const flag = /^--([A-Za-z][\w-]*)(?:=((?:"[^"]*"|'[^']*'|\S)*))?\s*/.exec(rest);
    if (flag === null) return { text: rest.trim(), flags };
    const name = (flag[1] ?? '').toLowerCase();
    flags.set(name, [...(flags.get(name) ?? []), (flag[2] ?? '').replace(/^(["'])(.*)\1$/, '$2')]);
    rest = rest.slice(flag[0].length);
  }
}

/** Returns the exec-form array when the text is a JSON array of strings, as BuildKit decides; otherwise undefined (shell form). */
export function parseExecForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  } catch {
    // Not JSON: BuildKit runs such text in shell form, which the syntax rules report.
  }
  return undefined;
}

/** Splits on whitespace outside quotes; quotes stay in the words. */
export function splitWords(text: string): string[] {
  return text.match(/(?:"(?:\\.|[^"\\])*"?|'[^']*'?|\S)+/g) ?? [];
}

function collectPragmas(lines: string[]): IgnorePragma[] {
  const pragmas: IgnorePragma[] = [];
  lines.forEach((content, index) => {
    const match = PRAGMA.exec(content.trim());
    if (match === null) return;
    const codes = (match[3] ?? '').split(',').map((code) => code.trim()).filter((code) => code !== '');
    pragmas.push({ line: index + 1, codes, global: match[2] !== undefined });
  });
  return pragmas;
}

export type { SyntaxProblem };
