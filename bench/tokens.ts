import { clientCommands } from '../src/protocol/index.js';

/*
 * A bench message carries one token, `{sender.seq.sentAtMicros}`, then padding. Deliveries are counted by
 * token, not by line: the tutorial's server cannot frame lines (it merges commands and drops a byte per
 * read), but every token it passes on intact is a delivery. No server line other than a bench message
 * holds `{`, so a token is found by scanning for it.
 */
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const DOT = 0x2e;
const ZERO = 0x30;
/** Longer than any token: anything beyond is garbage (a byte dropped by the server), not a token to wait for. */
const MAX_TOKEN_BYTES = 48;

/** Microseconds on a clock that every client in this process shares. */
export function nowMicros(): number {
  return Math.round(performance.now() * 1000);
}

/** The public-message command for one bench message, at most `bytes` long on the wire (padding fills it up). */
export function benchMessage(sender: number, seq: number, sentAtMicros: number, paddingBytes: number): string {
  return clientCommands.public(`{${sender}.${seq}.${sentAtMicros}} ${'x'.repeat(paddingBytes)}`);
}

/** `receivedAt` is performance.now() when the chunk holding the token arrived. */
export type TokenSink = (sender: number, seq: number, sentAtMicros: number, receivedAt: number) => void;

/** Finds tokens in a byte stream, including tokens split across chunks. */
export class TokenScanner {
  private carry: Buffer | undefined;
  garbled = 0;

  constructor(private readonly sink: TokenSink) {}

  private receivedAt = 0;

  push(chunk: Buffer, receivedAt: number): void {
    this.receivedAt = receivedAt;
    let from = 0;
    if (this.carry !== undefined) {
      const close = chunk.indexOf(CLOSE);
      if (close === -1) {
        this.carry =
          this.carry.length + chunk.length > MAX_TOKEN_BYTES ? this.drop() : Buffer.concat([this.carry, chunk]);
        return;
      }
      this.parse(Buffer.concat([this.carry, chunk.subarray(0, close)]), 0, this.carry.length + close);
      this.carry = undefined;
      from = close + 1;
    }
    for (;;) {
      const open = chunk.indexOf(OPEN, from);
      if (open === -1) return;
      const close = chunk.indexOf(CLOSE, open + 1);
      if (close === -1) {
        this.carry = Buffer.from(chunk.subarray(open + 1));
        return;
      }
      this.parse(chunk, open + 1, close);
      from = close + 1;
    }
  }

  private drop(): undefined {
    this.garbled += 1;
    return undefined;
  }

  /** Parses `sender.seq.micros` from bytes [start, end); anything else counts as garbled. */
  private parse(bytes: Buffer, start: number, end: number): void {
    const fields = [0, 0, 0];
    let field = 0;
    let digits = 0;
    for (let i = start; i < end; i += 1) {
      const byte = bytes[i]!;
      if (byte === DOT && digits > 0 && field < 2) {
        field += 1;
        digits = 0;
      } else if (byte >= ZERO && byte <= ZERO + 9) {
        fields[field] = fields[field]! * 10 + (byte - ZERO);
        digits += 1;
      } else {
        this.garbled += 1;
        return;
      }
    }
    if (field !== 2 || digits === 0) {
      this.garbled += 1;
      return;
    }
    this.sink(fields[0]!, fields[1]!, fields[2]!, this.receivedAt);
  }
}
