import { connect, createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineClient, startCluster, stopAll } from '../../support/chat-server.js';
import { RedisServer } from '../../support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());
afterEach(stopAll);

/** One client on each of three processes, each having seen all three join. */
async function threeOnThree() {
  const cluster = await startCluster(redis.url);
  const [a, b, c] = cluster.ports as [number, number, number];
  const alice = await LineClient.join(a);
  const bob = await LineClient.join(b);
  const carol = await LineClient.join(c);
  for (const client of [alice, bob]) await client.waitForLine((line) => line === `[${carol.addr}]${carol.addr}:已上线`);
  return { cluster, alice, bob, carol };
}

const isChat = (line: string) => line.startsWith('[');

describe('a room spread over three processes', () => {
  it('gives every member the same public lines and presence, in one order, own echo included', async () => {
    const { alice, bob, carol } = await threeOnThree();
    const marks = [alice, bob, carol].map((client) => client.lines.length);
    const senders = [alice, bob, carol];
    for (let round = 0; round < 10; round += 1) {
      for (const [i, sender] of senders.entries()) sender.send(`round ${round} from ${i}\n`);
    }
    const late = await LineClient.join(alice.socket.remotePort!);
    const expected = 30 + 1;
    await Promise.all(
      senders.map((client, i) => client.until(() => client.lines.length >= marks[i]! + expected, 10_000, 'every line')),
    );
    const seen = senders.map((client, i) => client.lines.slice(marks[i]).filter(isChat));
    expect(seen[0]).toHaveLength(expected);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect(seen[0]).toContain(`[${late.addr}]${late.addr}:已上线`);
    // each sender's own lines keep the order it sent them in
    for (const [i, sender] of senders.entries()) {
      const own = seen[0]!.filter((line) => line.startsWith(`[${sender.addr}]`) && line.includes('from'));
      expect(own.map((line) => line.split(' ')[1])).toEqual(Array.from({ length: 10 }, (_, round) => String(round)));
      expect(own.every((line) => line.endsWith(`from ${i}`))).toBe(true);
    }
    expect(late.lines[0]).toBe(`[${late.addr}]${late.addr}:已上线`);
  });

  it("answers a pasted block's who after every public line before it, and keeps the lines in order", async () => {
    const { alice, bob } = await threeOnThree();
    const [aliceFrom, bobFrom] = [alice.lines.length, bob.lines.length];
    const block = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    alice.send(`${block.join('\n')}\nwho\nlast\n`);
    await alice.until(() => alice.lines.length >= aliceFrom + 54, 10_000, 'the block, who and last');
    await bob.until(() => bob.lines.length >= bobFrom + 51, 10_000, 'the block and last');
    const said = (text: string) => `[${alice.addr}]${alice.addr}:${text}`;
    const echoed = [...block.map(said)];
    expect(alice.lines.slice(aliceFrom, aliceFrom + 50)).toEqual(echoed);
    expect(alice.lines.slice(aliceFrom + 50, aliceFrom + 53).every((line) => line.endsWith(':在线...'))).toBe(true);
    expect(alice.lines[aliceFrom + 53]).toBe(said('last'));
    expect(bob.lines.slice(bobFrom)).toEqual([...echoed, said('last')]);
  });

  it('puts public lines read in one go into the stream as one entry, each line delivered in order', async () => {
    const { cluster, alice, bob } = await threeOnThree();
    const entries = async () => Number((await redis.command('XLEN', `${cluster.prefix}:stream`)).slice(1));
    const before = await entries();
    const bobFrom = bob.lines.length;
    const block = Array.from({ length: 20 }, (_, i) => `pasted ${i}`);
    alice.send(`${block.join('\n')}\n`);
    await bob.until(() => bob.lines.length >= bobFrom + 20, 10_000, 'the block');
    expect(bob.lines.slice(bobFrom)).toEqual(block.map((text) => `[${alice.addr}]${alice.addr}:${text}`));
    expect((await entries()) - before).toBe(1);
  });

  it('answers who with everyone in join order, from any process', async () => {
    const { alice, bob, carol } = await threeOnThree();
    await bob.request('rename|bob\n');
    const expected = [
      `[${alice.addr}]${alice.addr}:在线...`,
      `[${bob.addr}]bob:在线...`,
      `[${carol.addr}]${carol.addr}:在线...`,
    ];
    for (const client of [alice, bob, carol]) expect(await client.request('who\n', 3)).toEqual(expected);
  });

  it('delivers a private message to its recipient on another process, and to nobody else', async () => {
    const { alice, bob, carol } = await threeOnThree();
    await carol.request('rename|carol\n');
    await alice.request('rename|alice\n');
    const bobBefore = bob.lines.length;
    alice.send('to|carol|psst|secret\n\n');
    await carol.waitForLine((line) => line === 'alice对您说:psst|secret');
    expect(await alice.request('to|nobody|hi\n')).toEqual(['该用户名不存在']);
    expect(await alice.request('to|carol\n')).toEqual(['无消息内容，请重发']);
    expect((await bob.settle()).slice(bobBefore)).toEqual([]);
    carol.end();
    await alice.waitForLine((line) => line === `[${carol.addr}]carol:下线`);
    expect(await alice.request('to|carol|still there?\n')).toEqual(['该用户名不存在']);
  });

  it('lets exactly one of 50 clients on three processes take a name they all ask for at once', async () => {
    const { ports } = await startCluster(redis.url);
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => LineClient.join(ports[i % 3]!)));
    const isAnswer = (line: string) => line === '您已经更新用户名:winner' || line === '当前用户名被使用';
    for (const client of clients) client.send('rename|winner\n');
    const answers = await Promise.all(clients.map((client) => client.waitForLine(isAnswer)));
    const won = answers.filter((line) => line === '您已经更新用户名:winner');
    const refused = answers.filter((line) => line === '当前用户名被使用');
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(49);
    const from = clients[0]!.lines.length;
    clients[0]!.send('who\n');
    await clients[0]!.until(
      () => clients[0]!.lines.slice(from).filter((l) => l.endsWith(':在线...')).length >= 50,
      5000,
      'who',
    );
    const listed = clients[0]!.lines.slice(from);
    expect(listed.filter((line) => line.endsWith(']winner:在线...'))).toHaveLength(1);
  });

  it('compares names across processes as one process does: a look-alike is the same name', async () => {
    const { alice, bob, carol } = await threeOnThree();
    expect(await alice.request('rename|bob\n')).toEqual(['您已经更新用户名:bob']);
    expect(await bob.request('rename|Bob\n')).toEqual(['当前用户名被使用']);
    expect(await bob.request('rename|b\u043eb\n')).toEqual(['当前用户名被使用']);
    carol.send('to|BOB|found you\n\n');
    await alice.waitForLine((line) => line === `${carol.addr}对您说:found you`);
  });

  it('lets a member that asks for a name (as an SSH user does) join under it, or the next free one', async () => {
    const { servers, ports } = await startCluster(redis.url, {}, 2);
    const bob = await LineClient.join(ports[1]!);
    expect(await bob.request('rename|alice\n')).toEqual(['您已经更新用户名:alice']);
    const [inside, outside] = await socketPair();
    const seen: string[] = [];
    outside.on('data', (chunk: Buffer) => seen.push(...chunk.toString().split('\n').filter(Boolean)));
    servers[0]!.open(inside, { addr: '127.0.0.1:1', ip: '127.0.0.1', name: 'alice' });
    await bob.waitForLine((line) => line === '[127.0.0.1:1]alice-2:已上线');
    await expect.poll(() => seen).toEqual(['[127.0.0.1:1]alice-2:已上线', '当前用户名被使用']);
    outside.destroy();
  });

  it('frees a name everywhere once its holder renames or leaves', async () => {
    const { alice, bob } = await threeOnThree();
    expect(await alice.request('rename|张三\n')).toEqual(['您已经更新用户名:张三']);
    expect(await bob.request('rename|张三\n')).toEqual(['当前用户名被使用']);
    expect(await alice.request('rename|李四\n')).toEqual(['您已经更新用户名:李四']);
    expect(await bob.request('rename|张三\n')).toEqual(['您已经更新用户名:张三']);
    alice.end();
    await bob.waitForLine((line) => line === `[${alice.addr}]李四:下线`);
    expect(await bob.request('rename|李四\n')).toEqual(['您已经更新用户名:李四']);
  });

  it('announces the members of a process that stops cleanly to the others at once', async () => {
    const { cluster, alice, bob, carol } = await threeOnThree();
    await cluster.servers[1]!.stop();
    await bob.waitForClose();
    expect(bob.lines.at(-1)).toBe('服务器已关闭');
    for (const client of [alice, carol]) {
      await client.waitForLine((line) => line === `[${bob.addr}]${bob.addr}:下线`, 3000);
    }
    expect(await alice.request('who\n', 2)).toEqual([
      `[${alice.addr}]${alice.addr}:在线...`,
      `[${carol.addr}]${carol.addr}:在线...`,
    ]);
  });
});

/** Both ends of one loopback TCP connection: the server's side, and the client's. */
async function socketPair(): Promise<[Socket, Socket]> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const outside = connect({ host: '127.0.0.1', port: (listener.address() as { port: number }).port });
  const inside = await accepted;
  listener.close();
  return [inside, outside];
}
