import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type Framed } from '../../src/protocol/index.js';

const NUM_RUNS = 500;

/** Feeds `chunks` one by one, then ends the stream; returns everything framed. */
function frame(chunks: Uint8Array[], maxLineBytes?: number): Framed[] {
  const splitter = new LineSplitter(maxLineBytes);
  const framed: Framed[] = [];
  for (const chunk of chunks) framed.push(...splitter.push(Buffer.from(chunk)));
  framed.push(...splitter.end());
  return framed;
}

/** Cuts `bytes` at the given points (any order, duplicates and out-of-range values allowed). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((p) => (bytes.length === 0 ? 0 : p % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of sorted) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/**
 * The framing rules stated independently of the splitter: split on 0x0A, drop one `\r` before it, a line
 * over the limit (its `\r` not counted) is one `overlong`, and a non-empty unterminated tail is a last line.
 */
function model(bytes: Uint8Array, maxLineBytes = Number.POSITIVE_INFINITY): Framed[] {
  const decoder = new TextDecoder('utf-8');
  const framed: Framed[] = [];
  const segments: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === 0x0a) {
      segments.push(bytes.subarray(from, i));
      from = i + 1;
    }
  }
  const tail = bytes.subarray(from);
  if (tail.length > 0) segments.push(tail);
  for (const segment of segments) {
    const body = segment.length > 0 && segment[segment.length - 1] === 0x0d ? segment.subarray(0, -1) : segment;
    framed.push(body.length > maxLineBytes ? { kind: 'overlong' } : { kind: 'line', text: decoder.decode(body) });
  }
  return framed;
}

const lines = (...texts: string[]): Framed[] => texts.map((text) => ({ kind: 'line', text }));
const OVERLONG: Framed = { kind: 'overlong' };

// Byte streams rich in what matters to framing: newlines, carriage returns, multi-byte and invalid UTF-8.
const interestingBytes = fc
  .array(
    fc.oneof(
      { arbitrary: fc.uint8Array({ maxLength: 6 }), weight: 4 },
      { arbitrary: fc.constant(Uint8Array.of(0x0a)), weight: 3 },
      { arbitrary: fc.constant(Uint8Array.of(0x0d, 0x0a)), weight: 2 },
      { arbitrary: fc.constant(Uint8Array.of(0x0d)), weight: 1 },
      {
        arbitrary: fc.constantFrom('张三', '你好啊', '😀', 'é', 'abc').map((s) => new Uint8Array(Buffer.from(s))),
        weight: 3,
      },
      {
        arbitrary: fc.constantFrom(
          Uint8Array.of(0xff),
          Uint8Array.of(0xe4, 0xb8),
          Uint8Array.of(0x80),
          Uint8Array.of(0xed, 0xa0, 0x80),
        ),
        weight: 1,
      },
    ),
    { maxLength: 40 },
  )
  .map((parts) => new Uint8Array(Buffer.concat(parts)));

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 200 }), interestingBytes);
const cutPoints = fc.array(fc.nat(), { maxLength: 30 });
const limit = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 16 }));

