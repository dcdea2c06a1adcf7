// The SSH door without a pty: the line protocol over an SSH channel, into the same room as TCP members.
import { afterEach, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { LineClient, stopAll } from '../support/chat-server.js';
import { SshLines, startDoor, stopDoors, userKey } from '../support/ssh.js';

afterEach(async () => {
  await stopDoors();
  await stopAll();
});

describe('an SSH user without a pty', () => {
  it('joins under its SSH user name and its real address, seen by TCP members, and chats in lines', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshLines.join(port, { username: 'alice' });
    const joined = `[${alice.addr}]alice:已上线`;
    expect(alice.lines[0]).toBe(joined);
    await tcp.waitForLine((line) => line === joined);

    alice.send('hello from ssh\n');
    await tcp.waitForLine((line) => line === `[${alice.addr}]alice:hello from ssh`);
    tcp.send('hello from tcp\n');
    await alice.waitForLine((line) => line === `[${tcp.addr}]${tcp.addr}:hello from tcp`);

    alice.send('who\n');
    await alice.waitForLine((line) => line === `[${alice.addr}]alice:在线...`);
    expect(alice.lines).toContain(`[${tcp.addr}]${tcp.addr}:在线...`);
  });

  it('whispers with a TCP member both ways', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    await tcp.request('rename|bob\n');
    const alice = await SshLines.join(port, { username: 'alice' });

    alice.send('to|bob|psst\n');
    await tcp.waitForLine((line) => line === 'alice对您说:psst');
    tcp.send('to|alice|back at you\n');
    await alice.waitForLine((line) => line === 'bob对您说:back at you');
  });

  it('writes lines ending in \\n as they are: no pty, no translation', async () => {
    const { port } = await startDoor();
    const alice = await SshLines.open(port, { username: 'alice' });
    await alice.waitForLine((line) => line.endsWith(':已上线'));
    alice.send('one\n');
    await alice.waitForLine((line) => line.endsWith(':one'));
    const text = Buffer.concat(alice.received).toString();
    expect(text).toBe(`[${alice.addr}]alice:已上线\n[${alice.addr}]alice:one\n`);
  });

  it('leaves with exit status 0 when the user ends its input, and everyone sees it go', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshLines.join(port, { username: 'alice' });
    alice.channel.end();
    await alice.waitForClose();
    expect(alice.exitCode).toBe(0);
    await tcp.waitForLine((line) => line === `[${alice.addr}]alice:下线`);
  });

  it('takes the user offline at once when its connection drops', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const alice = await SshLines.join(port, { username: 'alice' });
    const addr = alice.addr;
    alice.client.destroy();
    await tcp.waitForLine((line) => line === `[${addr}]alice:下线`, 2000);
  });

  it('treats a command like a shell: `ssh host anything` gets the line protocol', async () => {
    const { port } = await startDoor();
    const alice = await SshLines.open(port, { username: 'alice' }, 'ignored command');
    await alice.waitForLine((line) => line === `[${alice.addr}]alice:已上线`);
  });

  it('tells every SSH user 服务器已关闭 at shutdown and closes the channel', async () => {
    const { port, server, door } = await startDoor();
    const alice = await SshLines.join(port, { username: 'alice' });
    const bob = await SshLines.join(port, { username: 'bob', privateKey: userKey().privateKey });
    await Promise.all([server.stop(), door.stop()]);
    for (const user of [alice, bob]) {
      await user.waitForClose();
      expect(user.lines.at(-1)).toBe(replies.serverClosing().trimEnd());
    }
  });
});

