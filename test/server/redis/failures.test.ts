import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineClient, startCluster, stopAll } from '../../support/chat-server.js';
import { RedisServer } from '../../support/redis-server.js';
import { startServerProcess, stopServerProcesses } from '../../support/server-process.js';

let redis: RedisServer;
let prefixes = 0;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await stopAll();
  await stopServerProcesses();
});

const isPresence = (line: string) => line.endsWith(':已上线') || line.endsWith(':下线');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clients a, b, c, one on each process, named, each having seen all three join. */
async function namedThree(ports: number[]) {
  const clients = [];
  for (const port of ports) clients.push(await LineClient.join(port));
  const [alice, bob, carol] = clients as [LineClient, LineClient, LineClient];
  for (const [client, name] of [
    [alice, 'alice'],
    [bob, 'bob'],
    [carol, 'carol'],
  ] as const) {
    client.send(`rename|${name}\n`);
    await client.waitForLine((line) => line === `您已经更新用户名:${name}`);
  }
  for (const client of [alice, bob]) await client.waitForLine((line) => line === `[${carol.addr}]${carol.addr}:已上线`);
  return { alice, bob, carol };
}

/** Every line after `marks`, for each client, once all have `count` chat lines. */
async function chatLines(clients: LineClient[], marks: number[], count: number) {
  await Promise.all(
    clients.map((client, i) =>
      client.until(
        () => client.lines.slice(marks[i]).filter((line) => line.startsWith('[')).length >= count,
        20_000,
        `${count} chat lines`,
      ),
    ),
  );
  await sleep(300); // nothing doubled arrives late
  return clients.map((client, i) => client.lines.slice(marks[i]));
}

