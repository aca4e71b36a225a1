import {
  buildInfoFromStrings,
  decodeInlineStrings,
  GO_BUILDINFO_ALIGN,
  GO_BUILDINFO_HEADER_SIZE,
  GO_BUILDINFO_MAGIC,
  headerFormat,
} from './go-buildinfo.js';
import type { GoBuildInfo } from './go-modinfo.js';

/** Options of `createGoBuildInfoScanner`. */
export interface GoBuildInfoScannerOptions {
  /**
   * The maximum number of bytes kept after a build information header, which must hold the
   * header and both strings. Module information takes about 100 bytes per dependency.
   * Default: 1 MiB.
   */
  maxWindowSize?: number;
}

/** Finds Go build information in a file that arrives in chunks, keeping bounded memory. */
export interface GoBuildInfoScanner {
  /** Feeds the next bytes of the file. Calls after the build information was found are cheap. */
  write(chunk: Buffer): void;
  /** Ends the input and returns the build information, or undefined when none was read. */
  end(): GoBuildInfo | undefined;
  /**
   * True when the file has a pre-Go 1.18 header, whose strings are pointers to virtual addresses
   * that usually lie before the header in the file. A single pass cannot follow them, so the
   * caller has to pass the whole file to `readGoBuildInfo`.
   */
  readonly legacyFormat: boolean;
  /** The reason that `end()` returned undefined although a header was found, for a diagnostic. */
  readonly problem: string | undefined;
}

const DEFAULT_MAX_WINDOW_SIZE = 1024 * 1024;

/**
 * Creates a scanner that looks for the `\xff Go buildinf:` magic on a 16-byte file offset and
 * decodes the Go 1.18+ inline layout from the bytes that follow it. It keeps at most 15 bytes
 * while searching and `maxWindowSize` bytes after a candidate header. A candidate whose header
 * or strings do not decode (the magic text inside other data) is dropped and the search goes on.
 *
 * Unlike `readGoBuildInfo`, the scanner does not read ELF headers, so it searches the whole file
 * instead of only the data section, and it also reads PE and Mach-O binaries.
 */
export function createGoBuildInfoScanner(options: GoBuildInfoScannerOptions = {}): GoBuildInfoScanner {
  return new StreamingScanner(options.maxWindowSize ?? DEFAULT_MAX_WINDOW_SIZE);
}

class StreamingScanner implements GoBuildInfoScanner {
  legacyFormat = false;
  problem: string | undefined;

  private state: 'searching' | 'collecting' | 'done' = 'searching';
  private result: GoBuildInfo | undefined;
  /** While searching: the last bytes that may start a magic split across chunks. */
  private tail: Buffer = Buffer.alloc(0);
  /** The file offset of `tail[0]` while searching, or of the candidate header while collecting. */
  private offset = 0;
  private window: Buffer[] = [];
  private windowSize = 0;

  constructor(private readonly maxWindowSize: number) {}

  write(chunk: Buffer): void {
    let pending: Buffer | undefined = chunk;
    // A loop instead of recursion: each dropped candidate hands its bytes back to the search.
    while (pending !== undefined && pending.length > 0 && this.state !== 'done') {
      pending = this.state === 'searching' ? this.search(pending) : this.collect(pending, { final: false });
    }
  }

  end(): GoBuildInfo | undefined {
    while (this.state === 'collecting') {
      const rest = this.collect(Buffer.alloc(0), { final: true });
      if (rest !== undefined) this.write(rest);
    }
    this.state = 'done';
    return this.result;
  }

  /** Searches for an aligned magic. Returns the bytes from the magic on, or undefined when none is found. */
  private search(chunk: Buffer): Buffer | undefined {
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const found = data.indexOf(GO_BUILDINFO_MAGIC, from);
      if (found < 0) break;
      if ((this.offset + found) % GO_BUILDINFO_ALIGN === 0) {
        this.state = 'collecting';
        this.offset += found;
        this.tail = Buffer.alloc(0);
        this.window = [];
        this.windowSize = 0;
        return data.subarray(found);
      }
      from = found + 1;
    }

    const keep = Math.min(data.length, GO_BUILDINFO_MAGIC.length - 1);
    this.tail = Buffer.from(data.subarray(data.length - keep));
    this.offset += data.length - keep;
    return undefined;
  }

  /**
   * Adds bytes to the candidate window and decides on the candidate once it can. Returns the
   * bytes to search again when the candidate is dropped.
   */
  private collect(chunk: Buffer, options: { final: boolean }): Buffer | undefined {
    const room = Math.max(0, this.maxWindowSize - this.windowSize);
    // Bytes beyond the window are searched again if this candidate is dropped.
    const overflow = chunk.subarray(room);
    if (chunk.length > 0 && room > 0) {
      const keptBytes = Buffer.from(chunk.subarray(0, room));
      this.window.push(keptBytes);
      this.windowSize += keptBytes.length;
    }
    if (this.windowSize < GO_BUILDINFO_HEADER_SIZE && !options.final) return undefined;

    const blob = Buffer.concat(this.window);
    this.window = [blob];
    const format = blob.length >= GO_BUILDINFO_HEADER_SIZE ? headerFormat(blob) : undefined;
    if (format === 'pointer') {
      // TODO: resolve the pre-1.18 pointers in the same pass by keeping the ELF program headers
      // and watching for the string ranges, instead of making the caller buffer the whole file.
      this.legacyFormat = true;
      this.problem = `Go build information at offset ${this.offset} uses the pre-Go 1.18 pointer layout, which needs the whole file`;
      this.state = 'done';
      return undefined;
    }

    const strings = format === 'inline' ? decodeInlineStrings(blob) : 'invalid';
    if (strings === 'short' && !options.final) {
      if (this.windowSize < this.maxWindowSize) return undefined;
      this.problem = `Go build information at offset ${this.offset} is longer than the ${this.maxWindowSize}-byte window; raise maxWindowSize`;
      this.state = 'done';
      return undefined;
    }

    const info = typeof strings === 'object' ? buildInfoFromStrings(strings.goVersion, strings.modInfo) : undefined;
    if (info !== undefined) {
      this.result = info;
      this.state = 'done';
      return undefined;
    }

    // Not a real header: search again from the byte after the dropped magic's first byte.
    this.state = 'searching';
    this.offset += 1;
    return overflow.length > 0 ? Buffer.concat([blob.subarray(1), overflow]) : blob.subarray(1);
  }
}
