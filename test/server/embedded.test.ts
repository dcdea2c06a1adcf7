// The server chat-tui --serve starts in its own process, and the SSH door it opens into it.
import { mkdirSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/server/embedded.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { freePort } from '../support/free-port.js';
import { SshLines, stopDoors, tempDir } from '../support/ssh.js';

const servers: EmbeddedServer[] = [];
const holders: Server[] = [];
let stateHome: string;
const previousStateHome = process.env.XDG_STATE_HOME;

async function start(): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer('127.0.0.1', 0);
  servers.push(server);
  return server;
}

beforeEach(() => {
  // The door's host key goes where chat-server's does: under XDG_STATE_HOME, here a directory of the test's.
  stateHome = tempDir();
  process.env.XDG_STATE_HOME = stateHome;
});

afterEach(async () => {
  await stopDoors();
  await stopAll();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await Promise.all(holders.splice(0).map((holder) => new Promise((resolve) => holder.close(resolve))));
  if (previousStateHome === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = previousStateHome;
});

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the embedded server', () => {
  it('opens an SSH door into its own chat, with a host key made where chat-server keeps its own', async () => {
    const server = await start();
    const outcome = await server.openSsh(0, 'en');
    if (!outcome.open) throw new Error(`the door did not open: ${outcome.reason}`);
    const tcp = await LineClient.join(server.port);
    const carol = await SshLines.join(outcome.port, { username: 'carol' });
    carol.send('hello from ssh\n');
    await tcp.waitForLine((line) => line === `[${carol.addr}]carol:hello from ssh`);
    expect(statSync(join(stateHome, 'chat-server', 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);

    await server.stop();
    await carol.waitForClose();
    expect(await refused(outcome.port)).toBe(true);
  });

  it('says why the door stays shut: its port in use, a host key it cannot read', async () => {
    const server = await start();
    const held = await freePort();
    const holder = createServer();
    holders.push(holder);
    await new Promise<void>((resolve) => holder.listen(held, '127.0.0.1', resolve));
    expect(await server.openSsh(held, 'en')).toEqual({
      open: false,
      code: 'EADDRINUSE',
      reason: `127.0.0.1:${held} is already in use; stop the other server or choose another port`,
    });

    process.env.XDG_STATE_HOME = tempDir();
    mkdirSync(join(process.env.XDG_STATE_HOME, 'chat-server', 'ssh_host_ed25519_key'), { recursive: true });
    const unreadable = await server.openSsh(0, 'en');
    expect(unreadable).toMatchObject({ open: false, reason: expect.stringMatching(/^cannot read the SSH host key /) });
    expect(unreadable).not.toHaveProperty('code');

    // Without its door the chat goes on.
    const tcp = await LineClient.join(server.port);
    expect(tcp.lines).toHaveLength(1);
  });

  it('closes a door that finishes opening after the server was stopped', async () => {
    const server = await start();
    const opening = server.openSsh(0, 'en');
    await server.stop();
    const outcome = await opening;
    if (!outcome.open) throw new Error(`the door did not open: ${outcome.reason}`);
    expect(await refused(outcome.port)).toBe(true);
  });
});
