import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, spreadOverClusterNow, startServer, stopAll } from '../support/chat-server.js';

afterEach(stopAll);

/** --max-clients counts one process's connections: a test of it needs every client on one process. */
const perProcess = it.skipIf(spreadOverClusterNow());

async function twoUsers() {
  const { server, port } = await startServer();
  const alice = await LineClient.join(port);
  const bob = await LineClient.join(port);
  await alice.waitForLine((line) => line === `[${bob.addr}]${bob.addr}:已上线`);
  return { server, port, alice, bob };
}

describe("the article's lines, byte for byte", () => {
  it('announces a newcomer to everyone online, the newcomer included', async () => {
    const { port } = await startServer();
    const alice = await LineClient.open(port);
    expect(await alice.request('', 1)).toEqual([`[${alice.addr}]${alice.addr}:已上线`]);
    const bob = await LineClient.open(port);
    const joined = `[${bob.addr}]${bob.addr}:已上线`;
    await bob.waitForLine((line) => line === joined);
    await alice.waitForLine((line) => line === joined);
  });

  it('sends exact bytes with a final newline', async () => {
    const { port } = await startServer();
    const alice = await LineClient.open(port);
    const raw: Buffer[] = [];
    alice.socket.on('data', (chunk: Buffer) => raw.push(chunk));
    await alice.request('hi\n', 2);
    expect(Buffer.concat(raw).toString('utf8')).toBe(
      `[${alice.addr}]${alice.addr}:已上线\n[${alice.addr}]${alice.addr}:hi\n`,
    );
  });

  it('tells everyone still online that a user left', async () => {
    const { alice, bob } = await twoUsers();
    bob.end();
    await alice.waitForLine((line) => line === `[${bob.addr}]${bob.addr}:下线`);
  });

  it('broadcasts a public message to everyone, the sender included, with \\r\\n accepted', async () => {
    const { alice, bob } = await twoUsers();
    alice.send('hello 大家好\r\n');
    const line = `[${alice.addr}]${alice.addr}:hello 大家好`;
    await alice.waitForLine((l) => l === line);
    await bob.waitForLine((l) => l === line);
  });

  it('lists online users in join order for who, to the asker only', async () => {
    const { alice, bob } = await twoUsers();
    const before = bob.lines.length;
    expect(await alice.request('who\n', 2)).toEqual([
      `[${alice.addr}]${alice.addr}:在线...`,
      `[${bob.addr}]${bob.addr}:在线...`,
    ]);
    expect((await bob.settle()).length).toBe(before);
  });

  it('renames, refuses a name in use (own included), and shows the new name in later lines', async () => {
    const { alice, bob } = await twoUsers();
    expect(await alice.request('rename|张三\n')).toEqual(['您已经更新用户名:张三']);
    expect(await alice.request('rename|张三\n')).toEqual(['当前用户名被使用']);
    expect(await bob.request('rename|张三\n')).toEqual(['当前用户名被使用']);
    expect(await bob.request('rename|bob|ignored\n')).toEqual(['您已经更新用户名:bob']);
    expect(await bob.request('who\n', 2)).toEqual([`[${alice.addr}]张三:在线...`, `[${bob.addr}]bob:在线...`]);
    alice.send('hi\n');
    await bob.waitForLine((line) => line === `[${alice.addr}]张三:hi`);
  });

  it('delivers a private message to its target only, content may hold |', async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    await alice.request('rename|alice\n');
    const aliceBefore = alice.lines.length;
    alice.send('to|bob|a|b c\n\n');
    await bob.waitForLine((line) => line === 'alice对您说:a|b c');
    expect((await alice.settle()).slice(aliceBefore)).toEqual([]);
  });

  it('answers malformed private messages as the article does', async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    expect(await alice.request('to||你好\n')).toEqual(['消息格式不正确，请使用"to|张三|你好啊"格式,']);
    expect(await alice.request('to|nobody|hi\n')).toEqual(['该用户名不存在']);
    expect(await alice.request('to|bob\n')).toEqual(['无消息内容，请重发']);
    expect(await alice.request('to|bob|\n')).toEqual(['无消息内容，请重发']);
  });

  it("kicks an idle user with the article's line, and the others see it leave", async () => {
    const { port } = await startServer({ idleTimeoutMs: 400 });
    const bob = await LineClient.join(port);
    const alice = await LineClient.join(port);
    const keepBobBusy = setInterval(() => bob.send('\n'), 100);
    try {
      await alice.waitForClose(3000);
      expect(alice.lines.at(-1)).toBe('你被超时踢出了');
      await bob.waitForLine((line) => line === `[${alice.addr}]${alice.addr}:下线`);
      expect(bob.closed).toBe(false);
    } finally {
      clearInterval(keepBobBusy);
    }
  });
});

