import { InputError, LimitError } from '../errors.js';
import { BLOCK_SIZE, isZeroBlock, parseHeaderBlock, parsePaxRecords } from './tar-header.js';

/** One tar member after PAX and GNU long-name records have been applied to its header. */
export interface TarMember {
  name: string;
  /** The type flag: `0` file, `1` hard link, `2` symlink, `3`/`4` devices, `5` directory, `6` FIFO, `7` contiguous file. */
  typeflag: string;
  size: number;
  mode: number;
  linkname: string;
}

/** Receives the data of one member, in order, in chunks that may be views into a larger buffer. */
export interface MemberSink {
  write(chunk: Buffer): void;
  /** Called after the last byte; the reader waits for a returned promise before going on. */
  end(): void | Promise<void>;
}

export interface ReadTarOptions {
  /** Names the archive in errors, e.g. `app.tar layer sha256:ab12…`. */
  label: string;
  /** The largest PAX or GNU long-name record accepted, in bytes. */
  maxMetaSize: number;
  /** Called for each member; returns a sink for its data, or undefined to skip the data. */
  onMember(member: TarMember): MemberSink | undefined;
}

/** Type flags that carry no data whatever their size field holds, as Go's archive/tar treats them. */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

/** Type flags of records that change the next member's header instead of being members. */
const PAX_LOCAL = 'x';
const PAX_GLOBAL = 'g';
const GNU_LONG_NAME = 'L';
const GNU_LONG_LINK = 'K';

/**
 * Reads a tar stream once, from start to end. Headers are parsed as blocks arrive, member data goes
 * to the sink that `onMember` returns or is skipped by counting, so the cost is one pass over the
 * bytes with no per-member streams. Throws an InputError naming the archive and byte offset for a
 * corrupt header or a stream that ends inside a member, and a LimitError for an oversized record.
 */
export async function readTar(source: AsyncIterable<Buffer>, options: ReadTarOptions): Promise<void> {
  const reader = new TarReader(options);
  for await (const chunk of source) await reader.push(chunk);
  reader.finish();
}

class TarReader {
  readonly #options: ReadTarOptions;
  /** Bytes of an incomplete header block, kept until the rest arrives. */
  #partial: Buffer[] = [];
  #partialLength = 0;
  /** The stream offset of the next byte to read, for error messages. */
  #offset = 0;
  #state: 'header' | 'data' | 'padding' | 'done' = 'header';
  /** Bytes of member data or padding still to come. */
  #remaining = 0;
  /** The data size of the current member or record, which sets its padding. */
  #size = 0;
  #sink: MemberSink | undefined;
  /** A PAX or GNU record being collected; it changes the next member's header. */
  #meta: { kind: string; chunks: Buffer[] } | undefined;
  #overrides: { path?: string; linkpath?: string; size?: number } = {};
  #zeroBlocks = 0;

  constructor(options: ReadTarOptions) {
    this.#options = options;
  }

