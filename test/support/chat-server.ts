import { connect, type Socket } from 'node:net';
import { ChatServer } from '../../src/server/chat-server.js';
import type { ChatServerOptions } from '../../src/server/options.js';
import { formatAddr } from '../../src/protocol/index.js';
import { LineInbox } from './line-inbox.js';

const running = new Set<ChatServer>();
const clients = new Set<LineClient>();
/** Ports that stand for a group of servers: a client opened on one goes to the next server of its group. */
const groups = new Map<number, { ports: number[]; next: number }>();
let clusterRedisUrl: string | undefined;
let clusters = 0;

/** The number of servers startServer() starts per chat while spread over a cluster. */
export const CLUSTER_SIZE = 3;

/**
 * From now on (until called with undefined), startServer() starts CLUSTER_SIZE servers that share one room
 * through the Redis at `url`, and the clients of a test take turns among them, so a test written for one
 * server checks that a room spread over processes behaves as one.
 */
export function spreadOverCluster(url: string | undefined): void {
  clusterRedisUrl = url;
}

export function spreadOverClusterNow(): boolean {
  return clusterRedisUrl !== undefined;
}

/**
 * A real server on 127.0.0.1 and a free port, stopped by stopAll(). Every test client comes from 127.0.0.1,
 * so the per-address limits are off unless a test sets them.
 */
export async function startServer(options: Partial<ChatServerOptions> = {}) {
  if (clusterRedisUrl !== undefined) return startCluster(clusterRedisUrl, options);
  const server = new ChatServer({ host: '127.0.0.1', port: 0, rate: 0, maxClientsPerIp: 0, joinRate: 0, ...options });
  const { port } = await server.start();
  running.add(server);
  return { server, port };
}

/**
 * `count` servers on one Redis, under a prefix of their own. `port` stands for all of them (see
 * LineClient.open); `server` stops them all, which is all a test spread over a cluster may ask of it.
 */
export async function startCluster(url: string, options: Partial<ChatServerOptions> = {}, count = CLUSTER_SIZE) {
  const prefix = `test${process.pid}-${++clusters}`;
  const redis = { url, prefix, outageLimitMs: 30_000, ...options.redis };
  const servers: ChatServer[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { server, port } = await startServerOnly({ ...options, redis });
    servers.push(server);
    ports.push(port);
  }
  groups.set(ports[0]!, { ports, next: 0 });
  const all = { stop: () => Promise.all(servers.map((server) => server.stop())).then(() => undefined) };
  return { server: all as ChatServer, port: ports[0]!, servers, ports, prefix };
}

async function startServerOnly(options: Partial<ChatServerOptions>) {
  const server = new ChatServer({ host: '127.0.0.1', port: 0, rate: 0, maxClientsPerIp: 0, joinRate: 0, ...options });
  const { port } = await server.start();
  running.add(server);
  return { server, port };
}

export async function stopAll(): Promise<void> {
  for (const client of clients) client.destroy();
  clients.clear();
  await Promise.all([...running].map((server) => server.stop()));
  running.clear();
  groups.clear();
}

/** A raw TCP client that reads the server's replies line by line, as `nc` would show them. */
export class LineClient {
  private readonly inbox = new LineInbox('the server to close the connection');
  addr = '';

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.inbox.receive(chunk));
    socket.on('close', () => this.inbox.close());
    socket.on('error', () => {});
  }

  get lines(): string[] {
    return this.inbox.lines;
  }

  /** `allowHalfOpen`: keep this side open after the server ends its own, as a stubborn peer would. */
  static async open(
    port: number,
    host = '127.0.0.1',
    { allowHalfOpen = false, localAddress }: { allowHalfOpen?: boolean; localAddress?: string } = {},
  ): Promise<LineClient> {
    const group = groups.get(port);
    if (group) port = group.ports[group.next++ % group.ports.length]!;
    const socket = connect({ host, port, allowHalfOpen, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new LineClient(socket);
    client.addr = formatAddr(socket.localAddress!, socket.localPort!);
    clients.add(client);
    return client;
  }

  /** Connects and waits for its own `已上线`, so the server has registered it. */
  static async join(port: number): Promise<LineClient> {
    const client = await LineClient.open(port);
    await client.waitForLine((line) => line === `[${client.addr}]${client.addr}:已上线`);
    return client;
  }

  get closed(): boolean {
    return this.inbox.closed;
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends and returns the next `count` lines received after it. */
  async request(text: string, count = 1, timeoutMs = 5000): Promise<string[]> {
    const from = this.lines.length;
    this.send(text);
    await this.until(
      () => this.lines.length >= from + count,
      timeoutMs,
      `${count} line(s) after ${JSON.stringify(text)}`,
    );
    return this.lines.slice(from, from + count);
  }

  waitForLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    return this.inbox.waitForLine(match, timeoutMs);
  }

  waitForClose(timeoutMs = 5000): Promise<void> {
    return this.inbox.waitForClose(timeoutMs);
  }

  until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return this.inbox.until(done, timeoutMs, what);
  }

  /** Lines received so far and then for `ms` more: for asserting that nothing else arrives. */
  async settle(ms = 150): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return [...this.lines];
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