describe("the project's own lines", () => {
  it('refuses an invalid name', async () => {
    const { alice } = await twoUsers();
    for (const name of ['', 'a b', 'a:b', '[x', 'x'.repeat(33), 'tab\there']) {
      expect(await alice.request(`rename|${name}\n`)).toEqual([
        '用户名不合法：只能用1-32个字母、数字、汉字或_-.，须含字母或数字，不能含形似:[]|的字符',
      ]);
    }
    expect(await alice.request(`rename|${'字'.repeat(32)}\n`)).toEqual([`您已经更新用户名:${'字'.repeat(32)}`]);
  });

  it('discards an overlong line up to its newline and says so', async () => {
    const { port } = await startServer({ maxLineBytes: 16 });
    const alice = await LineClient.join(port);
    expect(await alice.request(`${'x'.repeat(17)}\n`)).toEqual(['消息过长：每行最多16字节']);
    alice.send('y'.repeat(40));
    alice.send(`${'y'.repeat(40)}\nok\n`);
    expect(await alice.request('', 2)).toEqual(['消息过长：每行最多16字节', `[${alice.addr}]${alice.addr}:ok`]);
    expect(await alice.request(`${'z'.repeat(16)}\r\n`)).toEqual([`[${alice.addr}]${alice.addr}:${'z'.repeat(16)}`]);
  });

  it('refuses a public message that is exactly a presence word', async () => {
    const { alice, bob } = await twoUsers();
    const before = bob.lines.length;
    for (const word of ['已上线', '下线', '在线...']) {
      expect(await alice.request(`${word}\n`)).toEqual(['该内容为系统保留，未发送']);
    }
    expect((await bob.settle()).length).toBe(before);
  });

  perProcess('refuses a client beyond --max-clients without telling the others', async () => {
    const { port } = await startServer({ maxClients: 1 });
    const alice = await LineClient.join(port);
    const extra = await LineClient.open(port);
    await extra.waitForClose();
    expect(extra.lines).toEqual(['服务器已满，请稍后再试']);
    expect(await alice.settle()).toEqual([`[${alice.addr}]${alice.addr}:已上线`]);
  });

  perProcess('cuts off a refused client that never closes its side, and still stops promptly', async () => {
    const { server, port } = await startServer({ maxClients: 1 });
    await LineClient.join(port);
    const lingerers = await Promise.all(
      Array.from({ length: 5 }, () => LineClient.open(port, '127.0.0.1', { allowHalfOpen: true })),
    );
    await Promise.all(lingerers.map((client) => client.waitForLine((line) => line === '服务器已满，请稍后再试')));
    // stop() finishes only when every socket is gone: a refused one left open would hold it for ever.
    const stoppedAt = performance.now();
    await server.stop();
    expect(performance.now() - stoppedAt).toBeLessThan(3500);
  });

  it('says goodbye to everyone at shutdown', async () => {
    const { server, alice, bob } = await twoUsers();
    await server.stop();
    for (const client of [alice, bob]) {
      await client.waitForClose();
      expect(client.lines.at(-1)).toBe('服务器已关闭');
    }
  });
});