describe('a shared room when Redis fails', () => {
  it('loses nothing and doubles nothing across a Redis restart, in one order, names and who restored', async () => {
    const { ports } = await startCluster(redis.url);
    const { alice, bob, carol } = await namedThree(ports);
    const everyone = [alice, bob, carol];
    const marks = everyone.map((client) => client.lines.length);
    alice.send('before\n');
    await carol.waitForLine((line) => line.endsWith(':before'));
    await redis.stop();
    alice.send('during 1\nduring 2\n');
    bob.send('during 3\n');
    await sleep(700);
    await redis.resume();
    carol.send('after\n');
    const seen = await chatLines(everyone, marks, 5);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    const texts = seen[0]!.map((line) => line.slice(line.indexOf(':', line.indexOf(']')) + 1));
    // Lines of different senders may come in either order, the same for everyone; one sender's keep theirs.
    expect(texts.filter((text) => text === 'during 1' || text === 'during 2')).toEqual(['during 1', 'during 2']);
    expect(texts.filter((text) => text === 'during 3')).toHaveLength(1);
    expect(texts).toHaveLength(5);
    expect(texts[0]).toBe('before');
    expect(seen[0]!.filter(isPresence)).toEqual([]);
    expect(everyone.some((client) => client.closed)).toBe(false);
    expect(await carol.request('who\n', 3)).toEqual([
      `[${alice.addr}]alice:在线...`,
      `[${bob.addr}]bob:在线...`,
      `[${carol.addr}]carol:在线...`,
    ]);
    expect(await bob.request('rename|alice\n')).toEqual(['当前用户名被使用']);
    bob.send('to|carol|still private\n\n');
    await carol.waitForLine((line) => line === 'bob对您说:still private');
  }, 30_000);

  it('carries on when Redis drops every connection (CLIENT KILL), nothing lost or doubled', async () => {
    const { ports } = await startCluster(redis.url);
    const { alice, bob, carol } = await namedThree(ports);
    const everyone = [alice, bob, carol];
    const marks = everyone.map((client) => client.lines.length);
    for (let i = 0; i < 5; i += 1) alice.send(`one ${i}\n`);
    expect(await redis.command('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes')).toMatch(/^:[1-9]/);
    for (let i = 0; i < 5; i += 1) bob.send(`two ${i}\n`);
    await sleep(100);
    expect(await redis.command('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes')).toMatch(/^:[1-9]/);
    carol.send('three\n');
    const seen = await chatLines(everyone, marks, 11);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    const texts = seen[0]!.map((line) => line.slice(line.lastIndexOf(':') + 1));
    expect(texts.filter((text) => text.startsWith('one'))).toEqual(['one 0', 'one 1', 'one 2', 'one 3', 'one 4']);
    expect(texts.filter((text) => text.startsWith('two'))).toEqual(['two 0', 'two 1', 'two 2', 'two 3', 'two 4']);
    expect(texts).toHaveLength(11);
    expect(seen[0]!.filter(isPresence)).toEqual([]);
  }, 30_000);

  it('waits out a Redis that stops answering for a while (CLIENT PAUSE), nothing lost or doubled', async () => {
    const { ports } = await startCluster(redis.url);
    const { alice, bob, carol } = await namedThree(ports);
    const everyone = [alice, bob, carol];
    const marks = everyone.map((client) => client.lines.length);
    alice.send('before the pause\n');
    await carol.waitForLine((line) => line.endsWith(':before the pause'));
    // Longer than a command's deadline: every process gives up on its connections and reconnects.
    expect(await redis.command('CLIENT', 'PAUSE', '3500', 'ALL')).toBe('+OK');
    bob.send('during the pause\n');
    carol.send('to|alice|still there\n\n');
    const seen = (await chatLines(everyone, marks, 2)).map((lines) => lines.filter((line) => line.startsWith('[')));
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect(seen[0]!.map((line) => line.slice(line.lastIndexOf(':') + 1))).toEqual([
      'before the pause',
      'during the pause',
    ]);
    await alice.waitForLine((line) => line === 'carol对您说:still there', 10_000);
    expect((await alice.settle(300)).filter((line) => line === 'carol对您说:still there')).toHaveLength(1);
  }, 30_000);

  it('tells its members and disconnects them when cut off from Redis past the limit, and turns newcomers away', async () => {
    const { ports } = await startCluster(redis.url, { redis: { outageLimitMs: 800 } as never }, 2);
    const alice = await LineClient.join(ports[0]!);
    const bob = await LineClient.join(ports[1]!);
    await redis.stop();
    const cutAt = performance.now();
    alice.send('lost in the outage\n');
    for (const client of [alice, bob]) {
      await client.waitForClose(5000);
      expect(client.lines.at(-1)).toBe('服务器与聊天室失去联系，未发送的消息请重新连接后再发');
    }
    expect(performance.now() - cutAt).toBeGreaterThan(700);
    const late = await LineClient.open(ports[0]!);
    await late.waitForClose();
    expect(late.lines).toEqual(['服务器与聊天室失去联系，未发送的消息请重新连接后再发']);
    await redis.resume();
    await expect
      .poll(async () => (await LineClient.open(ports[1]!)).waitForLine((line) => line.endsWith(':已上线')), {
        timeout: 10_000,
        interval: 500,
      })
      .toBeTruthy();
  }, 30_000);
});

/** A TCP relay to Redis that a test can cut (every connection through it dropped, new ones refused) and mend. */
class Relay {
  private broken = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.relay(client));
  }

  static async to(targetPort: number): Promise<Relay> {
    const relay = new Relay(targetPort);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.broken = true;
    for (const socket of this.sockets) socket.destroy();
  }

  mend(): void {
    this.broken = false;
  }

  close(): void {
    this.cut();
    this.server.close();
  }

  private relay(client: Socket): void {
    if (this.broken) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    for (const [one, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(one);
      one.pipe(other);
      one.on('error', () => other.destroy());
      one.on('close', () => {
        other.destroy();
        this.sockets.delete(one);
      });
    }
  }
}

