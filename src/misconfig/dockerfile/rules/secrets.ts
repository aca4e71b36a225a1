import type { Instruction } from '../model.js';
import type { DockerfileRule } from '../rule.js';
import { copyOperands, keyValuePairs } from './instructions.js';

/**
 * Variable names that usually hold a credential, as whole `_`-separated words: `DB_PASSWORD` and
 * `GITHUB_TOKEN` match, `TOKENIZERS_PARALLELISM` does not.
 */
const SECRET_NAME = /(^|_)(pass(word|wd)?|secret|token|api_?key|access_?key|private_?key|credentials?|auth_?key|client_secret)(_|$)/i;
/** Values that are flags, not credentials (`ENABLE_TOKEN=false`). */
const NON_SECRET_VALUE = /^(true|false|yes|no|on|off|0|1)$/i;
/** Names that point at a secret instead of holding one (`DB_PASSWORD_FILE=/run/secrets/db`). */
const REFERENCE_SUFFIX = /(_FILE|_PATH|_DIR|_LOCATION|_URL|_NAME|_LENGTH|_HEADER)$/i;

/** Base names of files that hold keys or credentials. */
const KEY_FILE = /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)|\.env|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.dockercfg|credentials|[^/]*\.(pem|key|p12|pfx|jks|keystore|kdbx))$/i;

function argPairs(instruction: Instruction): { key: string; value: string | undefined }[] {
  return instruction.words.map((word) => {
    const equals = word.indexOf('=');
    return equals === -1 ? { key: word, value: undefined } : { key: word.slice(0, equals), value: word.slice(equals + 1).replace(/^(["'])(.*)\1$/, '$2') };
  });
}

const secretVariable: DockerfileRule = {
  meta: {
    id: 'BW-DF-5004', aliases: ['CIS-DI-0010'], severity: 'HIGH', title: 'Secret in ENV or ARG',
    description: 'ENV values are stored in the image config, and ARG values used by a RUN show in the image history (`docker history`), so anyone who can pull the image can read them.',
    resolution: 'Pass secrets at build time with `RUN --mount=type=secret,id=…`, and at run time through the orchestrator\'s secrets.',
    examples: { bad: 'FROM debian:12\nENV DB_PASSWORD=hunter2', good: 'FROM debian:12\nRUN --mount=type=secret,id=db_password cat /run/secrets/db_password > /dev/null' },
  },
  check(context) {
    for (const instruction of context.file.instructions) {
      if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
      const pairs = instruction.keyword === 'ENV' ? keyValuePairs(instruction) : argPairs(instruction);
      for (const { key, value } of pairs) {
        if (!SECRET_NAME.test(key) || REFERENCE_SUFFIX.test(key)) continue;
        if (instruction.keyword === 'ENV' && (value === undefined || value === '' || /^\$\{?[A-Za-z_]/.test(value))) continue;
        if (value !== undefined && NON_SECRET_VALUE.test(value)) continue;
        const where = instruction.keyword === 'ENV' ? 'the image config' : 'the image history of every RUN after it';
        context.report(instruction, `${instruction.keyword} ${key} looks like a secret and ends up in ${where}`);
      }
    }
  },
};

const keyFileCopy: DockerfileRule = {
  meta: {
    id: 'BW-DF-5005', aliases: [], severity: 'HIGH', title: 'Key or credentials file copied into the image',
    description: 'Private keys, `.env` files and registry or package-manager credentials copied into a layer stay readable in the image even if a later step deletes them.',
    resolution: 'Use `RUN --mount=type=secret` or `--mount=type=ssh` for build-time credentials, and a `.dockerignore` entry to keep the file out of the context.',
    examples: { bad: 'FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa', good: 'FROM debian:12\nRUN --mount=type=ssh git clone git@github.com:example/app.git' },
  },
  check(context) {
    for (const instruction of context.file.instructions) {
      if ((instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') || instruction.heredocs.length > 0) continue;
      for (const source of copyOperands(instruction).sources) {
        if (KEY_FILE.test(source)) context.report(instruction, `${instruction.keyword} ${source} puts a key or credentials file into a layer`);
      }
    }
  },
};

export const secretRules: DockerfileRule[] = [secretVariable, keyFileCopy];
