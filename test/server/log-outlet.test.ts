import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogOutlet } from '../../src/server/log-outlet.js';

/** A stdout whose reader takes nothing until release() is called. */
class StuckOutput extends Writable {
  readonly taken: string[] = [];
  private waiting: Array<() => void> = [];
  private open = false;

  constructor() {
    // Below the outlet's bound, as stdout's 16 KiB is below its 1 MiB: 'drain' then says the reader is back.
    super({ highWaterMark: 100 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const take = () => {
      this.taken.push(chunk.toString());
      done();
    };
    if (this.open) take();
    else this.waiting.push(take);
  }

  release(): void {
    this.open = true;
    for (const take of this.waiting.splice(0)) take();
  }
}

const line = (index: number) => `${JSON.stringify({ event: 'rename', index, pad: 'x'.repeat(60) })}\n`;

describe('LogOutlet', () => {
  it('holds lines up to its bound, drops the rest, and reports the count once the output takes lines', async () => {
    const out = new StuckOutput();
    const outlet = new LogOutlet(out, undefined, 1000, (count) => outlet.write(`dropped ${count}\n`));
    for (let index = 0; index < 100; index += 1) outlet.write(line(index));
    const held = out.writableLength;
    expect(held).toBeGreaterThanOrEqual(1000);
    expect(held).toBeLessThan(1000 + line(0).length);
    const kept = Math.ceil(1000 / line(0).length);
    expect(outlet.droppedLines).toBe(100 - kept);

    out.release();
    await new Promise((resolve) => setImmediate(resolve)); // 'drain' comes on a later tick
    expect(outlet.droppedLines).toBe(0);
    expect(out.taken.slice(0, kept)).toEqual(Array.from({ length: kept }, (_, index) => line(index)));
    expect(out.taken.at(-1)).toBe(`dropped ${100 - kept}\n`);
  });

  it('flushes what the output takes, and stops waiting for one that takes nothing', async () => {
    const out = new StuckOutput();
    const outlet = new LogOutlet(out);
    outlet.write(line(1));
    const startedAt = performance.now();
    expect(await outlet.flush(200)).toBe(false);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);

    setTimeout(() => out.release(), 50);
    expect(await outlet.flush(1000)).toBe(true);
    expect(out.taken).toEqual([line(1)]);
  });

  it('drops everything, without an error, once the output has failed (a reader that went away)', () => {
    const out = new StuckOutput();
    const outlet = new LogOutlet(out);
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    outlet.write(line(1));
    expect(outlet.droppedLines).toBe(1);
  });

  it('writes lines in the form it is given, such as the readable one for a terminal', () => {
    const out = new StuckOutput();
    out.release();
    const outlet = new LogOutlet(out, (text) => text.toUpperCase());
    outlet.write('abc\n');
    expect(out.taken).toEqual(['ABC\n']);
  });
});