describe('a busy room over SSH without a pty', () => {
  it('sends the rounds of lines that come within a few ms in one packet, in order, none lost', async () => {
    const { port, tcpPort } = await startDoor();
    const alice = await SshLines.join(port, { username: 'alice' });
    const talkers = await Promise.all(Array.from({ length: 4 }, () => LineClient.join(tcpPort)));
    await alice.waitForLine((line) => line.startsWith(`[${talkers[3]!.addr}]`));
    const before = alice.received.length;
    // 60 lines, each in a round of its own: one member at a time, a millisecond apart.
    for (let index = 0; index < 60; index++) {
      talkers[index % talkers.length]!.send(`line ${index}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await alice.waitForLine((line) => line.endsWith(':line 59'));
    const said = alice.lines.filter((line) => /:line \d+$/.test(line)).map((line) => line.replace(/.*:/, ''));
    expect(said).toEqual(Array.from({ length: 60 }, (_, index) => `line ${index}`));
    // A packet each would be 60; gathered by 25 ms they are a handful over the 60 ms or more this takes.
    expect(alice.received.length - before).toBeLessThan(30);
  });

  it('drops a user that stops reading once its queue is full, while the room goes on', async () => {
    const { port, tcpPort } = await startDoor({}, { maxQueueBytes: 64 * 1024 });
    const tcp = await LineClient.join(tcpPort);
    const stalled = await SshLines.join(port, { username: 'stalled' });
    // The client stops taking data: SSH's window fills, then the server's queue for it.
    stalled.channel.pause();
    (stalled.client as unknown as { _sock: { pause(): void } })._sock.pause();
    const talker = await LineClient.join(tcpPort);
    // Steadily, not in one burst: what must fill is the queue, not one batch. The client's SSH window
    // (2 MiB) takes the first of it; the server's queue for the user, 64 KiB here, the rest.
    const line = `${'x'.repeat(900)}\n`;
    for (let round = 0; round < 150 && !stalled.closed; round++) {
      talker.send(line.repeat(40));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await tcp.waitForLine((seen) => seen === `[${stalled.addr}]stalled:下线`, 15_000);
    talker.send('still here\n');
    await tcp.waitForLine((seen) => seen.endsWith(':still here'));
  });
});

describe('names over SSH', () => {
  it('gives a taken name the next free name-2, name-3, and says why', async () => {
    const { port } = await startDoor();
    await SshLines.join(port, { username: 'alice' });
    const second = await SshLines.join(port, { username: 'alice' });
    expect(second.lines[0]).toBe(`[${second.addr}]alice-2:已上线`);
    await second.waitForLine((line) => line === replies.nameInUse().trimEnd());
    const third = await SshLines.join(port, { username: 'alice' });
    expect(third.lines[0]).toBe(`[${third.addr}]alice-3:已上线`);
  });

  it('turns an invalid name into a valid one, never an address, and says why', async () => {
    const { port } = await startDoor();
    const spaced = await SshLines.join(port, { username: 'joe smith|x' });
    expect(spaced.lines[0]).toBe(`[${spaced.addr}]joesmithx:已上线`);
    await spaced.waitForLine((line) => line === replies.invalidName().trimEnd());
    const empty = await SshLines.join(port, { username: '[]:' });
    expect(empty.lines[0]).toBe(`[${empty.addr}]guest:已上线`);
    const long = await SshLines.join(port, { username: 'a'.repeat(40) });
    expect(long.lines[0]).toBe(`[${long.addr}]${'a'.repeat(32)}:已上线`);
  });

  it('lets a user back with the same key take its name from the ghost of its old connection', async () => {
    const { port, tcpPort } = await startDoor();
    const tcp = await LineClient.join(tcpPort);
    const key = userKey();
    const ghost = await SshLines.join(port, { username: 'alice', privateKey: key.privateKey });
    const ghostAddr = ghost.addr;
    // The old connection stops reading and answering, as one whose network went away would.
    ghost.channel.pause();

    await tcp.waitForLine((line) => line === `[${ghostAddr}]alice:已上线`);
    const from = tcp.lines.length;
    const back = await SshLines.join(port, { username: 'alice', privateKey: key.privateKey });
    expect(back.lines[0]).toBe(`[${back.addr}]alice:已上线`);
    await tcp.waitForLine((line) => line === `[${back.addr}]alice:已上线`);
    expect(tcp.lines.slice(from)).toEqual([`[${ghostAddr}]alice:下线`, `[${back.addr}]alice:已上线`]);
    ghost.channel.resume();
    await ghost.waitForClose();
    expect(ghost.lines.at(-1)).toBe(replies.signedInElsewhere().trimEnd());
  });

  it('does not let another key, or a user without one, take a name over', async () => {
    const { port } = await startDoor();
    await SshLines.join(port, { username: 'alice', privateKey: userKey().privateKey });
    const otherKey = await SshLines.join(port, { username: 'alice', privateKey: userKey().privateKey });
    expect(otherKey.lines[0]).toBe(`[${otherKey.addr}]alice-2:已上线`);
    const noKey = await SshLines.join(port, { username: 'alice' });
    expect(noKey.lines[0]).toBe(`[${noKey.addr}]alice-3:已上线`);
  });
});
