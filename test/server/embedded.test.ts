// The server chat-tui --serve starts in its own process, and the SSH door it opens into it.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/server/embedded.js';
import { fingerprintOf, loadOrCreateHostKey, parsePublicKey } from '../../src/ssh/keys.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { freePort } from '../support/free-port.js';
import { SshLines, sshConnect, stopDoors, tempDir, userKey } from '../support/ssh.js';

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
    const outcome = await server.openSsh({ port: 0, lang: 'en' });
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
    expect(await server.openSsh({ port: held, lang: 'en' })).toEqual({
      open: false,
      code: 'EADDRINUSE',
      reason: `127.0.0.1:${held} is already in use; stop the other server or choose another port`,
    });

    process.env.XDG_STATE_HOME = tempDir();
    const directory = join(process.env.XDG_STATE_HOME, 'chat-server', 'ssh_host_ed25519_key');
    mkdirSync(directory, { recursive: true });
    const unreadable = await server.openSsh({ port: 0, lang: 'en' });
    expect(unreadable).toEqual({ open: false, reason: `cannot read the SSH host key ${directory}: it is a directory` });

    const missing = join(tempDir(), 'no_such_keys');
    const hostKeyPath = join(tempDir(), 'host_key');
    expect(await server.openSsh({ port: 0, lang: 'en', hostKeyPath, authorizedKeysPath: missing })).toEqual({
      open: false,
      reason: `cannot read the SSH authorized keys ${missing}: no such file`,
    });

    // Without its door the chat goes on.
    const tcp = await LineClient.join(server.port);
    expect(tcp.lines).toHaveLength(1);
  });

  it('opens the door with the host key and the authorized keys it is given', async () => {
    const server = await start();
    const hostKeyPath = join(tempDir(), 'host_key');
    const { fingerprint } = loadOrCreateHostKey(hostKeyPath);
    const [alice, bob] = [userKey('alice'), userKey('bob')];
    const authorizedKeysPath = join(tempDir(), 'authorized_keys');
    writeFileSync(authorizedKeysPath, `${alice.publicKey}\n${bob.publicKey}\n`);
    const outcome = await server.openSsh({ port: 0, lang: 'en', hostKeyPath, authorizedKeysPath });
    if (!outcome.open) throw new Error(`the door did not open: ${outcome.reason}`);
    expect(outcome.listedKeys).toBe(2);

    await expect(sshConnect(outcome.port, { username: 'mallory' })).rejects.toThrow(/authentication methods failed/);
    const seen: string[] = [];
    const hostVerifier = (blob: Buffer) => seen.push(fingerprintOf(parsePublicKey(blob)!)) > 0;
    await SshLines.join(outcome.port, { username: 'alice', privateKey: alice.privateKey, hostVerifier });
    expect(seen).toEqual([fingerprint]);
    expect(existsSync(join(stateHome, 'chat-server'))).toBe(false);
  });

  it('holds the door to the limits it is given', async () => {
    const cases = [
      { limit: { maxSessions: 1 }, refusal: replies.serverFull() },
      { limit: { maxSessionsPerIp: 1 }, refusal: replies.tooManyConnections() },
    ];
    for (const { limit, refusal } of cases) {
      const outcome = await (await start()).openSsh({ port: 0, lang: 'en', ...limit });
      if (!outcome.open) throw new Error(`the door did not open: ${outcome.reason}`);
      expect(outcome.listedKeys).toBeUndefined();
      await SshLines.join(outcome.port, { username: 'first' });
      const second = await SshLines.open(outcome.port, { username: 'second' });
      await second.waitForClose();
      expect(second.lines).toEqual([refusal.trimEnd()]);
    }
  });

  it('closes a door that finishes opening after the server was stopped', async () => {
    const server = await start();
    const opening = server.openSsh({ port: 0, lang: 'en' });
    await server.stop();
    const outcome = await opening;
    if (!outcome.open) throw new Error(`the door did not open: ${outcome.reason}`);
    expect(await refused(outcome.port)).toBe(true);
  });
});
