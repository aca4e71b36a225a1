/** The maximum length of a value matched against secret formats, in characters. Longer values are cut first. */
const MAX_VALUE_LENGTH = 4096;

/** Name words that mark a secret, matched against the name split at every non-alphanumeric character. */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'PRIVATEKEY']);
/** Name words that end in PASSWORD or PASSWD after a prefix, such as libpq's `PGPASSWORD`. */
const PASSWORD_SUFFIX = /.(PASSWORD|PASSWD)$/;
/** Word pairs that mark a secret where each word alone does not (`API_KEY`, but not `KEY` in `KEYRING`). */
const SECRET_PAIRS = [['API', 'KEY'], ['ACCESS', 'KEY'], ['PRIVATE', 'KEY'], ['SECRET', 'KEY'], ['AUTH', 'TOKEN'], ['CLIENT', 'SECRET']];
/** Words that, at the end of a name, make it a reference to a secret or a setting about one (`DB_PASSWORD_FILE`). */
const NON_SECRET_LAST_WORDS = new Set(['FILE', 'PATH', 'DIR', 'VERSION', 'URL', 'URI', 'ID', 'NAME', 'USER', 'USERNAME', 'ENABLED', 'LENGTH', 'TTL', 'EXPIRY', 'TYPE', 'FORMAT', 'ALGORITHM', 'HEADER', 'ENV', 'SOURCE', 'ENDPOINT', 'HOST', 'PORT', 'TIMEOUT']);
/** Names that hold public verification keys by convention in official images (python, nginx, node). */
const GPG_NAME = /(^|_)GPG_?KEYS?$/;
/** One or more OpenPGP key IDs or fingerprints: 8 to 40 hex digits, separated by spaces or commas. */
const GPG_FINGERPRINTS = /^(0x)?[0-9A-Fa-f]{8,40}([\s,]+(0x)?[0-9A-Fa-f]{8,40})*$/;
/** A URL without user information, which names where a secret comes from rather than the secret. */
const PLAIN_URL = /^[a-z][a-z0-9+.-]{1,20}:\/\/[^\s@]*$/i;
/** Values that are flags or placeholders, not secrets. */
const PLACEHOLDER = /^(true|false|yes|no|on|off|none|null|changeme|\d{1,6}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$/i;

/** Known token formats, each matched against the whole value or a part of it. */
const VALUE_FORMATS: Array<{ kind: string; pattern: RegExp }> = [
  { kind: 'AWS access key ID', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'private key', pattern: /-----BEGIN[A-Z ]{0,20} PRIVATE KEY-----/ },
  { kind: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  // The path of an incoming webhook URL is its credential.
  { kind: 'Slack webhook URL', pattern: /\bhooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,256}:[^\s/@$]{1,256}@/i },
];

/** The reason a name and value look like a secret. */
export interface SecretMatch {
  /** `name` for a secret-like name, else the value format (`AWS access key ID`). */
  reason: string;
}

/** Splits a name into upper-case words: `org.example.api-token` gives ORG, EXAMPLE, API, TOKEN. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== '');
}

/** Returns true when a variable or label name marks a secret. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (NON_SECRET_LAST_WORDS.has(words[words.length - 1]!)) return false;
  if (words.some((word) => SECRET_WORDS.has(word) || PASSWORD_SUFFIX.test(word))) return true;
  if (words[words.length - 1] === 'KEY' && words.length > 1) return true;
  return SECRET_PAIRS.some(([first, second]) => words.some((word, i) => word === first && words[i + 1] === second));
}

/**
 * Classifies a name and its value. A value in a known token format is a secret whatever its name.
 * A secret-like name counts only with a value that could be a secret. So empty values, flags,
 * numbers, `$VARIABLE` references, file paths and URLs without a password are skipped. For `GPG_KEY`-style names, key
 * fingerprints are skipped too, because official images publish them to verify downloads.
 * `PWD=/app` is a path, so the shell's working-directory variable never matches the `PWD` word.
 */
export function matchSecret(name: string, value: string): SecretMatch | undefined {
  const text = value.slice(0, MAX_VALUE_LENGTH);
  for (const format of VALUE_FORMATS) {
    if (format.pattern.test(text)) return { reason: format.kind };
  }

  const trimmed = text.trim();
  if (trimmed === '' || PLACEHOLDER.test(trimmed)) return undefined;
  if (GPG_NAME.test(name.toUpperCase()) && GPG_FINGERPRINTS.test(trimmed)) return undefined;
  if (trimmed.startsWith('/') && !/\s/.test(trimmed)) return undefined;
  if (PLAIN_URL.test(trimmed)) return undefined;
  return isSecretName(name) ? { reason: 'name' } : undefined;
}

/** Masks a secret for a message: the first two characters of a long value, then asterisks. */
export function maskSecret(value: string): string {
  if (value.length < 8) return '*'.repeat(Math.max(value.length, 3));
  return `${value.slice(0, 2)}${'*'.repeat(Math.min(value.length - 2, 10))}`;
}
