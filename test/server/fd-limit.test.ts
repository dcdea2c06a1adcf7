import { spawnSync } from 'node:child_process';
import type { Server } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';
import { killAll, launch } from '../support/server-command.js';

afterEach(async () => {
  killAll();
  await stopAll();
});

const OPEN_FILES = 64;
const canLimit = process.platform === 'linux' && spawnSync('prlimit', ['--version']).status === 0;
if (!canLimit) console.log('skipping the open-file limit test: it needs Linux and prlimit (util-linux)');

describe.skipIf(!canLimit)('chat-server beyond its open-file limit', { timeout: 30_000 }, () => {
  it('says so at start, answers the clients it has no descriptor for, and serves the others', async () => {
    // Every client here comes from 127.0.0.1: no per-address limits.
    const unlimited = ['--rate', '0', '--max-clients-per-ip', '0', '--join-rate', '0'];
    const server = launch(['--port', '0', '--ip', '127.0.0.1', ...unlimited, '--max-clients', '1000'], {}, [
      'prlimit',
      `--nofile=${OPEN_FILES}:${OPEN_FILES}`,
    ]);
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"fd-limit"');
    const lines = server.logLines();
    const { port } = lines.find((line) => line.event === 'listening') as unknown as { port: number };
    const limit = lines.find((line) => line.event === 'fd-limit') as unknown as { usable: number; softLimit: number };
    expect(limit).toMatchObject({ maxClients: 1000, softLimit: OPEN_FILES, hardLimit: OPEN_FILES });
    expect(limit.usable).toBeGreaterThan(0);
    expect(limit.usable).toBeLessThan(OPEN_FILES);

    const served: LineClient[] = [];
    for (let index = 0; index < limit.usable; index += 1) served.push(await LineClient.join(port));
    const turnedAway = 20;
    for (let index = 0; index < turnedAway; index += 1) {
      const refused = await LineClient.open(port);
      await refused.waitForClose();
      expect(refused.lines).toEqual([replies.serverFull().trimEnd()]);
    }
    await expect
      .poll(() => server.logLines().filter((line) => line.event === 'refuse' && line.reason === 'fd-limit').length, {
        timeout: 5000,
      })
      .toBe(turnedAway);

    // Everyone already in goes on chatting.
    const [first, last] = [served[0]!, served.at(-1)!];
    first.send('still here\n');
    await last.waitForLine((line) => line.endsWith(':still here'));

    server.child.kill('SIGTERM');
    const outcome = await server.exited;
    expect(outcome.code).toBe(0);
    const disconnects = server.logLines().filter((line) => line.event === 'disconnect' && line.reason === 'shutdown');
    expect(disconnects).toHaveLength(served.length);
  });
});

describe('accept errors', () => {
  it('are logged at most once a second, with a count of the rest, and do not stop the server', async () => {
    const logged: Array<Record<string, unknown>> = [];
    const logger = pino({ base: undefined }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const { server, port } = await startServer({ logger });
    // What the listener emits when accept() fails with no descriptor left.
    const listener = (server as unknown as { listener: Server }).listener;
    const emfile = () => Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' });
    for (let index = 0; index < 100; index += 1) listener.emit('error', emfile());
    const errors = () => logged.filter((line) => line.event === 'accept-error');
    expect(errors()).toEqual([expect.objectContaining({ code: 'EMFILE', suppressed: 0 })]);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    listener.emit('error', emfile());
    expect(errors()).toHaveLength(2);
    expect(errors()[1]).toMatchObject({ code: 'EMFILE', suppressed: 99 });
    await LineClient.join(port);
  });
});
