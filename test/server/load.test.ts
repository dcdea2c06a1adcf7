import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';

afterEach(stopAll);

describe('a stalled reader', () => {
  it('is dropped while everyone else receives all 10,000 broadcasts, and memory stays bounded', async () => {
    const maxQueueBytes = 256 * 1024;
    const { server, port } = await startServer({ maxQueueBytes });
    const readers = await Promise.all([1, 2, 3].map(() => LineClient.join(port)));
    const stalled = await LineClient.join(port);
    stalled.socket.pause();
    const sender = readers[0]!;

    const messages = 10_000;
    const padding = 'x'.repeat(1000);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let queuedPeak = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      queuedPeak = Math.max(queuedPeak, server.queuedBytes);
    }, 5);
    const from = readers.map((reader) => reader.lines.length);
    for (let i = 0; i < messages; i += 1) sender.send(`${i} ${padding}\n`);
    try {
      await Promise.all(
        readers.map((reader, index) =>
          reader.until(() => reader.lines.length - from[index]! >= messages + 1, 30_000, 'every broadcast'),
        ),
      );
    } finally {
      clearInterval(sampler);
    }

    for (const [index, reader] of readers.entries()) {
      const received = reader.lines.slice(from[index]).filter((line) => line.startsWith(`[${sender.addr}]`));
      expect(received).toHaveLength(messages);
      expect(received.every((line, i) => line === `[${sender.addr}]${sender.addr}:${i} ${padding}`)).toBe(true);
      expect(reader.lines).toContain(`[${stalled.addr}]${stalled.addr}:下线`);
    }
    expect(server.connectionCount).toBe(3);
    const growthMiB = (rssPeak - rssBefore) / 2 ** 20;
    console.log(
      `stalled reader: ${messages} broadcasts x 3 readers delivered; server queues peaked at ` +
        `${(queuedPeak / 1024).toFixed(0)} KiB; test process RSS grew ${growthMiB.toFixed(1)} MiB (it keeps every line)`,
    );
    // Ten thousand 1 KB lines to four clients is 40 MB on the wire: unbounded queueing would show here.
    expect(queuedPeak).toBeLessThanOrEqual(4 * maxQueueBytes);
    expect(growthMiB).toBeLessThan(256);
  });
});

describe('a flooder', () => {
  it('is slowed, not dropped: every line arrives, in order, while others still chat', async () => {
    const rate = 200;
    const burst = 20;
    const { port } = await startServer({ rate, burst });
    const flooder = await LineClient.join(port);
    const chatter = await LineClient.join(port);
    const listener = await LineClient.join(port);
    const lines = 300;
    const startedAt = performance.now();
    flooder.send(Array.from({ length: lines }, (_, i) => `flood ${i}\n`).join(''));
    await listener.waitForLine((line) => line.endsWith(':flood 30'));
    chatter.send('still here\n');

    const mine = `[${chatter.addr}]${chatter.addr}:still here`;
    await listener.waitForLine((line) => line === mine);
    const chatAt = listener.lines.indexOf(mine);
    const floodLines = () => listener.lines.filter((line) => line.startsWith(`[${flooder.addr}]`));
    await listener.until(() => floodLines().length === lines, 10_000, 'every flooded line');
    const elapsedS = (performance.now() - startedAt) / 1000;

    expect(floodLines()).toEqual(
      Array.from({ length: lines }, (_, i) => `[${flooder.addr}]${flooder.addr}:flood ${i}`),
    );
    expect(chatAt).toBeLessThan(listener.lines.indexOf(`[${flooder.addr}]${flooder.addr}:flood ${lines - 1}`));
    expect(elapsedS).toBeGreaterThanOrEqual((lines - burst) / rate - 0.1);
    expect(flooder.closed).toBe(false);
  });
});

describe('a busy round', () => {
  it('drops no reader that keeps up, even when one round carries more than --max-queue-bytes', async () => {
    const maxQueueBytes = 256 * 1024;
    const { server, port } = await startServer({ maxQueueBytes, rate: 20, burst: 40 });
    const readers = await Promise.all(Array.from({ length: 5 }, () => LineClient.join(port)));
    const senders = await Promise.all(Array.from({ length: 20 }, () => LineClient.join(port)));
    const paste = Array.from({ length: 15 }, (_, i) => `${i}${'x'.repeat(4000)}\n`).join('');
    const from = readers.map((reader) => reader.lines.length);
    // 20 pastes of 60 KB land in the same turn: a round of about 1.2 MB, over four times the limit.
    for (const sender of senders) sender.send(paste);
    const expected = senders.length * 15;
    await Promise.all(
      readers.map((reader, index) =>
        reader.until(
          () => reader.lines.slice(from[index]).filter((line) => line.endsWith('x'.repeat(100))).length >= expected,
          20_000,
          'every pasted line',
        ),
      ),
    );
    expect(readers.every((reader) => !reader.closed)).toBe(true);
    expect(server.connectionCount).toBe(readers.length + senders.length);
  });
});
