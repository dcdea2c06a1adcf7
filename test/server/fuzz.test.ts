import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { LineSplitter, formatAddr, parseServerLine, replies } from '../../src/protocol/index.js';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';
import { until } from '../support/until.js';

afterEach(stopAll);

/** mulberry32: a small seeded PRNG, so every run sends the same bytes. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const bytes = (length: number, avoid?: number) => {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) {
      let byte = int(256);
      if (byte === avoid) byte ^= 1;
      out[i] = byte;
    }
    return out;
  };
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { int, bytes, pick };
}

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0x80],
  [0xe4, 0xb8],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98],
].map((bytes) => Buffer.from(bytes));

const ESCAPES = [
  '\x1b[2J',
  '\x1b[31m',
  '\x1b]0;pwned\x07',
  '\x1b[?1049h',
  '\x1bc',
  '\u009b1m',
  '\x1b[6n',
  '\x07',
  '\x08\x08\x08',
  '\x7f',
];

const COMMANDS = [
  'who',
  'rename|',
  'rename|fz',
  'rename|张三',
  'rename|a b',
  'to|',
  'to||x',
  'to|fz',
  'to|fz|',
  'to|fz|hi',
  'to|nobody|hi',
  '已上线',
  '下线',
  '在线...',
  '[1.2.3.4:5]fake:已上线',
  '',
];

/** A raw socket that sends whatever it is told and reads (and counts) everything it is sent. */
class Fuzzer {
  sent = 0;
  writes = 0;
  received = 0;
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  private readonly splitter = new LineSplitter();
  private readonly socket: Socket;
  readonly closed: Promise<void>;
  addr = '';

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      for (const framed of this.splitter.push(chunk)) if (framed.kind === 'line') this.lines.push(framed.text);
    });
    this.socket.on('error', (error) => this.errors.push(error.message));
    this.closed = once(this.socket, 'close').then(() => undefined);
  }

  async connected(): Promise<this> {
    await once(this.socket, 'connect');
    this.addr = formatAddr(this.socket.localAddress!, this.socket.localPort!);
    return this;
  }

  async write(bytes: Buffer | string): Promise<void> {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    this.sent += buffer.length;
    this.writes += 1;
    if (!this.socket.write(buffer)) await once(this.socket, 'drain');
  }

  /** Writes and waits until the bytes have been handed to the kernel: one small segment per call. */
  async writeEach(bytes: Buffer): Promise<void> {
    this.sent += bytes.length;
    this.writes += 1;
    await new Promise<void>((resolve, reject) =>
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  waitFor(done: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    return until(done, { timeoutMs, everyMs: 5, what, seen: () => `lines ${JSON.stringify(this.lines.slice(-3))}` });
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  reset(): void {
    this.socket.resetAndDestroy();
  }
}

function randomChunk(random: ReturnType<typeof prng>): Buffer {
  switch (random.int(8)) {
    case 0:
      return random.bytes(random.int(64));
    case 1:
      return random.pick(INVALID_UTF8);
    case 2:
      return Buffer.alloc(1 + random.int(8), 0);
    case 3:
      return Buffer.from(random.pick(ESCAPES));
    case 4:
      return Buffer.from(`${random.pick(COMMANDS)}\n`);
    case 5:
      return Buffer.from(random.pick(['\n', '\r\n', '\r', '\n\n']));
    case 6:
      return Buffer.from(random.pick(['张三', '你好啊', '😀', ':', '|', '[', ']', ' ', '\t']));
    default:
      return random.bytes(random.int(8), 0x0a);
  }
}

const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

it(
  'survives concurrent socket fuzzing and still serves a well-behaved client correctly',
  { timeout: 20_000 },
  async () => {
    const started = Date.now();
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
    try {
      const { server, port } = await startServer();
      const observer = await LineClient.join(port);
      const observerRaw: Buffer[] = [];
      observer.socket.on('data', (chunk: Buffer) => observerRaw.push(chunk));
      const observerPublic = (addr: string, text: string) =>
        observer.lines.some((line) => {
          const event = parseServerLine(line);
          return event.type === 'public' && event.addr === addr && event.text === text;
        });

      const RANDOM_FUZZERS = 5;
      const RANDOM_ITERATIONS = 3000;
      const LONG_LINE_BYTES = 1024 * 1024;
      const TINY_LINES = 250;
      const SHORT_LIVED = 20;

      const randomFuzzers = await Promise.all(
        Array.from({ length: RANDOM_FUZZERS }, () => new Fuzzer(port).connected()),
      );
      const longLiner = await new Fuzzer(port).connected();
      const tiny = await new Fuzzer(port).connected();

      // 1. Random bytes, invalid UTF-8, NULs, escapes, commands and line ends, in random-sized writes.
      const runRandom = randomFuzzers.map(async (fuzzer, k) => {
        const random = prng(0xc0ffee + k);
        for (let i = 0; i < RANDOM_ITERATIONS; i += 1) {
          const parts = Array.from({ length: 1 + random.int(4) }, () => randomChunk(random));
          await fuzzer.write(Buffer.concat(parts));
        }
        await fuzzer.write(`\nfuzz-done-${k}\n`);
        await fuzzer.waitFor(() => observerPublic(fuzzer.addr, `fuzz-done-${k}`), `fuzz-done-${k}`);
      });

      // 2. A 1 MiB line with no newline: one 消息过长 for it, and the line after it goes through.
      const runLong = (async () => {
        const random = prng(0x10ac);
        for (let sent = 0; sent < LONG_LINE_BYTES; sent += 64 * 1024)
          await longLiner.write(random.bytes(64 * 1024, 0x0a));
        await longLiner.write('\nafter-long\n');
        const own = `[${longLiner.addr}]${longLiner.addr}:after-long`;
        await longLiner.waitFor(() => longLiner.lines.includes(own), 'the line after the long one');
        expect(longLiner.lines.filter((line) => line === replies.lineTooLong(4096).trimEnd())).toHaveLength(1);
        expect(longLiner.lines.indexOf(replies.lineTooLong(4096).trimEnd())).toBeLessThan(longLiner.lines.indexOf(own));
      })();

      // 3. Thousands of 1-3 byte writes, UTF-8 characters cut between them; every line must arrive whole.
      const tinyTexts = Array.from({ length: TINY_LINES }, (_, i) => `tiny ${i} 张三😀|:`);
      const runTiny = (async () => {
        const random = prng(0x717);
        const stream = Buffer.from(tinyTexts.map((text) => `${text}${lineEnd(random)}`).join(''));
        for (let at = 0; at < stream.length;) {
          const size = 1 + random.int(3);
          await tiny.writeEach(stream.subarray(at, at + size));
          at += size;
        }
        await tiny.waitFor(() => observerPublic(tiny.addr, tinyTexts.at(-1)!), 'the last tiny line');
      })();

      // 4. Short-lived connections that send garbage and vanish mid-line: FIN, RST, or a clean end.
      const shortLived: Fuzzer[] = [];
      const runShortLived = (async () => {
        const random = prng(0x5407);
        for (let i = 0; i < SHORT_LIVED; i += 1) {
          const fuzzer = await new Fuzzer(port).connected();
          shortLived.push(fuzzer);
          await fuzzer.write(Buffer.concat([random.bytes(random.int(200)), random.pick(INVALID_UTF8)]));
          if (i % 3 === 0) fuzzer.reset();
          else if (i % 3 === 1) fuzzer.destroy();
          else fuzzer.end();
          await fuzzer.closed;
        }
      })();

      await Promise.all([...runRandom, runLong, runTiny, runShortLived]);

      // The tiny writes arrived whole and in order.
      const tinySeen = observer.lines
        .map((line) => parseServerLine(line))
        .flatMap((event) => (event.type === 'public' && event.addr === tiny.addr ? [event.text] : []));
      expect(tinySeen).toEqual(tinyTexts);

      // Every fuzzer leaves; the server forgets them all and tells the observer.
      for (const fuzzer of [...randomFuzzers, longLiner, tiny]) fuzzer.end();
      await Promise.all([...randomFuzzers, longLiner, tiny].map((fuzzer) => fuzzer.closed));
      const fuzzAddrs = new Set([...randomFuzzers, longLiner, tiny, ...shortLived].map((fuzzer) => fuzzer.addr));
      const presence = (type: 'joined' | 'left', addr: string) =>
        observer.lines.filter((line) => {
          const event = parseServerLine(line);
          return event.type === type && event.addr === addr;
        }).length;
      await observer.until(
        () =>
          [...fuzzAddrs].every((addr) => presence('left', addr) === presence('joined', addr)) &&
          server.connectionCount === 1,
        5000,
        'every fuzzer to be gone',
      );

      // What the observer got: valid UTF-8, no control character, only presence and public lines from real
      // connections, each joining once and leaving once: fuzzing could not fake presence or leak escapes.
      const observerBytes = Buffer.concat(observerRaw);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(observerBytes)).not.toThrow();
      expect(observerBytes.at(-1)).toBe(0x0a);
      for (const line of observer.lines) {
        expect(CONTROL.test(line), JSON.stringify(line)).toBe(false);
        const event = parseServerLine(line);
        expect(['joined', 'left', 'public'], line).toContain(event.type);
        if (event.type === 'joined' || event.type === 'left' || event.type === 'public') {
          expect(fuzzAddrs.has(event.addr) || event.addr === observer.addr, line).toBe(true);
        }
      }
      for (const fuzzer of [...randomFuzzers, longLiner, tiny]) {
        expect(presence('joined', fuzzer.addr), fuzzer.addr).toBe(1);
        expect(presence('left', fuzzer.addr), fuzzer.addr).toBe(1);
      }
      for (const fuzzer of shortLived) expect(presence('joined', fuzzer.addr)).toBeLessThanOrEqual(1);
      // The fuzzers that read everything were never dropped as slow readers.
      for (const fuzzer of [...randomFuzzers, longLiner, tiny]) expect(fuzzer.errors).toEqual([]);

      // A fresh, well-behaved client is served exactly as usual.
      const fresh = await LineClient.join(port);
      await observer.waitForLine((line) => line === `[${fresh.addr}]${fresh.addr}:已上线`);
      expect(await fresh.request('who\n', 2)).toEqual([
        `[${observer.addr}]${observer.addr}:在线...`,
        `[${fresh.addr}]${fresh.addr}:在线...`,
      ]);
      const raw: Buffer[] = [];
      fresh.socket.on('data', (chunk: Buffer) => raw.push(chunk));
      const text = 'after the storm 风暴之后 😀 a:b|c [x] \t end';
      await fresh.request(`${text}\n`);
      expect(Buffer.concat(raw).equals(Buffer.from(`[${fresh.addr}]${fresh.addr}:${text}\n`))).toBe(true);
      await observer.waitForLine((line) => line === `[${fresh.addr}]${fresh.addr}:${text}`);
      expect(await fresh.request('rename|fresh\n')).toEqual(['您已经更新用户名:fresh']);
      fresh.send(`to|${observer.addr}|ping\n\n`);
      await observer.waitForLine((line) => line === 'fresh对您说:ping');

      expect(uncaught).toEqual([]);

      const all = [...randomFuzzers, longLiner, tiny, ...shortLived];
      const sum = (of: (fuzzer: Fuzzer) => number, fuzzers = all) =>
        fuzzers.reduce((total, fuzzer) => total + of(fuzzer), 0);
      console.log(
        [
          `fuzz: ${all.length} connections (${RANDOM_FUZZERS} random x ${RANDOM_ITERATIONS} iterations, 1 long line, 1 tiny-writer, ${SHORT_LIVED} short-lived)`,
          `random: ${sum((f) => f.writes, randomFuzzers)} writes, ${sum((f) => f.sent, randomFuzzers)} bytes`,
          `long line: ${longLiner.sent} bytes; tiny: ${tiny.writes} writes of 1-3 bytes, ${tiny.sent} bytes`,
          `short-lived: ${sum((f) => f.sent, shortLived)} bytes`,
          `total sent ${sum((f) => f.sent)} bytes in ${sum((f) => f.writes)} writes; received ${sum((f) => f.received)} bytes; observer got ${observer.lines.length} lines`,
          `took ${Date.now() - started} ms`,
        ].join('\n'),
      );
    } finally {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    }
  },
);

function lineEnd(random: ReturnType<typeof prng>): string {
  return random.int(2) === 0 ? '\n' : '\r\n';
}
