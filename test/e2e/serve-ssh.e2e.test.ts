// chat-tui --serve opens the SSH door of the server it starts, beside the TCP port.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { fingerprintOf, loadOrCreateHostKey, parsePublicKey } from '../../src/ssh/keys.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { freePorts } from '../support/free-port.js';
import { sshConnect, SshLines, stopDoors, tempDir, userKey } from '../support/ssh.js';
import { spawnChatTui, type Terminal } from './terminal-harness.js';

/** The door opens after the first frame, once ssh2 and the SSH screen's modules have loaded: seconds here. */
const DOOR_MS = 30_000;

const terminals: Terminal[] = [];
const holders: Server[] = [];

/** chat-tui --serve, with the door's host key under `stateHome` (XDG_STATE_HOME), not the user's own. */
function serve(args: string[], stateHome: string): Terminal {
  const terminal = spawnChatTui(['--serve', ...args], { columns: 100, env: { XDG_STATE_HOME: stateHome } });
  terminals.push(terminal);
  return terminal;
}

/** A port for the chat, one for its SSH door. */
async function twoPorts(): Promise<{ port: number; sshPort: number }> {
  const [port, sshPort] = await freePorts(2);
  return { port: port!, sshPort: sshPort! };
}

async function quit(terminal: Terminal): Promise<void> {
  terminal.type('/quit\r');
  expect(await terminal.waitForExit()).toBe(0);
}

afterEach(async () => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  await stopDoors();
  await stopAll();
  await Promise.all(holders.splice(0).map((holder) => new Promise((resolve) => holder.close(resolve))));
});

