import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_COMMAND_BYTES, formatAddr, replies } from '../../src/protocol/index.js';
import { ChatClient, ConnectError, type ClientEvent } from '../../src/tui/client.js';
import { until } from '../support/until.js';

/** A scripted server: records every chunk it reads, and lets the test write to the connection. */
class FakeServer {
  readonly chunks: string[] = [];
  /** Every byte read, per connection, for commands that span several reads. */
  readonly received: Buffer[][] = [];
  readonly sockets: Socket[] = [];
  private readonly server: Server;

  constructor(private readonly greet: (socket: Socket, addr: string) => void = () => {}) {
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      const received: Buffer[] = [];
      this.received.push(received);
      socket.on('data', (chunk) => {
        received.push(chunk);
        this.chunks.push(chunk.toString('utf8'));
      });
      socket.on('error', () => {});
      this.greet(socket, formatAddr(socket.remoteAddress!, socket.remotePort!));
    });
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)),
    );
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get last(): Socket {
    return this.sockets.at(-1)!;
  }

  /** What the last connection has sent so far, as text. */
  get stream(): string {
    return Buffer.concat(this.received.at(-1) ?? []).toString('utf8');
  }

  /** Until `condition` holds; a timeout shows what the server has read. */
  until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
    return until(condition, {
      timeoutMs,
      what: 'the server to read it',
      seen: () => `chunks: ${JSON.stringify(this.chunks).slice(0, 2_000)}`,
    });
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function record(client: ChatClient): ClientEvent[] {
  const events: ClientEvent[] = [];
  client.subscribe((event) => events.push(event));
  return events;
}

async function setUp(
  greet?: (socket: Socket, addr: string) => void,
  options: Partial<ConstructorParameters<typeof ChatClient>[0]> = {},
) {
  const server = new FakeServer(greet);
  const port = await server.listen();
  const client = new ChatClient({
    host: '127.0.0.1',
    port,
    writeGapMs: 5,
    backoff: { initialMs: 20, maxMs: 100 },
    // No jitter unless a test asks for it: the waits are exactly 20, 40, 80 ms.
    random: () => 0,
    ...options,
  });
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client, port };
}

