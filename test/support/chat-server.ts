import { connect, type Socket } from 'node:net';
import { ChatServer } from '../../src/server/chat-server.js';
import type { ChatServerOptions } from '../../src/server/options.js';
import { LineSplitter, formatAddr } from '../../src/protocol/index.js';

const running = new Set<ChatServer>();
const clients = new Set<LineClient>();

/**
 * A real server on 127.0.0.1 and a free port, stopped by stopAll(). Every test client comes from 127.0.0.1,
 * so the per-address limits are off unless a test sets them.
 */
export async function startServer(options: Partial<ChatServerOptions> = {}) {
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
}

/** A raw TCP client that reads the server's replies line by line, as `nc` would show them. */
export class LineClient {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter();
  private readonly waiters = new Set<() => void>();
  private ended = false;
  addr = '';

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const framed of this.splitter.push(chunk)) if (framed.kind === 'line') this.lines.push(framed.text);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  /** `allowHalfOpen`: keep this side open after the server ends its own, as a stubborn peer would. */
  static async open(
    port: number,
    host = '127.0.0.1',
    { allowHalfOpen = false, localAddress }: { allowHalfOpen?: boolean; localAddress?: string } = {},
  ): Promise<LineClient> {
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
    return this.ended;
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

  async waitForLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    await this.until(() => this.lines.some(match), timeoutMs, 'a matching line');
    return this.lines.find(match)!;
  }

  async waitForClose(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.ended, timeoutMs, 'the server to close the connection');
  }

  async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.lines.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
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

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
