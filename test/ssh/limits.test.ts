// What the SSH door lets in, and what it refuses or cuts: keys, limits, deadlines, requests it does not serve.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { AuthorizedKeys, KeyFileError, generateEd25519, loadOrCreateHostKey } from '../../src/ssh/keys.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { until } from '../support/until.js';
import { SshLines, sshConnect, startDoor, stopDoors, tempDir, userKey } from '../support/ssh.js';

const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await stopDoors();
  await stopAll();
});

async function rawSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.add(socket);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {});
  socket.resume();
  return socket;
}

/** Milliseconds until the server closes `socket`. */
async function closedAfter(socket: Socket, timeoutMs = 5000): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not close the connection')), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return performance.now() - start;
}

function closed(client: ssh2.Client): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('keys', () => {
  it('generates the host key once, owner-only, and logs the fingerprint ssh-keygen shows', async () => {
    const path = join(tempDir(), 'state', 'chat-server', 'ssh_host_ed25519_key');
    const first = loadOrCreateHostKey(path);
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = loadOrCreateHostKey(path);
    expect(again.created).toBe(false);
    expect(again.fingerprint).toBe(first.fingerprint);
    const shown = execFileSync('ssh-keygen', ['-lf', path]).toString();
    expect(shown).toContain(` ${first.fingerprint} `);
    expect(shown).toContain('(ED25519)');

    const { log } = await startDoor({ hostKey: first });
    expect(log.events('ssh-listening')[0]).toMatchObject({ hostKey: first.fingerprint });
  });

  it('refuses a host key file it cannot parse or read, in one line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'garbage'), 'not a key\n');
    expect(() => loadOrCreateHostKey(join(dir, 'garbage'))).toThrow(KeyFileError);
    const unreadable = join(dir, 'unreadable');
    writeFileSync(unreadable, 'x');
    chmodSync(unreadable, 0o000);
    // root reads it anyway; the parse then fails, still with a KeyFileError.
    expect(() => loadOrCreateHostKey(unreadable)).toThrow(KeyFileError);
  });

  it('logs the fingerprint of the key each user signed with, as ssh-keygen shows it', async () => {
    const { port, log } = await startDoor();
    const key = userKey();
    const file = join(tempDir(), 'user.pub');
    writeFileSync(file, `${key.publicKey}\n`);
    const expected = execFileSync('ssh-keygen', ['-lf', file]).toString().split(' ')[1];
    const alice = await SshLines.join(port, { username: 'alice', privateKey: key.privateKey });
    expect(log.events('ssh-connect')).toEqual([
      expect.objectContaining({ addr: alice.addr, user: 'alice', auth: 'publickey', key: expected }),
    ]);
    await SshLines.join(port, { username: 'bob' });
    expect(log.events('ssh-connect')[1]).toMatchObject({ user: 'bob', auth: 'keyboard-interactive', key: null });
  });

  it('admits only the keys an authorized_keys file lists, and no one without a key', async () => {
    const listed = userKey('listed');
    const file = join(tempDir(), 'authorized_keys');
    writeFileSync(file, `# the team\n\nrestrict,command="x y" ${listed.publicKey}\n`);
    const authorizedKeys = AuthorizedKeys.load(file);
    expect(authorizedKeys.size).toBe(1);
    const { port } = await startDoor({ authorizedKeys });

    const alice = await SshLines.join(port, { username: 'alice', privateKey: listed.privateKey });
    expect(alice.lines[0]).toBe(`[${alice.addr}]alice:已上线`);
    await expect(sshConnect(port, { username: 'mallory', privateKey: userKey().privateKey })).rejects.toThrow(
      /authentication methods failed/,
    );
    await expect(sshConnect(port, { username: 'mallory' })).rejects.toThrow(/authentication methods failed/);
  });

  it('refuses a public key whose signature does not verify', async () => {
    const { port, log } = await startDoor();
    const key = ssh2.utils.parseKey(userKey().privateKey) as ssh2.ParsedKey;
    // Offers the key, then signs with nothing: a client that has the public key but not the private one.
    key.sign = () => randomBytes(64);
    const client = new ssh2.Client();
    client.on('error', () => {});
    const outcome = new Promise<string>((resolve) => {
      client.once('ready', () => resolve('ready'));
      client.once('error', (error) => resolve(error.message));
    });
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'mallory',
      authHandler: [{ type: 'publickey', username: 'mallory', key }],
    } as unknown as ssh2.ConnectConfig);
    expect(await outcome).toMatch(/authentication methods failed/);
    client.destroy();
    expect(log.events('ssh-connect')).toHaveLength(0);
  });

  it('refuses an authorized_keys file with a line that holds no key', () => {
    const file = join(tempDir(), 'authorized_keys');
    writeFileSync(file, `${userKey().publicKey}\nssh-ed25519 not-base64-at-all\n`);
    expect(() => AuthorizedKeys.load(file)).toThrow(/line 2: not a public key/);
  });

  it('refuses an authorized_keys file that lists no key: a door nobody may use', () => {
    const file = join(tempDir(), 'authorized_keys');
    writeFileSync(file, '# nobody yet\n\n');
    expect(() => AuthorizedKeys.load(file)).toThrow(/lists no public key/);
  });
});

