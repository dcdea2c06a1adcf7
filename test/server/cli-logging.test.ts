import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { killAll, launch } from '../support/server-command.js';

afterEach(async () => {
  killAll();
  await stopAll();
});

/** A 32-character name, so that each rename logs about 250 bytes. */
const longName = (index: number) => '名'.repeat(27) + String(index).padStart(5, '0');

/** Starts chat-server with its stdout read, and returns it with its port once it listens. */
async function listening(args: string[] = []) {
  // Every client here comes from 127.0.0.1: no per-address limits.
  const unlimited = ['--rate', '0', '--max-clients-per-ip', '0', '--join-rate', '0'];
  const server = launch(['--port', '0', '--ip', '127.0.0.1', ...unlimited, ...args]);
  await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"listening"');
  const { port } = server.logLines().find((line) => line.event === 'listening') as unknown as { port: number };
  return { ...server, port };
}

/** Renames `client` `count` times in one burst and waits for every answer. */
async function renameMany(client: LineClient, count: number, timeoutMs: number): Promise<void> {
  let burst = '';
  for (let index = 0; index < count; index += 1) burst += `rename|${longName(index)}\n`;
  client.send(burst);
  const prefix = replies.renamed('').trimEnd();
  const answers = () => client.lines.filter((line) => line.startsWith(prefix)).length;
  await client.until(() => answers() >= count, timeoutMs, `${count} rename answers`);
}

describe('chat-server logging when stdout stops taking lines', { timeout: 30_000 }, () => {
  it('keeps serving, and exits within 5 s of SIGTERM, while nobody reads its stdout', async () => {
    const server = await listening();
    const alice = await LineClient.join(server.port);
    server.child.stdout!.pause();
    // ~750 KB of log lines: far more than the pipe and its reader's buffer hold. The server still answers.
    await renameMany(alice, 3000, 10_000);

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const outcome = await server.exited;
    const exitMs = performance.now() - signalledAt;
    expect(outcome.code).toBe(0);
    expect(exitMs).toBeLessThan(5000);
    await alice.waitForClose();
    expect(alice.lines.at(-1)).toBe('服务器已关闭');
  });

  it('drops the lines stdout cannot take and says how many once it reads again', async () => {
    const server = await listening();
    const alice = await LineClient.join(server.port);
    server.child.stdout!.pause();
    const renames = 10_000; // ~2.5 MB of log lines: past what the server holds for stdout (1 MiB)
    await renameMany(alice, renames, 15_000);
    server.child.stdout!.resume();

    await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"event":"log-dropped"');
    const lines = server.logLines();
    const dropped = lines.find((line) => line.event === 'log-dropped') as unknown as { lines: number; level: number };
    expect(dropped.level).toBe(40);
    expect(dropped.lines).toBeGreaterThan(0);
    // Every rename was either written or counted.
    expect(lines.filter((line) => line.event === 'rename').length + dropped.lines).toBe(renames);
  });

  it('writes the disconnect line of every client before it exits', async () => {
    const server = await listening();
    const clients = 200;
    for (let index = 0; index < clients; index += 1) await LineClient.join(server.port);
    await expect
      .poll(() => server.logLines().filter((line) => line.event === 'connect').length, { timeout: 5000 })
      .toBe(clients);

    server.child.kill('SIGTERM');
    const outcome = await server.exited;
    expect(outcome.code).toBe(0);
    const disconnects = server.logLines().filter((line) => line.event === 'disconnect');
    expect(disconnects).toHaveLength(clients);
    expect(disconnects.every((line) => line.reason === 'shutdown')).toBe(true);
    expect(disconnects.at(-1)!.online).toBe(0);
  });
});
