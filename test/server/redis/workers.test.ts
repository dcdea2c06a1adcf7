import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRedis, runWorkers, type Workers } from '../../../src/server/workers.js';
import { LineClient, stopAll } from '../../support/chat-server.js';
import { freePort } from '../../support/free-port.js';
import { RedisServer } from '../../support/redis-server.js';

const CLI = fileURLToPath(new URL('../../../bin/chat-server.js', import.meta.url));
const silent = pino({ level: 'silent' });

let redis: RedisServer;
let running: Workers | undefined;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await stopAll();
  await running?.stop('test-end');
  running = undefined;
});

/** Collects what the workers write on stderr. */
function errorSink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function workerArgs(port: number, prefix: string) {
  // prettier-ignore
  return ['--ip', '127.0.0.1', '--port', String(port), '--redis', redis.url, '--redis-prefix', prefix, '--workers', '2',
    '--max-clients-per-ip', '0', '--join-rate', '0', '--log-level', 'silent'];
}

describe('the primary of --workers', () => {
  it('checks Redis once, in one line', async () => {
    await expect(checkRedis(redis.url)).resolves.toBeUndefined();
    await expect(checkRedis('redis://:secret@127.0.0.1:1')).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
  });

  it('runs workers that share one port and one chat, and stops them all with a goodbye', async () => {
    const port = await freePort();
    const errors = errorSink();
    running = runWorkers(2, silent, {
      exec: CLI,
      args: workerArgs(port, `w${process.pid}a`),
      execArgv: [],
      stderr: errors.stream,
    });
    const first = await joinWhenListening(port);
    const second = await LineClient.join(port);
    await first.waitForLine((line) => line === `[${second.addr}]${second.addr}:已上线`);
    second.send('across workers\n');
    await first.waitForLine((line) => line.endsWith(':across workers'));
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(await running.done).toBe(0);
    for (const client of [first, second]) {
      await client.waitForClose();
      expect(client.lines.at(-1)).toBe('服务器已关闭');
    }
    expect(errors.text()).toBe('');
  }, 30_000);

  it("stops every worker, with the first one's error line alone, when they cannot start", async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
    );
    try {
      const errors = errorSink();
      running = runWorkers(2, silent, {
        exec: CLI,
        args: workerArgs(port, `w${process.pid}b`),
        execArgv: [],
        stderr: errors.stream,
      });
      expect(await running.done).toBe(2);
      expect(errors.text()).toBe(
        `chat-server: 127.0.0.1:${port} is already in use; stop the other server or choose another port\n`,
      );
    } finally {
      taken.close();
    }
  }, 30_000);
});

/** The first client, once a worker listens. */
async function joinWhenListening(port: number): Promise<LineClient> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    try {
      return await LineClient.join(port);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
