import type { ErrorCode } from '../../errors.js';
import type { Diagnostic } from '../../model/diagnostic.js';

/** The default number of diagnostics kept for one file before the rest are counted only. */
export const DEFAULT_MAX_DIAGNOSTICS = 20;

/**
 * Collects the diagnostics for one file, up to a cap. A binary file fed to a text parser can
 * yield one problem per line, so past the cap the list only counts the rest and ends with one
 * summary diagnostic.
 */
export class DiagnosticList {
  readonly #target: string;
  readonly #max: number;
  readonly #items: Diagnostic[] = [];
  #dropped = 0;

  constructor(target: string, options: { max?: number } = {}) {
    this.#target = target;
    this.#max = options.max ?? DEFAULT_MAX_DIAGNOSTICS;
  }

  add(code: ErrorCode, message: string): void {
    if (this.#items.length < this.#max) {
      this.#items.push({ target: this.#target, code, message });
    } else {
      this.#dropped += 1;
    }
  }

  get size(): number {
    return this.#items.length + this.#dropped;
  }

  /** Returns the kept diagnostics, plus a summary of the dropped ones when there were any. */
  toArray(): Diagnostic[] {
    if (this.#dropped === 0) return [...this.#items];
    const summary: Diagnostic = {
      target: this.#target,
      code: 'LIMIT_EXCEEDED',
      message: `${this.#dropped} more problems in this file were not listed (the limit is ${this.#max} per file)`,
    };
    return [...this.#items, summary];
  }
}
