const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type Framed = { kind: 'line'; text: string } | { kind: 'overlong' };

/**
 * Turns a byte stream into lines. `\n` ends a line and a `\r` before it is dropped. Splitting on the byte
 * 0x0A never cuts a UTF-8 character, so a character that straddles two chunks is decoded whole; invalid
 * UTF-8 becomes U+FFFD. A line longer than `maxLineBytes` is reported once as `overlong` and discarded up
 * to its `\n`. At most `maxLineBytes` bytes are held, plus a final `\r` that may begin a `\r\n`.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): Framed[] {
    const framed: Framed[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), framed);
      if (newline === -1) break;
      this.finishLine(framed);
      start = newline + 1;
    }
    return framed;
  }

  /** The unterminated last line, if any (a peer that closes without a final `\n`). */
  end(): Framed[] {
    const framed: Framed[] = [];
    if (this.pendingBytes > 0 && !this.discarding) this.finishLine(framed);
    this.reset();
    return framed;
  }

  private take(piece: Buffer, framed: Framed[]): void {
    if (this.discarding || piece.length === 0) return;
    // A trailing `\r` may belong to a `\r\n` split across chunks, so it does not count against the limit yet.
    const counted = this.pendingBytes + piece.length - (piece[piece.length - 1] === CARRIAGE_RETURN ? 1 : 0);
    if (counted > this.maxLineBytes) {
      framed.push({ kind: 'overlong' });
      this.reset();
      this.discarding = true;
      return;
    }
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
  }

  private finishLine(framed: Framed[]): void {
    if (this.discarding) {
      this.reset();
      return;
    }
    let bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, -1);
    framed.push({ kind: 'line', text: this.decoder.decode(bytes) });
    this.reset();
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
  }
}
