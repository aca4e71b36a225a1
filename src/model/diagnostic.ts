import type { ErrorCode } from '../errors.js';

/**
 * A problem with user content that did not stop the scan: a file that could not be parsed, a record
 * that was skipped. The report lists these under `errors[]`.
 */
export interface Diagnostic {
  /** What could not be read: a file path, a layer digest with a path, a URL. */
  target: string;
  message: string;
  code: ErrorCode;
}
