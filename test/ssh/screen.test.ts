// The SSH door with a pty: the chat-tui screen drawn into the channel, read back through a headless xterm.
import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { SshScreen, startDoor, stopDoors } from '../support/ssh.js';

afterEach(async () => {
  await stopDoors();
  await stopAll();
});

describe('an SSH user with a pty', () => {
  it('gets the chat-tui screen, at its size, and chats with a TCP member', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshScreen.open(port, { username: 'alice' }, { columns: 90, rows: 24 });
    // Every row starts at the left edge: a bare \n would have left each one where the last one ended.
    await alice.waitFor(
      (lines) =>
        /^ chat-tui · ssh 127\.0\.0\.1:\d+ · you are alice +● connected\s*$/.test(lines[0]!) &&
        lines.some((line) => line.startsWith(' [F2 Public]')) &&
        lines.some((line) => line.includes('alice (you)')),
    );
    await tcp.waitForLine((line) => line === `[${alice.addr}]alice:已上线`);

    tcp.send('hi alice\n');
    await alice.waitFor(new RegExp(`^\\d\\d:\\d\\d ${tcp.addr.replaceAll('.', '\\.')}: hi alice`, 'm'));
    alice.type('hello over ssh\r');
    await tcp.waitForLine((line) => line === `[${alice.addr}]alice:hello over ssh`);
    alice.type('/msg ' + tcp.addr + ' psst\r');
    await tcp.waitForLine((line) => line === 'alice对您说:psst');
  });

  it('keeps the last 1,000 lines to scroll back through, not the 5,000 of chat-tui on a terminal', async () => {
    const { port, tcpPort } = await startDoor({}, { rate: 0 });
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshScreen.open(port, { username: 'alice' }, { columns: 90, rows: 24 });
    await alice.waitFor('alice (you)');
    tcp.send(Array.from({ length: 1200 }, (_, n) => `line ${n}\n`).join(''));
    await alice.waitFor(/: line 1199\s*│/m);
    alice.type('\x1b[H');
    // Home: the oldest line kept is the 1,000th from the end.
    const top = await alice.waitFor(/: line 200\s*│/m);
    expect(top.join('\n')).not.toMatch(/: line 199\s*│/m);
  });

  it('redraws at the new size on a window change', async () => {
    const { port } = await startDoor();
    const alice = await SshScreen.open(port, { username: 'alice' }, { columns: 100, rows: 30 });
    await alice.waitFor('Online (1)');
    alice.resize(50, 12);
    // A whole frame at the new size: the header on top (narrow, it keeps who you are and drops the program's
    // name), the separator as wide as the screen, and no user list (it folds away below 60 columns).
    await alice.waitFor(
      (lines) =>
        /you are alice/.test(lines[0]!) &&
        lines.some((line) => /^─{50}$/.test(line)) &&
        !lines.join('\n').includes('Online'),
    );
  });

  it('ends with exit status 0 on Ctrl+C, and the user is offline at once', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshScreen.open(port, { username: 'alice' });
    await alice.waitFor('alice (you)');
    alice.type('\x03');
    await alice.waitForClose();
    expect(alice.exitCode).toBe(0);
    await tcp.waitForLine((line) => line === `[${alice.addr}]alice:下线`);
    // The user's own screen is given back.
    expect(Buffer.concat(alice.raw).toString()).toContain('\x1b[?1049l');
  });

  it('ends with exit status 0 on /quit', async () => {
    const { port } = await startDoor();
    const alice = await SshScreen.open(port, { username: 'alice' });
    await alice.waitFor('alice (you)');
    alice.type('/quit\r');
    await alice.waitForClose();
    expect(alice.exitCode).toBe(0);
  });

  it('takes the user offline at once when the connection drops', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshScreen.open(port, { username: 'alice' });
    await alice.waitFor('alice (you)');
    const addr = alice.addr;
    alice.client.destroy();
    await tcp.waitForLine((line) => line === `[${addr}]alice:下线`, 2000);
  });

  it('speaks Chinese when the client sends LANG=zh_CN.UTF-8, English by default', async () => {
    const { port } = await startDoor();
    const zhang = await SshScreen.open(port, { username: '张三' }, { env: { LANG: 'zh_CN.UTF-8' } });
    await zhang.waitFor('你是 张三');
    const bob = await SshScreen.open(port, { username: 'bob' }, { env: { LC_ALL: 'C' } });
    await bob.waitFor('you are bob');
  });

  it('draws no colours for a dumb terminal, and colours for others', async () => {
    const { port } = await startDoor();
    const plain = await SshScreen.open(port, { username: 'plain' }, { term: 'dumb' });
    await plain.waitFor('plain (you)');
    expect(Buffer.concat(plain.raw).toString()).not.toMatch(/\x1b\[3\dm/);
    const coloured = await SshScreen.open(port, { username: 'coloured' });
    await coloured.waitFor('coloured (you)');
    expect(Buffer.concat(coloured.raw).toString()).toMatch(/\x1b\[3\dm/);
  });

  it("shows 服务器已关闭 on the user's own screen at shutdown and closes the channel", async () => {
    const { port, server, door } = await startDoor();
    const alice = await SshScreen.open(port, { username: 'alice' });
    await alice.waitFor('alice (you)');
    await Promise.all([server.stop(), door.stop()]);
    await alice.waitForClose();
    expect(alice.exitCode).toBe(0);
    const output = Buffer.concat(alice.raw).toString();
    expect(output.slice(output.lastIndexOf('\x1b[?1049l'))).toContain(`${replies.serverClosing().trimEnd()}\r\n`);
  });

  it('turns a user away with a plain line and exit status 1 when the room is full', async () => {
    const { port } = await startDoor({}, { maxClients: 1 });
    const alice = await SshScreen.open(port, { username: 'alice' });
    await alice.waitFor('alice (you)');
    const bob = await SshScreen.open(port, { username: 'bob' });
    await bob.waitForClose();
    expect(bob.exitCode).toBe(1);
    expect(Buffer.concat(bob.raw).toString()).toBe(replies.serverFull().replace('\n', '\r\n'));
  });
});
