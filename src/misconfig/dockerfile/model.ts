/** One heredoc of an instruction (`RUN <<EOF … EOF`). */
export interface Heredoc {
  /** The delimiter word, without quotes or the `-` of `<<-`. */
  name: string;
  /** The body lines, with the leading tabs of `<<-` removed. */
  body: string;
  /** The 1-based line of the first body line. */
  bodyStartLine: number;
  /** False when the file ends before the closing delimiter. */
  terminated: boolean;
}

/** One line of a shell script, with the Dockerfile line it came from. */
export interface ScriptLine {
  text: string;
  line: number;
}

/** One instruction, with 1-based lines. ONBUILD triggers are instructions of their own. */
export interface Instruction {
  /** The upper-case keyword: `RUN`, `COPY`, … */
  keyword: string;
  startLine: number;
  endLine: number;
  /** `--name=value` flags before the arguments; a flag given twice has two values. */
  flags: Map<string, string[]>;
  /** The arguments as one string, with continuations joined and inner comment lines dropped. */
  text: string;
  /** The arguments split on whitespace, with surrounding quotes kept. */
  words: string[];
  /** The exec-form array, when the arguments are a JSON array of strings. */
  json?: string[];
  heredocs: Heredoc[];
  /** The index of the stage this instruction belongs to, or -1 before the first FROM. */
  stage: number;
  /** Set on the trigger of an `ONBUILD` instruction. */
  onbuild: boolean;
  /** The shell of shell-form commands, from the stage's last `SHELL` (default `/bin/sh -c`). */
  shell: string[];
}

/** One build stage, from its FROM to the next. */
export interface Stage {
  index: number;
  /** The image reference as written, variables unexpanded. */
  image: string;
  /** The stage name after `AS`, lower-cased as BuildKit compares it. */
  name?: string;
  /** The index of the earlier stage that FROM names (`FROM build`), when it names one. */
  parent?: number;
  /** Set when an earlier stage already has this stage's name. */
  duplicateName: boolean;
  from: Instruction;
  instructions: Instruction[];
}

/** An ignore pragma: `# hadolint ignore=DL3008` or `# bulwark ignore=…`, or the `global` variants. */
export interface IgnorePragma {
  line: number;
  codes: string[];
  global: boolean;
}

/** A problem that BuildKit would reject or that hides part of the file from the checks. */
export interface SyntaxProblem {
  line: number;
  message: string;
}

/** A Dockerfile after parsing. */
export interface ParsedDockerfile {
  /** The text, with a byte-order mark removed and CRLF turned into LF. */
  text: string;
  lines: string[];
  escape: string;
  /** Parser directives from the head of the file, by lower-case name. */
  directives: Map<string, string>;
  /** Every instruction in file order, ONBUILD triggers included after their ONBUILD. */
  instructions: Instruction[];
  stages: Stage[];
  /** The index of the first stage with each name, for resolving `--from` and `FROM name`. */
  stageIndexByName: Map<string, number>;
  pragmas: IgnorePragma[];
  problems: SyntaxProblem[];
  hasByteOrderMark: boolean;
  /** The 1-based line of the first CRLF ending, or 0 when there is none. */
  firstCrlfLine: number;
}
