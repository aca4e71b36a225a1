import { Transform, type TransformCallback } from 'node:stream';
import { DigestError } from '../errors.js';
import { createDigestHash } from '../artifact/digest.js';

export interface VerifyingStreamOptions {
  /** The digest the bytes must have. */
  digest: string;
  /** The exact byte count, when a descriptor or Content-Length gives it. */
  size?: number;
  /** A description of the bytes, for messages: `blob sha256:… from http://…`. */
  label: string;
}

/**
 * A pass-through stream that hashes the bytes flowing through it. It fails with a DigestError as
 * soon as more bytes than `size` arrive, and at the end when fewer arrived or the digest differs.
 * Consumers must read to the end: the check happens on the last byte.
 */
export class VerifyingStream extends Transform {
  private readonly hash;
  private received = 0;

  constructor(private readonly options: VerifyingStreamOptions) {
    super();
    this.hash = createDigestHash(options.digest);
  }

  /** The number of bytes that passed so far. */
  get bytesReceived(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.options.size !== undefined && this.received > this.options.size) {
      callback(new DigestError(`${this.options.label} is longer than the expected ${this.options.size} bytes; the content does not match its digest`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.options.size !== undefined && this.received < this.options.size) {
      callback(this.shortError());
      return;
    }
    const actual = `${this.options.digest.slice(0, this.options.digest.indexOf(':'))}:${this.hash.digest('hex')}`;
    if (actual !== this.options.digest) {
      callback(new DigestError(`${this.options.label} has digest ${actual}, expected ${this.options.digest}; the content is corrupt or was altered`));
      return;
    }
    callback();
  }

  /** Creates the error for a body that ended before `size` bytes, also used when the connection broke early. */
  shortError(cause?: unknown): DigestError {
    const expected = this.options.size === undefined ? '' : ` of ${this.options.size}`;
    return new DigestError(`${this.options.label} ended after ${this.received}${expected} bytes; the content does not match its digest`, { cause });
  }
}