  async push(chunk: Buffer): Promise<void> {
    let position = 0;
    while (position < chunk.length && this.#state !== 'done') {
      if (this.#state === 'header') {
        const needed = BLOCK_SIZE - this.#partialLength;
        const available = chunk.length - position;
        if (available < needed) {
          this.#partial.push(chunk.subarray(position));
          this.#partialLength += available;
          this.#offset += available;
          return;
        }
        const block = this.#partialLength > 0 ? Buffer.concat([...this.#partial, chunk.subarray(position, position + needed)]) : chunk.subarray(position, position + needed);
        this.#partial = [];
        this.#partialLength = 0;
        position += needed;
        this.#offset += needed;
        if (this.#header(block)) await this.#endData();
        continue;
      }

      const take = Math.min(this.#remaining, chunk.length - position);
      if (this.#state === 'data') {
        const part = chunk.subarray(position, position + take);
        if (this.#meta) this.#meta.chunks.push(Buffer.from(part));
        else this.#sink?.write(part);
      }
      position += take;
      this.#offset += take;
      this.#remaining -= take;
      if (this.#remaining > 0) continue;
      if (this.#state === 'data') await this.#endData();
      else this.#state = 'header';
    }
  }

  finish(): void {
    if (this.#state === 'done') return;
    // An archive may end without its two zero blocks, as Go's archive/tar accepts, but not inside
    // a header, a member or a record.
    if (this.#state === 'header' && this.#partialLength === 0 && this.#meta === undefined) return;
    const where = { header: 'a header block', data: 'the data of a member', padding: 'the padding of a member' }[this.#state];
    throw new InputError('FORMAT_INVALID', `${this.#options.label}: the tar stream ends inside ${where} at byte ${this.#offset}; the layer is truncated`);
  }

  /** Parses a header block and moves to its data. Returns true when that data is empty. */
  #header(block: Buffer): boolean {
    const start = this.#offset - BLOCK_SIZE;
    if (isZeroBlock(block)) {
      this.#zeroBlocks += 1;
      if (this.#zeroBlocks === 2) this.#state = 'done';
      return false;
    }
    if (this.#zeroBlocks > 0) throw this.#invalid(start, 'a single zero block is followed by more members');

    const parsed = parseHeaderBlock(block);
    if ('problem' in parsed) throw this.#invalid(start, parsed.problem);
    const { typeflag } = parsed.header;

    if (typeflag === PAX_LOCAL || typeflag === PAX_GLOBAL || typeflag === GNU_LONG_NAME || typeflag === GNU_LONG_LINK) {
      if (parsed.header.size > this.#options.maxMetaSize) {
        throw new LimitError(`${this.#options.label}: a tar record of type ${typeflag} at byte ${start} is ${parsed.header.size} bytes, over the ${this.#options.maxMetaSize}-byte cap`);
      }
      this.#meta = { kind: typeflag, chunks: [] };
      this.#startData(parsed.header.size);
      return parsed.header.size === 0;
    }

    const size = HEADER_ONLY_TYPES.has(typeflag) ? 0 : (this.#overrides.size ?? parsed.header.size);
    const member: TarMember = {
      name: this.#overrides.path ?? parsed.header.name,
      typeflag,
      size,
      mode: parsed.header.mode,
      linkname: this.#overrides.linkpath ?? parsed.header.linkname,
    };
    this.#overrides = {};
    this.#sink = this.#options.onMember(member);
    this.#startData(size);
    return size === 0;
  }

  #startData(size: number): void {
    this.#size = size;
    this.#remaining = size;
    this.#state = 'data';
  }

  /** Finishes a member or record once its data is read, then skips to the next block boundary. */
  async #endData(): Promise<void> {
    const sink = this.#sink;
    this.#sink = undefined;
    if (this.#meta) this.#applyMeta();
    if (sink) await sink.end();
    this.#remaining = (BLOCK_SIZE - (this.#size % BLOCK_SIZE)) % BLOCK_SIZE;
    this.#state = this.#remaining === 0 ? 'header' : 'padding';
  }

  #applyMeta(): void {
    const meta = this.#meta!;
    this.#meta = undefined;
    const data = Buffer.concat(meta.chunks);
    if (meta.kind === PAX_GLOBAL) return;
    if (meta.kind === GNU_LONG_NAME || meta.kind === GNU_LONG_LINK) {
      const nul = data.indexOf(0);
      const text = data.subarray(0, nul < 0 ? data.length : nul).toString('utf8');
      if (meta.kind === GNU_LONG_NAME) this.#overrides.path = text;
      else this.#overrides.linkpath = text;
      return;
    }

    const records = parsePaxRecords(data);
    if (!(records instanceof Map)) throw this.#invalid(this.#offset, `a PAX header is invalid: ${records.problem}`);
    const path = records.get('path');
    const linkpath = records.get('linkpath');
    const size = records.get('size');
    if (path !== undefined) this.#overrides.path = path;
    if (linkpath !== undefined) this.#overrides.linkpath = linkpath;
    if (size !== undefined) {
      const value = /^[0-9]{1,16}$/.test(size) ? Number(size) : NaN;
      if (!Number.isSafeInteger(value)) throw this.#invalid(this.#offset, `a PAX size record is not a number: "${size.slice(0, 40)}"`);
      this.#overrides.size = value;
    }
  }

  #invalid(offset: number, problem: string): InputError {
    return new InputError('FORMAT_INVALID', `${this.#options.label}: invalid tar header at byte ${offset}: ${problem}; the layer is corrupt`);
  }
}
