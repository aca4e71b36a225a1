import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterOptions {
  /** The maximum line length kept, in characters. A longer line is dropped up to its newline. Default 1,048,576. */
  maxLineLength?: number;
  /** Called once for each line dropped for its length. */
  onOverlong?: () => void;
}

/**
 * Splits UTF-8 chunks into lines and calls `onLine` for each, without the newline. A character or
 * line cut between chunks is joined, and a last line without a newline is passed by `end()`.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineLength: number;
  private rest = '';
  /** True while the rest of an overlong line is skipped. */
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: LineSplitterOptions = {},
  ) {
    this.maxLineLength = options.maxLineLength ?? 1024 * 1024;
  }

  push(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    if (this.skipping) {
      const end = text.indexOf('\n');
      if (end === -1) return;
      this.skipping = false;
      start = end + 1;
    }
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, end));
      start = end + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > this.maxLineLength) {
      this.options.onOverlong?.();
      this.rest = '';
      this.skipping = true;
    }
  }

  end(): void {
    const last = this.skipping ? '' : this.rest + this.decoder.end();
    this.rest = '';
    if (last !== '') this.onLine(last);
  }
}
