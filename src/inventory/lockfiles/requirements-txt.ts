import type { LockfileContext, LockfileFormat, ParseOutcome } from './lockfile-analyzer.js';
import { baseName } from './lockfile-analyzer.js';

/** `requirements.txt`, and variants such as `requirements-dev.txt` or `dev-requirements.txt`. */
const REQUIREMENTS_FILE = /^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i;

/** A requirement: the name, optional extras, then the version specifiers. */
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/** A single exact pin (`==1.2.3` or `===1.2.3`). A wildcard such as `==1.*` pins nothing. */
const EXACT_PIN = /^===?\s*([^\s,*;]+)$/;

/** Options that name another file, which the analyzer does not open. */
const INCLUDE_OPTIONS = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/;

/** The most unpinned line numbers that one diagnostic lists. */
const MAX_LISTED_LINES = 20;

/**
 * pip requirements files. Only requirements pinned with `==` or `===` name an installed version,
 * so only those become packages. Unpinned requirements, URL requirements and editable installs
 * are listed in one diagnostic, and `-r`/`-c` includes in one diagnostic each, because the
 * analyzer reads one file and does not follow them. Environment markers (`; python_version < "3.8"`)
 * are not evaluated, so a pin for another platform is still listed.
 */
export const requirementsTxtFormat: LockfileFormat = {
  id: 'pip-requirements',
  version: 1,
  type: 'pip',
  matches: (path) => REQUIREMENTS_FILE.test(baseName(path)),
  parse: parseRequirementsTxt,
};

/** One logical line: backslash continuations joined, comment removed, with its first line number. */
interface LogicalLine {
  line: number;
  text: string;
}

function parseRequirementsTxt(text: string, context: LockfileContext): ParseOutcome {
  const unpinned: LogicalLine[] = [];
  for (const logical of logicalLines(text)) {
    if (logical.text.startsWith('-')) {
      readOption(logical, unpinned, context);
      continue;
    }

    // Per-requirement options such as `--hash=sha256:…` follow the specifiers.
    const withoutOptions = logical.text.replace(/\s+--?[a-z][\w-]*(?:[=\s]\S+)?/g, '');
    const [requirement = ''] = withoutOptions.split(';', 1);
    const match = REQUIREMENT.exec(requirement.trim());
    const pin = match === null ? null : EXACT_PIN.exec((match[2] ?? '').trim());
    if (match === null) {
      context.packages.report(`${context.path}:${logical.line}: "${logical.text}" is not a valid requirement, so it was skipped`);
    } else if (pin === null) {
      unpinned.push(logical);
    } else {
      context.packages.add({ name: match[1] ?? '', version: pin[1] ?? '' });
    }
  }

  if (unpinned.length > 0) {
    const listed = unpinned.slice(0, MAX_LISTED_LINES).map((logical) => logical.line).join(', ');
    const more = unpinned.length > MAX_LISTED_LINES ? ` and ${unpinned.length - MAX_LISTED_LINES} more` : '';
    context.packages.report(
      `${context.path}: skipped ${unpinned.length} requirements without an exact "==" pin (lines ${listed}${more}); ` +
        'pin them, or scan the installed packages to learn their versions',
      'UNSUPPORTED',
    );
  }
  return 'parsed';
}

function readOption(logical: LogicalLine, unpinned: LogicalLine[], context: LockfileContext): void {
  const include = INCLUDE_OPTIONS.exec(logical.text);
  if (include !== null) {
    context.packages.report(
      `${context.path}:${logical.line}: did not follow "${include[1]} ${include[2]}"; scan that file as well to list its packages`,
      'UNSUPPORTED',
    );
  } else if (/^(-e|--editable)\b/.test(logical.text)) {
    // An editable install is a local folder or a VCS checkout, with no version in the file.
    unpinned.push(logical);
  }
  // Other options (`--index-url`, `--extra-index-url`, `--no-binary`) do not name packages.
}

/** Joins lines that end with a backslash and drops comments and blank lines. */
function logicalLines(text: string): LogicalLine[] {
  const result: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    // pip treats `#` as a comment at the start of a line or after whitespace.
    const withoutComment = raw.replace(/(^|\s)#.*$/, '');
    const continued = withoutComment.endsWith('\\');
    const part = continued ? withoutComment.slice(0, -1) : withoutComment;
    pending = pending === undefined ? { line: index + 1, text: part } : { line: pending.line, text: `${pending.text} ${part}` };
    if (continued) return;
    const trimmed = pending.text.trim().replace(/\s+/g, ' ');
    if (trimmed !== '') result.push({ line: pending.line, text: trimmed });
    pending = undefined;
  });
  if (pending !== undefined && pending.text.trim() !== '') result.push({ line: pending.line, text: pending.text.trim() });
  return result;
}
