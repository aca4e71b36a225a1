import type { Diagnostic } from '../../model/diagnostic.js';

/** The largest Dockerfile read, in bytes; BuildKit's own limit on a Dockerfile is far above any real one. */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

/** The outcome of decoding a file: the text, or a diagnostic when the file cannot be linted at all. */
export type DecodedText = { text: string; diagnostics: Diagnostic[] } | { text: undefined; diagnostics: Diagnostic[] };

/**
 * Decodes a file's bytes as UTF-8. A file that is too large or has NUL bytes is rejected with a
 * diagnostic. Invalid UTF-8 gives a diagnostic naming the first bad line. The file is then decoded
 * with U+FFFD in place of the bad bytes, so the other lines are still checked.
 */
export function decodeDockerfile(path: string, content: Buffer): DecodedText {
  if (content.length > MAX_DOCKERFILE_BYTES) {
    return {
      text: undefined,
      diagnostics: [{ target: path, code: 'LIMIT_EXCEEDED', message: `file is ${content.length} bytes, over the ${MAX_DOCKERFILE_BYTES}-byte limit for a Dockerfile; it was not linted` }],
    };
  }
  const nul = content.indexOf(0);
  if (nul !== -1) {
    return {
      text: undefined,
      diagnostics: [{ target: path, code: 'FORMAT_INVALID', message: `line ${lineOfOffset(content, nul)}: NUL byte, so the file is binary and not a Dockerfile; it was not linted` }],
    };
  }

  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(content);
    const badLine = text.split('\n').findIndex((line) => line.includes('\uFFFD')) + 1;
    diagnostics.push({ target: path, code: 'FORMAT_INVALID', message: `line ${badLine}: invalid UTF-8; the bad bytes were read as U+FFFD, save the file as UTF-8` });
  }
  return { text, diagnostics };
}

function lineOfOffset(content: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (content[i] === 0x0a) line++;
  return line;
}
