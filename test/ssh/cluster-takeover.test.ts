// An SSH user back with its key takes its name from the ghost of its old connection, whichever process of
// a shared room the ghost is on.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { LineClient, startCluster, stopAll } from '../support/chat-server.js';
import { freePort } from '../support/free-port.js';
import { RedisServer } from '../support/redis-server.js';
import { startServerProcess, stopServerProcesses } from '../support/server-process.js';
import { openDoor, SshLines, stopDoors, tempDir, userKey } from '../support/ssh.js';
import { until } from '../support/until.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await stopDoors();
  await stopAll();
  await stopServerProcesses();
});

/** Two processes of one room, each with its SSH door and a TCP member. */
async function twoProcesses() {
  const { servers, ports, prefix } = await startCluster(redis.url, {}, 2);
  const a = { ...(await openDoor(servers[0]!)), tcp: await LineClient.join(ports[0]!) };
  const b = { ...(await openDoor(servers[1]!)), tcp: await LineClient.join(ports[1]!) };
  await a.tcp.waitForLine((line) => line === `[${b.tcp.addr}]${b.tcp.addr}:已上线`);
  return { a, b, prefix };
}

const aboutAlice = (line: string) => /^\[[^\]]+\]alice(-\d+)?:(已上线|下线)$/.test(line);

describe('taking a name back across processes', () => {
  it('closes the ghost on its own process and gives the name to the user back on another', async () => {
    const { a, b } = await twoProcesses();
    const key = userKey();
    const ghost = await SshLines.join(a.port, { username: 'alice', privateKey: key.privateKey });
    await b.tcp.waitForLine((line) => line === `[${ghost.addr}]alice:已上线`);
    const marks = [a.tcp, b.tcp].map((tcp) => tcp.lines.length);
    // The old connection stops reading and answering, as one whose network went away would.
    ghost.channel.pause();

    const back = await SshLines.join(b.port, { username: 'alice', privateKey: key.privateKey });
    expect(back.lines[0]).toBe(`[${back.addr}]alice:已上线`);
    const expected = [`[${ghost.addr}]alice:下线`, `[${back.addr}]alice:已上线`];
    for (const [i, tcp] of [a.tcp, b.tcp].entries()) {
      await tcp.waitForLine((line) => line === expected[1]);
      expect(tcp.lines.slice(marks[i]).filter(aboutAlice)).toEqual(expected);
    }
    ghost.channel.resume();
    await ghost.waitForClose();
    expect(ghost.lines.at(-1)).toBe(replies.signedInElsewhere().trimEnd());
    expect(await b.tcp.request('who\n', 3)).toEqual([
      `[${a.tcp.addr}]${a.tcp.addr}:在线...`,
      `[${b.tcp.addr}]${b.tcp.addr}:在线...`,
      `[${back.addr}]alice:在线...`,
    ]);
  });

  it('lets neither another key nor a user without one take the name, on any process', async () => {
    const { a, b } = await twoProcesses();
    const alice = await SshLines.join(a.port, { username: 'alice', privateKey: userKey().privateKey });
    const otherKey = await SshLines.join(b.port, { username: 'alice', privateKey: userKey().privateKey });
    expect(otherKey.lines[0]).toBe(`[${otherKey.addr}]alice-2:已上线`);
    const noKey = await SshLines.join(b.port, { username: 'alice' });
    expect(noKey.lines[0]).toBe(`[${noKey.addr}]alice-3:已上线`);
    const sameProcess = await SshLines.join(a.port, { username: 'alice' });
    expect(sameProcess.lines[0]).toBe(`[${sameProcess.addr}]alice-4:已上线`);
    const seen = (await b.tcp.settle()).filter(aboutAlice);
    expect(seen.filter((line) => line.endsWith(':下线'))).toEqual([]);
    expect(alice.closed).toBe(false);
  });

  it('takes back the name the old connection holds now, not the one it signed in with', async () => {
    const { a, b } = await twoProcesses();
    const key = userKey();
    const ghost = await SshLines.join(a.port, { username: 'bob', privateKey: key.privateKey });
    ghost.send('rename|alice\n');
    await ghost.waitForLine((line) => line === '您已经更新用户名:alice');
    // Asking for `bob` now: the name its connection held once, not the one it holds.
    const asBob = await SshLines.join(b.port, { username: 'bob', privateKey: key.privateKey });
    expect(asBob.lines[0]).toBe(`[${asBob.addr}]bob:已上线`);
    expect(ghost.closed).toBe(false);
    const asAlice = await SshLines.join(b.port, { username: 'alice', privateKey: key.privateKey });
    expect(asAlice.lines[0]).toBe(`[${asAlice.addr}]alice:已上线`);
    await ghost.waitForClose();
    expect(ghost.lines.at(-1)).toBe(replies.signedInElsewhere().trimEnd());
  });

  it('waits at most about 2 s for a process that does not answer, then gives the next free name', async () => {
    const { a, prefix } = await twoProcesses();
    const sshPort = await freePort();
    const stuck = await startServerProcess([
      ...['--redis', redis.url, '--redis-prefix', prefix],
      ...['--ssh-port', String(sshPort), '--ssh-host-key', join(tempDir(), 'host_key')],
    ]);
    const key = userKey();
    let ghost: SshLines | undefined;
    const login = { username: 'alice', privateKey: key.privateKey };
    await until(
      async () => {
        ghost = await SshLines.join(sshPort, login);
      },
      { timeoutMs: 10_000, everyMs: 100, what: 'the SSH door of the process to be stopped' },
    );
    await a.tcp.waitForLine((line) => line === `[${ghost!.addr}]alice:已上线`);
    process.kill(stuck.pid, 'SIGSTOP');
    try {
      const started = performance.now();
      const backing = SshLines.join(a.port, login);
      // One that gives up while it waits is never seen to join.
      const quitter = await SshLines.open(a.port, login);
      quitter.client.destroy();
      const back = await backing;
      const waitedMs = performance.now() - started;
      expect(back.lines[0]).toBe(`[${back.addr}]alice-2:已上线`);
      expect(waitedMs).toBeGreaterThan(1500);
      expect(waitedMs).toBeLessThan(3500);
      expect((await a.tcp.settle()).filter((line) => line.includes(quitter.addr))).toEqual([]);
    } finally {
      process.kill(stuck.pid, 'SIGCONT');
    }
  });
});