describe('limits', () => {
  it('turns away connections past the per-address cap with a line and exit status 1', async () => {
    const { port } = await startDoor({ maxSessionsPerIp: 2 });
    const first = await SshLines.join(port, { username: 'one' });
    await SshLines.join(port, { username: 'two' });
    const third = await SshLines.open(port, { username: 'three' });
    await third.waitForClose();
    expect(third.lines).toEqual([replies.tooManyConnections().trimEnd()]);
    expect(third.exitCode).toBe(1);

    first.channel.end();
    await first.waitForClose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fourth = await SshLines.join(port, { username: 'four' });
    expect(fourth.lines[0]).toBe(`[${fourth.addr}]four:已上线`);
  });

  it('turns away connections past --ssh-max-sessions with a line', async () => {
    const { port } = await startDoor({ maxSessions: 1 });
    await SshLines.join(port, { username: 'one' });
    const second = await SshLines.open(port, { username: 'two' });
    await second.waitForClose();
    expect(second.lines).toEqual([replies.serverFull().trimEnd()]);
  });

  it('passes on the chat server refusing a user (its own per-address limit) as a line and exit status 1', async () => {
    const { port } = await startDoor({}, { maxClientsPerIp: 1 });
    await SshLines.join(port, { username: 'one' });
    const second = await SshLines.open(port, { username: 'two' });
    await second.waitForClose();
    expect(second.lines).toEqual([replies.tooManyConnections().trimEnd()]);
    expect(second.exitCode).toBe(1);
  });

  it('cuts a client that connects and never authenticates, once the deadline passes', async () => {
    const { port, log } = await startDoor({ handshakeTimeoutMs: 300 });
    const silent = await rawSocket(port);
    const bannerOnly = await rawSocket(port);
    bannerOnly.write('SSH-2.0-OpenSSH_9.6\r\n');
    const [silentMs, bannerMs] = await Promise.all([closedAfter(silent), closedAfter(bannerOnly)]);
    expect(silentMs).toBeGreaterThan(250);
    expect(silentMs).toBeLessThan(2000);
    expect(bannerMs).toBeLessThan(2000);
    expect(log.events('ssh-timeout')).toHaveLength(2);
  });

  it('cuts a client that authenticates but opens no session, once the deadline passes', async () => {
    const { port } = await startDoor({ handshakeTimeoutMs: 300 });
    const client = await sshConnect(port, { username: 'idle' });
    await closed(client);
  });

  it('cuts a client that stops answering keepalives, and takes it offline', async () => {
    const { port, tcpPort } = await startDoor({ keepaliveIntervalMs: 100, keepaliveCountMax: 2 });
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshLines.join(port, { username: 'alice' });
    const addr = alice.addr;
    // The client's side stops reading: the server's keepalives go unanswered, as with a vanished peer.
    const socket = (alice.client as unknown as { _sock: Socket })._sock;
    socket.pause();
    socket.removeAllListeners('data');
    await tcp.waitForLine((line) => line === `[${addr}]alice:下线`, 3000);
  });
});

describe('bad input', () => {
  it('closes a connection that sends garbage instead of an SSH banner, and goes on serving others', async () => {
    const { port } = await startDoor();
    const garbage = await rawSocket(port);
    garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n' + 'x'.repeat(100_000));
    expect(await closedAfter(garbage)).toBeLessThan(2000);
    const binary = await rawSocket(port);
    binary.write(Buffer.alloc(70_000, 0xff));
    expect(await closedAfter(binary)).toBeLessThan(2000);
    const alice = await SshLines.join(port, { username: 'alice' });
    expect(alice.lines[0]).toBe(`[${alice.addr}]alice:已上线`);
  });

  it('refuses a second channel, port forwarding and a second shell, and goes on chatting', async () => {
    const { port } = await startDoor();
    const alice = await SshLines.join(port, { username: 'alice' });
    const { client } = alice;
    const attempt = (start: (done: (error?: Error) => void) => void) =>
      new Promise<string>((resolve) => start((error) => resolve(error?.message ?? 'accepted')));
    expect(await attempt((done) => client.shell(false, done))).toMatch(/Channel open failure/);
    expect(await attempt((done) => client.exec('who', done))).toMatch(/Channel open failure/);
    expect(await attempt((done) => client.forwardOut('127.0.0.1', 1, '127.0.0.1', 22, done))).toMatch(
      /Channel open failure/,
    );
    expect(await attempt((done) => client.forwardIn('127.0.0.1', 0, done))).toMatch(/Unable to bind/);
    alice.send('still here\n');
    await alice.waitForLine((line) => line === `[${alice.addr}]alice:still here`);
  });

  it('draws at most 400 × 200 for a pty that claims more, and goes on serving everyone', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const client = await sshConnect(port, { username: 'huge' });
    const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm', cols: 100_000, rows: 100_000, width: 0, height: 0 }, (error, stream) =>
        error ? reject(error) : resolve(stream),
      ),
    );
    let received = '';
    channel.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const shows = (text: string) =>
      until(() => received.includes(text), { timeoutMs: 5000, what: text, seen: () => received.slice(-500) });
    await shows('you are huge');
    tcp.send('still here\n');
    await shows('still here');
    // Taller than any screen drawn: a window change is held to the same bounds.
    channel.setWindow(4_000_000, 4_000_000, 0, 0);
    tcp.send('and still\n');
    await shows('and still');
    // The separator runs the whole width of the screen drawn: 400 columns.
    const rows = received.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\r\n');
    expect(Math.max(...rows.map((row) => [...row].length))).toBe(400);
  });

  it('refuses a subsystem (sftp) as the first request', async () => {
    const { port } = await startDoor();
    const client = await sshConnect(port, { username: 'alice' });
    const outcome = await new Promise<string>((resolve) =>
      client.sftp((error) => resolve(error?.message ?? 'accepted')),
    );
    expect(outcome).toMatch(/Unable to start subsystem/);
  });
});

describe('generated keys', () => {
  it('are always keys ssh2 can read back, though its generator sometimes writes ones it cannot', () => {
    for (let i = 0; i < 2000; i++) {
      const pair = generateEd25519();
      expect(ssh2.utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
      expect(ssh2.utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
    }
  });
});