describe('LineSplitter', () => {
  it('frames any split of any byte stream exactly as the whole stream (property)', () => {
    fc.assert(
      fc.property(anyBytes, cutPoints, limit, (bytes, points, maxLineBytes) => {
        const whole = frame([bytes], maxLineBytes);
        expect(frame(cut(bytes, points), maxLineBytes)).toEqual(whole);
        expect(whole).toEqual(model(bytes, maxLineBytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('frames the same lines pulled one at a time with next(), blank lines skipped or not (property)', () => {
    fc.assert(
      fc.property(interestingBytes, cutPoints, limit, fc.boolean(), (bytes, points, maxLineBytes, skipBlank) => {
        const splitter = new LineSplitter(maxLineBytes);
        const pulled: Framed[] = [];
        let skipped = 0;
        for (const chunk of cut(bytes, points)) {
          splitter.feed(Buffer.from(chunk));
          for (;;) {
            if (skipBlank) skipped += splitter.skipBlankLines();
            const line = splitter.next();
            if (!line) break;
            pulled.push(line);
          }
          expect(splitter.unreadBytes).toBe(0);
        }
        pulled.push(...splitter.end());
        const whole = frame([bytes], maxLineBytes);
        const blank = (line: Framed) => line.kind === 'line' && line.text === '';
        if (!skipBlank) expect(pulled).toEqual(whole);
        // Skipping drops blank lines only, never a line with text or an overlong report.
        else expect(pulled.filter((line) => !blank(line))).toEqual(whole.filter((line) => !blank(line)));
        expect(skipped).toBeLessThanOrEqual(whole.filter(blank).length);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds one fed chunk and one unfinished line, however many lines the chunk has', () => {
    const splitter = new LineSplitter(4096);
    const chunk = Buffer.from('a\n'.repeat(30_000) + 'tail');
    splitter.feed(chunk);
    expect(splitter.next()).toEqual({ kind: 'line', text: 'a' });
    expect(splitter.unreadBytes).toBe(chunk.length - 2);
    let lines = 1;
    while (splitter.next()) lines += 1;
    expect(lines).toBe(30_000);
    expect(splitter.unreadBytes).toBe(0);
    expect(splitter.end()).toEqual([{ kind: 'line', text: 'tail' }]);
  });

  it('skips a run of blank lines in one step, \n and \r\n alike, and stops at text', () => {
    const splitter = new LineSplitter();
    splitter.feed(Buffer.from('\n\r\n\n\nwho\n\n'));
    expect(splitter.skipBlankLines()).toBe(4);
    expect(splitter.next()).toEqual({ kind: 'line', text: 'who' });
    expect(splitter.skipBlankLines()).toBe(1);
    expect(splitter.next()).toBeUndefined();
  });

  it('frames one byte at a time exactly as the whole stream (property)', () => {
    fc.assert(
      fc.property(interestingBytes, limit, (bytes, maxLineBytes) => {
        const single = Array.from(bytes, (byte) => Uint8Array.of(byte));
        expect(frame(single, maxLineBytes)).toEqual(frame([bytes], maxLineBytes));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('ends lines with \\n or \\r\\n and drops only one \\r', () => {
    expect(frame([Buffer.from('one\ntwo\r\nthree\r\r\n\n\r\n')])).toEqual(lines('one', 'two', 'three\r', '', ''));
  });

  it('keeps a \\r\\n split across chunks as one line end', () => {
    expect(frame([Buffer.from('hi\r'), Buffer.from('\nthere\r'), Buffer.from('\n')])).toEqual(lines('hi', 'there'));
  });

  it('returns lines as soon as their \\n arrives, not later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('par'))).toEqual([]);
    expect(splitter.push(Buffer.from('tial\nnext'))).toEqual(lines('partial'));
    expect(splitter.push(Buffer.from('\n'))).toEqual(lines('next'));
    expect(splitter.end()).toEqual([]);
  });

  it('decodes a UTF-8 character split across chunks whole, at every cut', () => {
    const bytes = Buffer.from('张三😀\n');
    for (let at = 0; at <= bytes.length; at += 1) {
      for (let at2 = at; at2 <= bytes.length; at2 += 1) {
        expect(frame([bytes.subarray(0, at), bytes.subarray(at, at2), bytes.subarray(at2)])).toEqual(lines('张三😀'));
      }
    }
  });

  it('turns invalid UTF-8 into U+FFFD', () => {
    expect(frame([Buffer.from([0x61, 0xff, 0x62, 0x0a])])).toEqual(lines('a\uFFFDb'));
    // A truncated character at the end of a line: the newline ends it, it does not swallow the newline.
    expect(frame([Buffer.from([0xe4, 0xb8, 0x0a, 0x63, 0x0a])])).toEqual(lines('\uFFFD', 'c'));
    // A lone continuation byte and an encoded surrogate.
    expect(frame([Buffer.from([0x80, 0x0a, 0xed, 0xa0, 0x80, 0x0a])])).toEqual(lines('\uFFFD', '\uFFFD\uFFFD\uFFFD'));
    // Invalid bytes in one line do not leak into the next.
    expect(frame([Buffer.from([0xe4]), Buffer.from('\n张\n')])).toEqual(lines('\uFFFD', '张'));
  });

  it('lets a line of exactly maxLineBytes through, with or without \\r', () => {
    expect(frame([Buffer.from('abcd\nabcd\r\n')], 4)).toEqual(lines('abcd', 'abcd'));
    expect(frame([Buffer.from('张')], 3)).toEqual(lines('张'));
  });

  it('reports a line of maxLineBytes + 1 once, discards it up to \\n, and frames the next line', () => {
    expect(frame([Buffer.from('abcde\nok\n')], 4)).toEqual([OVERLONG, ...lines('ok')]);
    expect(frame([Buffer.from('abcd'), Buffer.from('e'), Buffer.from('fgh'), Buffer.from('ij\nok\n')], 4)).toEqual([
      OVERLONG,
      ...lines('ok'),
    ]);
    expect(frame([Buffer.from('abcd\r\r\nok\n')], 4)).toEqual([OVERLONG, ...lines('ok')]);
    // Bytes are counted, not characters: 张三 is 6 bytes.
    expect(frame([Buffer.from('张三\n张\n')], 5)).toEqual([OVERLONG, ...lines('张')]);
    // Two overlong lines in a row are two reports.
    expect(frame([Buffer.from('xxxxx\nyyyyy\n')], 4)).toEqual([OVERLONG, OVERLONG]);
  });

  it('gives exactly one overlong for a 1 MiB line without newline fed in 1 KiB chunks, holding little', () => {
    const maxLineBytes = 4096;
    const splitter = new LineSplitter(maxLineBytes);
    // There is no public view of what the splitter holds, so this looks at its private byte count.
    const held = () => (splitter as unknown as { pendingBytes: number }).pendingBytes;
    const chunk = Buffer.alloc(1024, 'x');
    const framed: Framed[] = [];
    let maxHeld = 0;
    for (let i = 0; i < 1024; i += 1) {
      framed.push(...splitter.push(chunk));
      maxHeld = Math.max(maxHeld, held());
    }
    expect(framed).toEqual([OVERLONG]);
    expect(maxHeld).toBeLessThanOrEqual(maxLineBytes);
    expect(held()).toBe(0);
    expect(splitter.push(Buffer.from('tail of the long line\nnext\n'))).toEqual(lines('next'));
    expect(splitter.end()).toEqual([]);
  });

  it('never holds more than maxLineBytes (+1 for a \\r awaiting its \\n) (property)', () => {
    fc.assert(
      fc.property(anyBytes, cutPoints, fc.integer({ min: 0, max: 16 }), (bytes, points, maxLineBytes) => {
        const splitter = new LineSplitter(maxLineBytes);
        const held = () => (splitter as unknown as { pendingBytes: number }).pendingBytes;
        for (const chunk of cut(bytes, points)) {
          splitter.push(Buffer.from(chunk));
          expect(held()).toBeLessThanOrEqual(maxLineBytes + 1);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns an unterminated last line from end(), and nothing more after it', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('first\nlast 张'))).toEqual(lines('first'));
    expect(splitter.end()).toEqual(lines('last 张'));
    expect(splitter.end()).toEqual([]);
    expect(frame([Buffer.from('done\n')])).toEqual(lines('done'));
    expect(frame([])).toEqual([]);
  });

  it('does not return an overlong unterminated tail from end()', () => {
    expect(frame([Buffer.from('ok\nabcdefgh')], 4)).toEqual([...lines('ok'), OVERLONG]);
  });

  it('works again after end()', () => {
    const splitter = new LineSplitter(4);
    splitter.push(Buffer.from('abcdefgh'));
    expect(splitter.end()).toEqual([]);
    expect(splitter.push(Buffer.from('ok\n'))).toEqual(lines('ok'));
  });
});