describe('deliberate differences from the article', () => {
  it('1: frames commands that arrive in one segment, and UTF-8 split across writes', async () => {
    const { alice } = await twoUsers();
    const before = alice.lines.length;
    alice.send('one\ntwo\n');
    const bytes = Buffer.from('三四\n');
    alice.send(bytes.subarray(0, 4));
    await new Promise((resolve) => setTimeout(resolve, 30));
    alice.send(bytes.subarray(4));
    await alice.until(() => alice.lines.length >= before + 3, 5000, 'three lines');
    const got = alice.lines.slice(before);
    expect(got.map((line) => line.slice(line.lastIndexOf(':') + 1))).toEqual(['one', 'two', '三四']);
  });

  it('2: survives to|name with nothing after it', async () => {
    const { alice, bob } = await twoUsers();
    expect(await alice.request(`to|${bob.addr}\n`)).toEqual(['无消息内容，请重发']);
    await bob.request('rename|bob\n');
    expect(await alice.request(`to|${bob.addr}\n`)).toEqual(['该用户名不存在']);
    expect(await alice.request('to|bob\n')).toEqual(['无消息内容，请重发']);
    expect(await alice.request('who\n', 2)).toHaveLength(2);
  });

  it("3 and 4: a private line ends with \\n and the client's trailing empty line is not broadcast", async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    const raw: Buffer[] = [];
    bob.socket.on('data', (chunk: Buffer) => raw.push(chunk));
    const aliceBefore = alice.lines.length;
    alice.send('to|bob|hey\n\n');
    await bob.waitForLine((line) => line.endsWith('对您说:hey'));
    expect(Buffer.concat(raw).toString()).toBe(`${alice.addr}对您说:hey\n`);
    expect((await alice.settle()).length).toBe(aliceBefore);
  });

  it('7: strips terminal escapes and control characters; invalid UTF-8 becomes U+FFFD', async () => {
    const { alice, bob } = await twoUsers();
    alice.send(Buffer.concat([Buffer.from('\x1b[2J\x1b[31mred\x07\x00\u009b1m'), Buffer.from([0xff, 0x0a])]));
    await bob.waitForLine((line) => line === `[${alice.addr}]${alice.addr}:[2J[31mred1m\uFFFD`);
  });

  it('11: who lists in join order after renames', async () => {
    const { port } = await startServer();
    const users = [];
    for (const name of ['zed', 'amy', 'kim']) {
      const user = await LineClient.join(port);
      await user.request(`rename|${name}\n`);
      users.push(user);
    }
    const listed = await users[0]!.request('who\n', 3);
    expect(listed.map((line) => line.slice(line.indexOf(']') + 1))).toEqual([
      'zed:在线...',
      'amy:在线...',
      'kim:在线...',
    ]);
  });

  it('works over IPv6 with Go-style [addr]:port', async () => {
    const { port } = await startServer({ host: '::1' }).catch(() => ({ port: -1 }));
    if (port === -1) return;
    const alice = await LineClient.open(port, '::1');
    expect(alice.addr).toMatch(/^\[::1\]:\d+$/);
    expect(await alice.request('', 1)).toEqual([`[${alice.addr}]${alice.addr}:已上线`]);
  });
});

describe('order', () => {
  it("keeps each client's lines in the order the server produced them: broadcasts, replies and whispers", async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    const aliceFrom = alice.lines.length;
    const bobFrom = bob.lines.length;
    alice.send('first\nwho\nsecond\nto|bob|psst\n\nthird\n');
    await alice.until(() => alice.lines.length >= aliceFrom + 5, 5000, 'five lines');
    await bob.until(() => bob.lines.length >= bobFrom + 4, 5000, 'four lines');
    const said = (text: string) => `[${alice.addr}]${alice.addr}:${text}`;
    expect(alice.lines.slice(aliceFrom)).toEqual([
      said('first'),
      `[${alice.addr}]${alice.addr}:在线...`,
      `[${bob.addr}]bob:在线...`,
      said('second'),
      said('third'),
    ]);
    expect(bob.lines.slice(bobFrom)).toEqual([
      said('first'),
      said('second'),
      `${alice.addr}对您说:psst`,
      said('third'),
    ]);
  });

  it('gives a newcomer no line broadcast before it joined, and every line after', async () => {
    const { port } = await startServer();
    const alice = await LineClient.join(port);
    alice.send('before\n');
    await alice.waitForLine((line) => line.endsWith(':before'));
    const bob = await LineClient.join(port);
    alice.send('after\n');
    await bob.waitForLine((line) => line.endsWith(':after'));
    expect(bob.lines).toEqual([`[${bob.addr}]${bob.addr}:已上线`, `[${alice.addr}]${alice.addr}:after`]);
  });
});