describe('ChatClient', () => {
  it('asks for its name, then who, each in its own write, exactly as the article’s client', async () => {
    const { server, client } = await setUp(undefined, { name: 'alice' });
    await client.connect();
    await server.until(() => server.chunks.length >= 2);
    expect(server.chunks.slice(0, 2)).toEqual(['rename|alice\n', 'who\n']);
    client.sendPublic('hello');
    client.sendPrivate('bob', 'psst');
    await server.until(() => server.chunks.length >= 4);
    expect(server.chunks.slice(2)).toEqual(['hello\n', 'to|bob|psst\n\n']);
  });

  it('knows its own addr from the first joined line that carries its local address', async () => {
    const { client } = await setUp((socket, addr) => {
      socket.write(replies.joined('10.0.0.9:1', 'someone else'));
      socket.write(replies.joined(addr, addr));
    });
    const events = record(client);
    await client.connect();
    await until(() => expect(client.selfAddr).toBeDefined());
    const self = events.filter((event) => event.type === 'self').at(-1);
    const connected = events.find((event) => event.type === 'connected');
    expect(self).toEqual({ type: 'self', addr: connected?.type === 'connected' ? connected.localAddr : '?' });
  });

  it('takes the first joined line of the connection as its own when a tunnel hides its address', async () => {
    const { client } = await setUp((socket) => {
      socket.write(replies.joined('203.0.113.7:4000', '203.0.113.7:4000'));
      socket.write(replies.joined('203.0.113.8:4000', '203.0.113.8:4000'));
    });
    await client.connect();
    await until(() => expect(client.selfAddr).toBe('203.0.113.7:4000'));
  });

  it('waits for the server to answer a command before sending the next, and only paces unanswered ones', async () => {
    const { server, client } = await setUp(undefined, { writeGapMs: 5 });
    await client.connect();
    await server.until(() => server.chunks.includes('who\n'));
    server.last.write(replies.listed('127.0.0.1:1', 'x'));
    const start = Date.now();
    client.sendPublic('one');
    client.sendPublic('two');
    await server.until(() => server.chunks.includes('two\n'));
    // Nobody echoed `one`: the client waited for an answer that never came, up to its limit.
    expect(Date.now() - start).toBeGreaterThanOrEqual(240);
    server.last.write(replies.listed('127.0.0.1:1', 'x'));
    server.chunks.length = 0;
    server.last.on('data', (chunk) => {
      if (chunk.toString().endsWith('\n') && !chunk.toString().startsWith('to|')) server.last.write(`[a]b:${chunk}`);
    });
    const echoed = Date.now();
    client.sendPublic('three');
    client.sendPublic('four');
    await server.until(() => server.chunks.includes('four\n'));
    expect(Date.now() - echoed).toBeLessThan(200);
    expect(server.chunks).toEqual(['three\n', 'four\n']);
  });

  it('echoes private messages and strips control characters from the wire and from what it sends', async () => {
    const { server, client } = await setUp((socket, addr) => socket.write(`[${addr}]x:\x1b[2Jclear\x07\n`));
    const events = record(client);
    await client.connect();
    await until(() => expect(events.some((event) => event.type === 'server')).toBe(true));
    const line = events.find((event) => event.type === 'server');
    expect(line).toMatchObject({ event: { type: 'public', text: '[2Jclear' } });
    client.sendPrivate('bob', 'a\x1bb');
    await server.until(() => server.chunks.includes('to|bob|ab\n\n'));
    expect(events).toContainEqual({ type: 'privateSent', to: 'bob', text: 'ab', id: expect.any(Number) });
  });

  it('reads a kick line without a line end, and waits for the user before reconnecting', async () => {
    const { server, client } = await setUp((socket) => {
      if (server.sockets.length === 1) setTimeout(() => socket.end('你被超时踢出了'), 20);
    });
    const events = record(client);
    await client.connect();
    await until(() => expect(events).toContainEqual({ type: 'disconnected', reason: 'idle', kicked: true }));
    expect(events).toContainEqual({ type: 'server', event: { type: 'idleKick' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.sockets).toHaveLength(1);
    client.reconnectNow();
    await server.until(() => server.sockets.length === 2);
  });

  it('reconnects with backoff after a drop and restores the name the server confirmed', async () => {
    const { server, client } = await setUp();
    const events = record(client);
    await client.connect();
    client.rename('carol');
    await server.until(() => server.chunks.includes('rename|carol\n'));
    server.last.write(replies.renamed('carol'));
    await until(() => expect(events).toContainEqual({ type: 'server', event: { type: 'renamed', name: 'carol' } }));
    server.chunks.length = 0;
    server.last.destroy();
    await server.until(() => server.sockets.length === 2 && server.chunks.length >= 2);
    expect(server.chunks.slice(0, 2)).toEqual(['rename|carol\n', 'who\n']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'disconnected', kicked: false, retryInMs: 20 }));
  });

  it('keeps retrying while the server is away, with growing delays', async () => {
    const { server, client, port } = await setUp();
    const events = record(client);
    await client.connect();
    await server.close();
    await until(() =>
      expect(
        events
          .filter((event) => event.type === 'disconnected')
          .map((event) => event.type === 'disconnected' && event.retryInMs),
      ).toEqual(expect.arrayContaining([20, 40, 80])),
    );
    const again = new FakeServer();
    await again.listen(port);
    cleanups.push(() => again.close());
    await again.until(() => again.sockets.length === 1);
  });

  it('backs off further while a full server keeps closing on it', async () => {
    const { client } = await setUp((socket) => socket.end(replies.serverFull()));
    const events = record(client);
    await client.connect();
    await until(() =>
      expect(
        events
          .filter((event) => event.type === 'disconnected')
          .map((event) => event.type === 'disconnected' && event.retryInMs)
          .slice(0, 3),
      ).toEqual([20, 40, 80]),
    );
    expect(events).toContainEqual({ type: 'server', event: { type: 'serverFull' } });
  });

  it('does not start the waits over for a server that drops it right after it joins, and jitters them', async () => {
    const { client } = await setUp((socket, addr) => socket.end(replies.joined(addr, addr)), {
      backoff: { initialMs: 20, maxMs: 1_000 },
      random: Math.random,
    });
    const events = record(client);
    await client.connect();
    const delays = () =>
      events.flatMap((event) =>
        event.type === 'disconnected' && event.retryInMs !== undefined ? [event.retryInMs] : [],
      );
    await until(() => expect(delays().length).toBeGreaterThanOrEqual(4), { timeoutMs: 5_000 });
    // It did join each time: the server's joined line was ours.
    expect(events.filter((event) => event.type === 'self').length).toBeGreaterThanOrEqual(4);
    const [first, second, third, fourth] = delays() as [number, number, number, number];
    // Each wait lies between half its nominal value (20, 40, 80, 160) and all of it, so each is longer than the last.
    for (const [delay, nominal] of [
      [first, 20],
      [second, 40],
      [third, 80],
      [fourth, 160],
    ] as const) {
      expect(delay).toBeGreaterThan(nominal / 2);
      expect(delay).toBeLessThanOrEqual(nominal);
    }
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(fourth).toBeGreaterThan(third);
  });

  it('starts the waits over once a connection has stayed up', async () => {
    const { server, client } = await setUp(
      (socket, addr) => {
        socket.write(replies.joined(addr, addr));
        if (server.sockets.length <= 2) socket.end();
      },
      { backoff: { initialMs: 20, maxMs: 1_000, resetAfterMs: 30 } },
    );
    const events = record(client);
    await client.connect();
    await server.until(() => server.sockets.length === 3);
    await until(() => expect(client.connected).toBe(true));
    // Up for longer than resetAfterMs.
    await new Promise((resolve) => setTimeout(resolve, 80));
    server.last.destroy();
    await server.until(() => server.sockets.length === 4);
    const delays = events.flatMap((event) => (event.type === 'disconnected' ? [event.retryInMs] : []));
    expect(delays).toEqual([20, 40, 20]);
  });

  it('splits a long private message into whole private commands that each fit one 4096-byte read', async () => {
    const { server, client } = await setUp();
    const events = record(client);
    await client.connect();
    await server.until(() => server.chunks.includes('who\n'));
    // 10,000 characters, CJK with a few surrogate pairs: over 30,000 bytes.
    const text = Array.from({ length: 10_000 }, (_, index) => (index % 97 === 96 ? '😀' : '中文字符'[index % 4])).join(
      '',
    );
    expect(client.sendPrivate('bob', text)).toBe(true);
    const commands = () => server.stream.slice('who\n'.length).split(/(?<=\n\n)/);
    const content = () => commands().map((command) => command.slice('to|bob|'.length, -2));
    await server.until(() => server.stream.endsWith('\n\n') && content().join('').length === text.length);
    expect(commands().length).toBeGreaterThanOrEqual(8);
    for (const command of commands()) {
      expect(command).toMatch(/^to\|bob\|[^\n]+\n\n$/);
      expect(Buffer.byteLength(command)).toBeLessThanOrEqual(MAX_COMMAND_BYTES);
    }
    const pieces = content();
    expect(pieces.join('')).toBe(text);
    await until(() => expect(events.filter((event) => event.type === 'privateSent')).toHaveLength(pieces.length));
    expect(events.flatMap((event) => (event.type === 'privateSent' ? [event.text] : []))).toEqual(pieces);
  });

  it('splits a long public message the same way, and never so that a piece reads as a command', async () => {
    const { server, client } = await setUp((socket) =>
      // Answer every command, as a server that echoes chat would, so the client does not wait.
      socket.on('data', () => socket.write('[127.0.0.1:1]x:ok\n')),
    );
    await client.connect();
    const text = '中'.repeat(10_000);
    client.sendPublic(text);
    const sneaky = 'a'.repeat(MAX_COMMAND_BYTES - 1) + 'rename|mallory';
    client.sendPublic(sneaky);
    await server.until(() => server.stream.endsWith('rename|mallory\n'));
    const lines = server.stream.split(/(?<=\n)/).filter((line) => line !== 'who\n');
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_COMMAND_BYTES);
    const long = lines.filter((line) => line.startsWith('中'));
    expect(long.length).toBeGreaterThanOrEqual(8);
    expect(long.map((line) => line.slice(0, -1)).join('')).toBe(text);
    const rest = lines.slice(long.length).map((line) => line.slice(0, -1));
    expect(rest).toEqual(['a'.repeat(MAX_COMMAND_BYTES - 2), 'arename|mallory']);
  });

  it('echoes a private message only once it is written, and reports the queued ones a drop loses', async () => {
    const { server, client } = await setUp();
    const events = record(client);
    await client.connect();
    // `who` waits for an answer that does not come, so everything after it stays queued.
    client.sendPublic('one');
    client.sendPrivate('bob', 'psst');
    client.sendPrivate('bob', 'x'.repeat(MAX_COMMAND_BYTES * 2));
    expect(events.some((event) => event.type === 'privateSent')).toBe(false);
    await server.until(() => server.chunks.includes('who\n'));
    server.last.destroy();
    await until(() => expect(events).toContainEqual({ type: 'unsent', count: 3 }));
    expect(events.some((event) => event.type === 'privateSent')).toBe(false);
    const disconnected = events.findIndex((event) => event.type === 'disconnected');
    expect(events.findIndex((event) => event.type === 'unsent')).toBeGreaterThan(disconnected);
    expect(server.chunks).toEqual(['who\n']);
  });

  it('settles each private message: refused when the server answers no such user, else delivered', async () => {
    const { server, client } = await setUp();
    const events = record(client);
    await client.connect();
    await server.until(() => server.chunks.includes('who\n'));
    server.last.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('to|nobody|')) server.last.write(replies.noSuchUser());
    });
    client.sendPrivate('nobody', 'hi');
    client.sendPrivate('bob', 'hey');
    await until(() => expect(events.filter((event) => event.type === 'privateResult')).toHaveLength(2));
    const sent = events.filter((event) => event.type === 'privateSent' || event.type === 'privateResult');
    expect(sent).toEqual([
      { type: 'privateSent', to: 'nobody', text: 'hi', id: 0 },
      { type: 'privateResult', id: 0, delivered: false },
      { type: 'privateSent', to: 'bob', text: 'hey', id: 1 },
      { type: 'privateResult', id: 1, delivered: true },
    ]);
  });

  it('says once that a peer which does not speak the protocol is not a chat server, and does not retry', async () => {
    const html = 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html><body>bad</body></html>\r\n';
    const { server, client } = await setUp((socket) => socket.once('data', () => socket.end(html)));
    const events = record(client);
    await client.connect();
    await until(() => expect(events).toContainEqual({ type: 'notChatServer' }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.sockets).toHaveLength(1);
    expect(events.filter((event) => event.type === 'server')).toEqual([]);
    expect(events.filter((event) => event.type === 'notChatServer')).toHaveLength(1);
    expect(events.some((event) => event.type === 'disconnected')).toBe(false);
    client.reconnectNow();
    await server.until(() => server.sockets.length === 2);
  });

  it('asks for name-2, name-3… when the automatic name is taken, and tells the user', async () => {
    const { server, client } = await setUp(undefined, { name: 'carol', nextFreeName: true });
    const events = record(client);
    await client.connect();
    await server.until(() => server.chunks.includes('rename|carol\n'));
    server.last.on('data', (chunk: Buffer) => {
      const asked = /^rename\|(.*)\n$/.exec(chunk.toString())?.[1];
      if (asked) server.last.write(asked === 'carol-3' ? replies.renamed(asked) : replies.nameInUse());
    });
    server.last.write(replies.nameInUse());
    await until(() => expect(events).toContainEqual({ type: 'server', event: { type: 'renamed', name: 'carol-3' } }));
    expect(events.filter((event) => event.type === 'nameTaken')).toEqual([
      { type: 'nameTaken', name: 'carol', next: 'carol-2' },
      { type: 'nameTaken', name: 'carol-2', next: 'carol-3' },
    ]);
    // The user sees where the name went, not "that name is already in use" twice.
    expect(events).not.toContainEqual({ type: 'server', event: { type: 'nameInUse' } });
  });

  it('keeps a name the user chose as it is when taken', async () => {
    const { server, client } = await setUp(undefined, { name: 'carol' });
    const events = record(client);
    await client.connect();
    await server.until(() => server.chunks.includes('rename|carol\n'));
    server.last.write(replies.nameInUse());
    await until(() => expect(events).toContainEqual({ type: 'server', event: { type: 'nameInUse' } }));
    expect(events.some((event) => event.type === 'nameTaken')).toBe(false);
  });

  it('refreshes who when asked, at most once a second', async () => {
    const { server, client } = await setUp();
    await client.connect();
    await server.until(() => server.chunks.includes('who\n'));
    expect(client.refreshWho()).toBe(true);
    expect(client.refreshWho()).toBe(false);
    await server.until(() => server.chunks.filter((chunk) => chunk === 'who\n').length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.chunks.filter((chunk) => chunk === 'who\n')).toHaveLength(2);
  });

  it('refuses to send while disconnected', async () => {
    const { client } = await setUp();
    expect(client.sendPublic('nobody hears this')).toBe(false);
  });

  it('rejects the first connection with one clear sentence', async () => {
    const { port, server } = await setUp();
    await server.close();
    const client = new ChatClient({ host: '127.0.0.1', port });
    const error = await client.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toMatch(/connection refused.*chat-server/);
    const unknown = new ChatClient({ host: 'no-such-host.invalid', port: 1 });
    const lookup = await unknown.connect().catch((caught: unknown) => caught);
    expect((lookup as Error).message).toMatch(/unknown host/);
  });
});
