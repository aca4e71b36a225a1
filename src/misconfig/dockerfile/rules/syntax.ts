import type { DockerfileRule } from '../rule.js';

const syntaxError: DockerfileRule = {
  meta: {
    id: 'BW-DF-0001', aliases: [], severity: 'HIGH', title: 'Dockerfile syntax error',
    description: 'BuildKit rejects the file, or part of it is hidden from the other checks: an unknown instruction, an unterminated heredoc or a missing FROM.',
    resolution: 'Fix the line named in the message so that `docker build` accepts the file.',
    examples: { bad: 'FROM debian:12\nRUNN echo hi', good: 'FROM debian:12\nRUN echo hi' },
  },
  check(context) {
    for (const problem of context.file.problems) context.report({ startLine: problem.line, endLine: problem.line }, problem.message);
  },
};

const invalidJsonForm: DockerfileRule = {
  meta: {
    id: 'BW-DF-0002', aliases: [], severity: 'MEDIUM', title: 'Arguments look like exec form but are not valid JSON',
    description: 'BuildKit runs arguments that start with `[` but are not a JSON array of strings in shell form, so `CMD [\'app\']` runs the shell command `[\'app\']` and fails at run time.',
    resolution: 'Write the exec form as a JSON array with double quotes, such as `CMD ["app", "--port", "80"]`.',
    examples: { bad: "FROM debian:12\nCMD ['app', '--port', '80']", good: 'FROM debian:12\nCMD ["app", "--port", "80"]' },
  },
  check(context) {
    for (const instruction of context.file.instructions) {
      if (!['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'HEALTHCHECK', 'COPY', 'ADD'].includes(instruction.keyword)) continue;
      if (instruction.text.startsWith('[') && instruction.json === undefined) {
        context.report(instruction, `${instruction.keyword} arguments start with "[" but are not a JSON array of strings: ${truncate(instruction.text)}`);
      }
    }
  },
};

const byteOrderMark: DockerfileRule = {
  meta: {
    id: 'BW-DF-0003', aliases: [], severity: 'LOW', title: 'File starts with a byte-order mark',
    description: 'A UTF-8 byte-order mark is invisible in editors, and tools that do not strip it read the first line as something other than a parser directive or instruction.',
    resolution: 'Save the file as UTF-8 without a byte-order mark.',
    examples: { bad: '\uFEFFFROM debian:12', good: 'FROM debian:12' },
  },
  check(context) {
    if (context.file.hasByteOrderMark) context.report({ startLine: 1, endLine: 1 }, 'the file starts with a UTF-8 byte-order mark');
  },
};

const crlfLineEndings: DockerfileRule = {
  meta: {
    id: 'BW-DF-0004', aliases: [], severity: 'LOW', title: 'CRLF line endings',
    description: 'BuildKit reads instructions with CRLF endings, but heredoc bodies and copied scripts keep the carriage return, so shells inside the image fail with errors like `$\'\\r\': command not found`.',
    resolution: 'Convert the file to LF line endings, for example with `dos2unix` or a `.gitattributes` rule `Dockerfile text eol=lf`.',
    examples: { bad: 'FROM debian:12\r\nRUN echo hi\r\n', good: 'FROM debian:12\nRUN echo hi\n' },
  },
  check(context) {
    const line = context.file.firstCrlfLine;
    if (line > 0) context.report({ startLine: line, endLine: line }, `line ${line} and possibly others end with CRLF`);
  },
};

export function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const syntaxRules: DockerfileRule[] = [syntaxError, invalidJsonForm, byteOrderMark, crlfLineEndings];
