const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type Framed = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'overlong' };

/** Runs of blank lines, to compare a chunk against (see skipBlankLines). */
const NEWLINES = Buffer.alloc(64 * 1024, '\n');
const CRLFS = Buffer.alloc(64 * 1024, '\r\n');

/** Blank lines counted one by one before a run is measured in native code. */
const SHORT_RUN = 64;

/**
 * How many bytes of `chunk` from `at` repeat `pattern` (a run of a `unit`-byte sequence), measured by
 * comparing stretches that double, then halve, in native code: 64 KiB of newlines costs a few dozen calls.
 */
function runOf(pattern: Buffer, unit: number, chunk: Buffer, at: number): number {
  const repeats = (from: number, length: number) =>
    from + length <= chunk.length && pattern.compare(chunk, from, from + length, 0, length) === 0;
  let run = 0;
  let step = unit;
  while (step < pattern.length && repeats(at + run, step)) {
    run += step;
    step *= 2;
  }
  for (; step >= unit; step /= 2) while (repeats(at + run, step)) run += step;
  return run;
}

/** Shared by every blank line: a chunk of bare newlines costs no allocation per line. */
const BLANK_LINE: Framed = { kind: 'line', text: '' };

/**
 * Turns a byte stream into lines. `\n` ends a line and a `\r` before it is dropped. Splitting on the byte
 * 0x0A never cuts a UTF-8 character, so a character that straddles two chunks is decoded whole; invalid
 * UTF-8 becomes U+FFFD. A line longer than `maxLineBytes` is reported once as `overlong` and discarded up
 * to its `\n`.
 *
 * Lines are taken one at a time with next(), so a reader that handles them at its own pace holds the chunk
 * it was given and at most `maxLineBytes` of an unfinished line (plus a final `\r` that may begin a `\r\n`),
 * however many lines the chunk holds.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private chunk: Buffer | undefined;
  private offset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes = Number.POSITIVE_INFINITY) {}

  /** Bytes given to feed() that next() has not framed yet. */
  get unreadBytes(): number {
    return this.chunk ? this.chunk.length - this.offset : 0;
  }

  /** Gives the next chunk of the stream, to be framed by next(). */
  feed(chunk: Buffer): void {
    // Readers feed a chunk once next() has framed the last one; should one not, nothing is lost.
    this.chunk = this.unreadBytes > 0 ? Buffer.concat([this.chunk!.subarray(this.offset), chunk]) : chunk;
    this.offset = 0;
  }

  /** The next whole line of what was fed, or undefined when more bytes are needed. */
  next(): Framed | undefined {
    while (this.chunk) {
      const chunk = this.chunk;
      const newline = chunk.indexOf(NEWLINE, this.offset);
      const whole = newline !== -1 && this.pendingBytes === 0 && !this.discarding;
      if (whole && newline - this.offset <= this.maxLineBytes) return this.lineAt(chunk, newline);
      const overlong = this.take(chunk.subarray(this.offset, newline === -1 ? chunk.length : newline));
      if (newline === -1) {
        this.chunk = undefined;
        return overlong;
      }
      this.offset = newline + 1;
      if (this.offset === chunk.length) this.chunk = undefined;
      const line = this.finishLine();
      if (overlong ?? line) return overlong ?? line;
    }
    return undefined;
  }

  /**
   * Moves past the blank lines (`\n` or `\r\n` alone) at the current position, without framing each: a run
   * of them is compared in native code, a few calls for a whole chunk. Returns how many there were.
   */
  skipBlankLines(): number {
    const chunk = this.chunk;
    if (!chunk || this.pendingBytes > 0 || this.discarding) return 0;
    let at = this.offset;
    let skipped = 0;
    for (;;) {
      // Byte by byte while the run is short; a long run of one kind is measured in native code.
      let counted = 0;
      for (; counted < SHORT_RUN; counted += 1) {
        if (chunk[at] === NEWLINE) at += 1;
        else if (chunk[at] === CARRIAGE_RETURN && chunk[at + 1] === NEWLINE) at += 2;
        else break;
      }
      skipped += counted;
      if (counted < SHORT_RUN) break;
      const newlines = runOf(NEWLINES, 1, chunk, at);
      const crlfs = runOf(CRLFS, 2, chunk, at + newlines);
      at += newlines + crlfs;
      skipped += newlines + crlfs / 2;
    }
    this.offset = at;
    if (at >= chunk.length) this.chunk = undefined;
    return skipped;
  }

  /** Every line in `chunk`, for a reader that handles them all at once. */
  push(chunk: Buffer): Framed[] {
    this.feed(chunk);
    const framed: Framed[] = [];
    for (let line = this.next(); line; line = this.next()) framed.push(line);
    return framed;
  }

  /** The unterminated last line, if any (a peer that closes without a final `\n`). */
  end(): Framed[] {
    const framed: Framed[] = [];
    if (this.pendingBytes > 0 && !this.discarding) framed.push(this.finishLine()!);
    this.reset();
    return framed;
  }

  /** Holds `piece` as part of the current line; reports the line once if it grows too long. */
  private take(piece: Buffer): Framed | undefined {
    if (this.discarding || piece.length === 0) return undefined;
    // A trailing `\r` may belong to a `\r\n` split across chunks, so it does not count against the limit yet.
    const counted = this.pendingBytes + piece.length - (piece[piece.length - 1] === CARRIAGE_RETURN ? 1 : 0);
    if (counted > this.maxLineBytes) {
      this.reset();
      this.discarding = true;
      return { kind: 'overlong' };
    }
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
    return undefined;
  }

  /** The line from the current position up to the newline at `newline`, all of it in `chunk`: no copy. */
  private lineAt(chunk: Buffer, newline: number): Framed {
    const start = this.offset;
    const end = newline > start && chunk[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
    this.offset = newline + 1;
    if (this.offset === chunk.length) this.chunk = undefined;
    return end === start ? BLANK_LINE : { kind: 'line', text: this.decoder.decode(chunk.subarray(start, end)) };
  }

  private finishLine(): Framed | undefined {
    if (this.discarding) {
      this.reset();
      return undefined;
    }
    if (this.pendingBytes === 0) return BLANK_LINE;
    let bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, -1);
    this.reset();
    return bytes.length === 0 ? BLANK_LINE : { kind: 'line', text: this.decoder.decode(bytes) };
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
  }
}