describe('chat-tui --serve and its SSH door', { timeout: 90_000 }, () => {
  it('says in the pane how to come in by SSH, and shows what an SSH user says there', async () => {
    const { port, sshPort } = await twoPorts();
    const host = serve(
      ['--port', String(port), '--ssh-port', String(sshPort), '--name', 'host', '--lang', 'en'],
      tempDir(),
    );
    await host.waitFor('host (you)');
    await host.waitFor(`others can join by SSH: ssh -p ${sshPort} 127.0.0.1`, DOOR_MS);

    const carol = await SshLines.join(sshPort, { username: 'carol' });
    carol.send('hello from ssh\n');
    await host.waitFor('carol: hello from ssh');
    host.type('hi carol\r');
    await carol.waitForLine((line) => line.endsWith(']host:hi carol'));
    // The server in the client's process logs nothing: the screen owns the terminal.
    expect(host.output()).not.toMatch(/ssh-listening|ssh-connect|"event"/);

    await quit(host);
    await carol.waitForClose();
  });

  it("keeps the door's host key where chat-server keeps its own: made on the first start, the same after", async () => {
    const stateHome = tempDir();
    const seen: string[] = [];
    for (const name of ['first', 'second']) {
      const { port, sshPort } = await twoPorts();
      const host = serve(['--port', String(port), '--ssh-port', String(sshPort), '--name', name], stateHome);
      await host.waitFor(`ssh -p ${sshPort} 127.0.0.1`, DOOR_MS);
      const hostVerifier = (blob: Buffer) => seen.push(fingerprintOf(parsePublicKey(blob)!)) > 0;
      (await sshConnect(sshPort, { username: name, hostVerifier })).end();
      await quit(host);
    }
    const keyPath = join(stateHome, 'chat-server', 'ssh_host_ed25519_key');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const { fingerprint, created } = loadOrCreateHostKey(keyPath);
    expect(created).toBe(false);
    expect(seen).toEqual([fingerprint, fingerprint]);
  });

  it('--ssh-authorized-keys: a private room, where only the keys listed come in, and the pane says so', async () => {
    const { port, sshPort } = await twoPorts();
    const listed = userKey('listed');
    const keys = join(tempDir(), 'authorized_keys');
    writeFileSync(keys, `# who may come in\n${listed.publicKey}\n`);
    const host = serve(
      ['--port', String(port), '--ssh-port', String(sshPort), '--ssh-authorized-keys', keys, '--name', 'host'],
      tempDir(),
    );
    await host.waitFor(`only the key listed can join by SSH: ssh -p ${sshPort} 127.0.0.1`, DOOR_MS);

    const alice = await SshLines.join(sshPort, { username: 'alice', privateKey: listed.privateKey });
    alice.send('in by my key\n');
    await host.waitFor('alice: in by my key');
    await expect(sshConnect(sshPort, { username: 'mallory', privateKey: userKey().privateKey })).rejects.toThrow(
      /authentication methods failed/,
    );
    await expect(sshConnect(sshPort, { username: 'mallory' })).rejects.toThrow(/authentication methods failed/);
    expect(host.screen()).not.toContain('mallory');
    await quit(host);
  });

  it('--ssh-host-key and --ssh-max-sessions: the door shows the key in that file, and holds to the limit', async () => {
    const { port, sshPort } = await twoPorts();
    const stateHome = tempDir();
    const keyPath = join(tempDir(), 'chat_host_key');
    const { fingerprint } = loadOrCreateHostKey(keyPath);
    const host = serve(
      ['--port', String(port), '--ssh-port', String(sshPort), '--ssh-host-key', keyPath, '--ssh-max-sessions', '1'],
      stateHome,
    );
    await host.waitFor(`others can join by SSH: ssh -p ${sshPort} 127.0.0.1`, DOOR_MS);

    const seen: string[] = [];
    const hostVerifier = (blob: Buffer) => seen.push(fingerprintOf(parsePublicKey(blob)!)) > 0;
    await SshLines.join(sshPort, { username: 'guest', hostVerifier });
    expect(seen).toEqual([fingerprint]);
    expect(existsSync(join(stateHome, 'chat-server'))).toBe(false);
    const second = await SshLines.open(sshPort, { username: 'second' });
    await second.waitForClose();
    expect(second.lines).toEqual([replies.serverFull().trimEnd()]);
    await quit(host);
  });

  it('starts without the door when a key file it was given cannot be used, says why in the pane, and chats on', async () => {
    const dir = tempDir();
    const badKeys = join(dir, 'keys');
    writeFileSync(badKeys, `${userKey().publicKey}\nssh-ed25519 not-a-key\n`);
    const badHostKey = join(dir, 'hk');
    writeFileSync(badHostKey, 'not a key\n');
    const cases = [
      {
        flags: ['--ssh-authorized-keys', badKeys, '--lang', 'en'],
        says: `no SSH door: ${badKeys} line 2: not a public key`,
      },
      {
        flags: ['--ssh-host-key', badHostKey, '--lang', 'zh'],
        says: `SSH 未开启：cannot use the SSH host key ${badHostKey}:`,
      },
    ];
    for (const { flags, says } of cases) {
      const { port, sshPort } = await twoPorts();
      const host = serve(
        ['--port', String(port), '--ssh-port', String(sshPort), '--name', 'host', ...flags],
        tempDir(),
      );
      await host.waitFor(says, DOOR_MS);
      await expect(sshConnect(sshPort, { username: 'guest' })).rejects.toThrow(/ECONNREFUSED/);

      const guest = await LineClient.join(port);
      guest.send('still here\n');
      await host.waitFor(`${guest.addr}: still here`);
      await quit(host);
    }
  });

  it('starts without the door when its port is taken, says so in the pane, and chats on', async () => {
    const { port, sshPort } = await twoPorts();
    const holder = createServer();
    holders.push(holder);
    await new Promise<void>((resolve) => holder.listen(sshPort, '127.0.0.1', resolve));
    const host = serve(
      ['--port', String(port), '--ssh-port', String(sshPort), '--name', 'host', '--lang', 'zh'],
      tempDir(),
    );
    await host.waitFor(`SSH 未开启：127.0.0.1:${sshPort} 已被占用`, DOOR_MS);

    const guest = await LineClient.join(port);
    guest.send('still here\n');
    await host.waitFor(`${guest.addr}: still here`);
    host.type('hi guest\r');
    await guest.waitForLine((line) => line.endsWith(']host:hi guest'));
    await quit(host);
  });
});
