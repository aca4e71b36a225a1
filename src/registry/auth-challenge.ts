/**
 * A parser for the `WWW-Authenticate` header of RFC 7235 (section 4.1), which registries send with a
 * 401 to say how to authenticate: `Bearer realm="https://auth.example/token",service="registry"`.
 */

/** One challenge of a `WWW-Authenticate` header. */
export interface AuthChallenge {
  /** The scheme in lower case (`bearer`, `basic`), because schemes are case-insensitive. */
  scheme: string;
  /** The auth-params, with lower-case names because parameter names are case-insensitive too. */
  params: Record<string, string>;
  /** The token68 form of credentials, for schemes that use it instead of params. */
  token68?: string;
}

// RFC 7230 `tchar` and the RFC 7235 `token68` characters.
const TOKEN_CHAR_RE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_RE = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses every challenge in one header value, in order. Several challenges may share a header,
 * separated by commas. Malformed parts end the parse and the challenges read so far are returned,
 * because a registry's odd header should not hide a usable Bearer or Basic challenge before it.
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const parser = new ChallengeParser(header);
  return parser.parse();
}

class ChallengeParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parse(): AuthChallenge[] {
    const challenges: AuthChallenge[] = [];
    for (;;) {
      this.skipListSeparators();
      if (this.atEnd()) return challenges;
      const scheme = this.readToken();
      if (scheme === undefined) return challenges;
      const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
      challenges.push(challenge);

      const afterScheme = this.position;
      this.skipSpaces();
      if (this.atEnd() || this.peek() === ',') continue;
      if (this.position === afterScheme) return challenges;

      if (!this.looksLikeParam()) {
        const match = TOKEN68_RE.exec(this.text.slice(this.position));
        if (match === null) return challenges;
        challenge.token68 = match[0];
        this.position += match[0].length;
        continue;
      }
      if (!this.readParams(challenge.params)) return challenges;
    }
  }

  /** Reads `name=value` pairs until the next challenge starts; returns false on malformed input. */
  private readParams(params: Record<string, string>): boolean {
    for (;;) {
      const name = this.readToken();
      if (name === undefined) return false;
      this.skipSpaces();
      if (this.peek() !== '=') return false;
      this.position += 1;
      this.skipSpaces();
      const value = this.peek() === '"' ? this.readQuotedString() : this.readToken();
      if (value === undefined) return false;
      params[name.toLowerCase()] = value;

      this.skipSpaces();
      if (this.atEnd()) return true;
      if (this.peek() !== ',') return false;
      const beforeComma = this.position;
      this.skipListSeparators();
      if (this.atEnd()) return true;
      if (!this.looksLikeParam()) {
        // The next token starts a new challenge, so hand it back to the caller.
        this.position = beforeComma;
        return true;
      }
    }
  }

  /** Tells whether the text at the cursor is `token BWS "=" BWS` followed by a value. */
  private looksLikeParam(): boolean {
    const start = this.position;
    const name = this.readToken();
    this.skipSpaces();
    let isParam = false;
    if (name !== undefined && this.peek() === '=') {
      // A token68 ends in `=` padding, so `abc=` or `abc==` before a comma or the end is not a param.
      this.position += 1;
      this.skipSpaces();
      isParam = !this.atEnd() && this.peek() !== ',' && this.peek() !== '=';
    }
    this.position = start;
    return isParam;
  }

  private readToken(): string | undefined {
    const start = this.position;
    while (!this.atEnd() && TOKEN_CHAR_RE.test(this.peek())) this.position += 1;
    return this.position > start ? this.text.slice(start, this.position) : undefined;
  }

  /** Reads a quoted-string, undoing `\` escapes; returns undefined when the closing quote is missing. */
  private readQuotedString(): string | undefined {
    this.position += 1;
    let value = '';
    while (!this.atEnd()) {
      const char = this.peek();
      this.position += 1;
      if (char === '"') return value;
      if (char === '\\') {
        if (this.atEnd()) return undefined;
        value += this.peek();
        this.position += 1;
      } else {
        value += char;
      }
    }
    return undefined;
  }

  private skipSpaces(): void {
    while (!this.atEnd() && (this.peek() === ' ' || this.peek() === '\t')) this.position += 1;
  }

  private skipListSeparators(): void {
    while (!this.atEnd() && (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',')) this.position += 1;
  }

  private peek(): string {
    return this.text[this.position] ?? '';
  }

  private atEnd(): boolean {
    return this.position >= this.text.length;
  }
}