describe('a shared room when one process loses Redis and the others do not', () => {
  it('has its members announced gone by the others, then back when it returns, and their lines delivered', async () => {
    const relay = await Relay.to(redis.port);
    try {
      const prefix = `partition${process.pid}-${++prefixes}`;
      const redisOptions = (url: string) => ({ redis: { url, prefix, outageLimitMs: 60_000 } });
      const away = await startCluster(
        `redis://127.0.0.1:${relay.port}`,
        redisOptions(`redis://127.0.0.1:${relay.port}`),
        1,
      );
      const staying = await startCluster(redis.url, redisOptions(redis.url), 1);
      const alice = await LineClient.join(away.port);
      expect(await alice.request('rename|alice\n')).toEqual(['您已经更新用户名:alice']);
      const bob = await LineClient.join(staying.port);
      await alice.waitForLine((line) => line === `[${bob.addr}]${bob.addr}:已上线`);
      relay.cut();
      const cutAt = performance.now();
      await bob.waitForLine((line) => line === `[${alice.addr}]alice:下线`, 15_000);
      expect(performance.now() - cutAt).toBeLessThan(15_000);
      alice.send('said while away\n');
      relay.mend();
      await bob.waitForLine((line) => line === `[${alice.addr}]alice:已上线`, 10_000);
      await bob.waitForLine((line) => line === `[${alice.addr}]alice:said while away`, 10_000);
      expect(alice.closed).toBe(false);
      expect(await bob.request('who\n', 2)).toEqual([
        `[${alice.addr}]alice:在线...`,
        `[${bob.addr}]${bob.addr}:在线...`,
      ]);
      expect(await bob.request('rename|alice\n')).toEqual(['当前用户名被使用']);
    } finally {
      relay.close();
    }
  }, 40_000);
});

describe('a shared room when a process dies', () => {
  it('announces the members of a process killed with SIGKILL within 15 s and frees their names', async () => {
    const prefix = `kill${process.pid}-${++prefixes}`;
    const args = [
      '--redis',
      redis.url,
      '--redis-prefix',
      prefix,
      '--rate',
      '0',
      '--max-clients-per-ip',
      '0',
      '--join-rate',
      '0',
    ];
    const servers = [];
    for (let i = 0; i < 3; i += 1) servers.push(await startServerProcess(args));
    const { alice, bob, carol } = await namedThree(servers.map((server) => server.port));
    const killedAt = performance.now();
    process.kill(servers[1]!.pid, 'SIGKILL');
    for (const client of [alice, carol]) {
      await client.waitForLine((line) => line === `[${bob.addr}]bob:下线`, 15_000);
    }
    expect(performance.now() - killedAt).toBeLessThan(15_000);
    await sleep(200);
    for (const client of [alice, carol])
      expect(client.lines.filter((line) => line.endsWith('bob:下线'))).toHaveLength(1);
    expect(await alice.request('who\n', 2)).toEqual([`[${alice.addr}]alice:在线...`, `[${carol.addr}]carol:在线...`]);
    expect(await carol.request('rename|bob\n')).toEqual(['您已经更新用户名:bob']);
  }, 30_000);

  it('runs --workers 2 as two processes on one port that form one chat', async () => {
    const prefix = `workers${process.pid}-${++prefixes}`;
    const args = [
      '--redis',
      redis.url,
      '--redis-prefix',
      prefix,
      '--workers',
      '2',
      '--max-clients-per-ip',
      '0',
      '--join-rate',
      '0',
    ];
    const server = await startServerProcess(args);
    const workers = execFileSync('pgrep', ['-P', String(server.pid)])
      .toString()
      .trim()
      .split('\n');
    expect(workers).toHaveLength(2);
    const clients = [];
    for (let i = 0; i < 4; i += 1) clients.push(await LineClient.join(server.port));
    const last = clients.at(-1)!;
    for (const client of clients) await client.waitForLine((line) => line === `[${last.addr}]${last.addr}:已上线`);
    clients[0]!.send('hello workers\n');
    for (const client of clients) await client.waitForLine((line) => line.endsWith(':hello workers'));
    expect(await last.request('who\n', 4)).toEqual(clients.map((client) => `[${client.addr}]${client.addr}:在线...`));
  }, 30_000);
});
