import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import xterm from '@xterm/headless';
import { pino } from 'pino';
import ssh2 from 'ssh2';
import { formatAddr } from '../../src/protocol/index.js';
import { LineInbox } from './line-inbox.js';
import type { ChatServer } from '../../src/server/chat-server.js';
import type { ChatServerOptions } from '../../src/server/options.js';
import { SshDoor, type SshDoorOptions } from '../../src/ssh/door.js';
import { generateEd25519, loadOrCreateHostKey, type HostKey } from '../../src/ssh/keys.js';
import { startServer } from './chat-server.js';
import { until } from './until.js';

const doors = new Set<SshDoor>();
const clients = new Set<ssh2.Client>();
let sharedHostKey: HostKey | undefined;

/** A fresh directory under the system's temporary one. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'chat-ssh-'));
}

/** The log a door writes, as parsed records, for tests that check what it says. */
export class LogRecorder {
  readonly records: Array<Record<string, unknown>> = [];
  readonly logger = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString().split('\n')) if (line) this.records.push(JSON.parse(line));
        done();
      },
    }),
  );

  events(event: string): Array<Record<string, unknown>> {
    return this.records.filter((record) => record.event === event);
  }
}

/**
 * A chat server on 127.0.0.1 with its SSH door open on a free port, both stopped by stopDoors() (and
 * stopAll() for the chat server). Per-address limits are off unless a test sets them.
 */
export async function startDoor(
  door: Partial<Omit<SshDoorOptions, 'host' | 'port'>> = {},
  chat: Partial<ChatServerOptions> = {},
) {
  const { server, port: tcpPort } = await startServer(chat);
  return { ...(await openDoor(server, door)), server, tcpPort };
}

/** Opens an SSH door on a free port into a chat server the test started, stopped by stopDoors(). */
export async function openDoor(server: ChatServer, door: Partial<Omit<SshDoorOptions, 'host' | 'port'>> = {}) {
  sharedHostKey ??= loadOrCreateHostKey(join(tempDir(), 'host_key'));
  const log = new LogRecorder();
  const sshDoor = new SshDoor(server, {
    host: '127.0.0.1',
    port: 0,
    hostKey: sharedHostKey,
    maxSessionsPerIp: 0,
    logger: log.logger,
    ...door,
  });
  doors.add(sshDoor);
  const { port } = await sshDoor.start();
  return { door: sshDoor, port, log, hostKey: sharedHostKey };
}

export async function stopDoors(): Promise<void> {
  for (const client of clients) client.destroy();
  clients.clear();
  await Promise.all([...doors].map((door) => door.stop()));
  doors.clear();
}

export interface SshLogin {
  username: string;
  /** An OpenSSH private key; without one the client logs in by keyboard-interactive. */
  privateKey?: string;
  /** Sees the server's host key (the SSH wire blob) and says whether to go on. */
  hostVerifier?: (key: Buffer) => boolean;
}

/** The local side of each test client's TCP connection: the addr the server shows for it. */
const addrs = new WeakMap<ssh2.Client, string>();

export function addrOf(client: ssh2.Client): string {
  return addrs.get(client)!;
}

/** An ssh2 client that has logged in (or the error that stopped it). */
export async function sshConnect(port: number, login: SshLogin): Promise<ssh2.Client> {
  const client = new ssh2.Client();
  const sock = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  sock.on('error', () => {});
  addrs.set(client, formatAddr(sock.localAddress!, sock.localPort!));
  clients.add(client);
  client.on('error', () => {});
  client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => '')));
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
    client.connect({
      sock,
      username: login.username,
      privateKey: login.privateKey,
      tryKeyboard: login.privateKey === undefined,
      hostVerifier: login.hostVerifier,
      readyTimeout: 10_000,
    });
  });
  return client;
}

/** A shell without a pty: the line protocol, read line by line. */
export class SshLines {
  /** Every byte received, as it came. */
  readonly received: Buffer[] = [];
  exitCode: number | undefined;
  private readonly inbox = new LineInbox('the channel to close');

  private constructor(
    readonly client: ssh2.Client,
    readonly channel: ssh2.ClientChannel,
  ) {
    channel.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      this.inbox.receive(chunk);
    });
    channel.on('exit', (code: number | null) => (this.exitCode = code ?? undefined));
    channel.on('close', () => this.inbox.close());
  }

  get lines(): string[] {
    return this.inbox.lines;
  }

  get closed(): boolean {
    return this.inbox.closed;
  }

  /** The addr the server shows for this client: its side of the TCP connection. */
  get addr(): string {
    return addrOf(this.client);
  }

  /** Opens a shell, or runs `command` when one is given. */
  static async open(port: number, login: SshLogin, command?: string): Promise<SshLines> {
    const client = await sshConnect(port, login);
    // Made in the callback itself: the exit status may come in the same read as the channel.
    return new Promise<SshLines>((resolve, reject) => {
      const opened = (error: Error | undefined, stream: ssh2.ClientChannel) =>
        error ? reject(error) : resolve(new SshLines(client, stream));
      if (command === undefined) client.shell(false, opened);
      else client.exec(command, opened);
    });
  }

  /** Opens a shell and waits for its own `已上线` line, whatever name it got. */
  static async join(port: number, login: SshLogin): Promise<SshLines> {
    const lines = await SshLines.open(port, login);
    await lines.waitForLine((line) => line.startsWith(`[${lines.addr}]`) && line.endsWith(':已上线'));
    return lines;
  }

  send(text: string): void {
    this.channel.write(text);
  }

  waitForLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    return this.inbox.waitForLine(match, timeoutMs);
  }

  waitForClose(timeoutMs = 5000): Promise<void> {
    return this.inbox.waitForClose(timeoutMs);
  }
}

/** A new ed25519 key pair for a test user: the private key for ssh2, the public one in authorized_keys form. */
export function userKey(comment = 'test'): { privateKey: string; publicKey: string } {
  const { private: privateKey, public: publicKey } = generateEd25519(comment);
  return { privateKey, publicKey };
}

/** A shell with a pty, its screen kept by a headless xterm the way the user's terminal would show it. */
export class SshScreen {
  readonly raw: Buffer[] = [];
  exitCode: number | undefined;
  closed = false;
  private readonly term: xterm.Terminal;

  private constructor(
    readonly client: ssh2.Client,
    readonly channel: ssh2.ClientChannel,
    columns: number,
    rows: number,
  ) {
    this.term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 0 });
    channel.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      this.term.write(chunk);
    });
    channel.on('exit', (code: number | null) => (this.exitCode = code ?? undefined));
    channel.on('close', () => (this.closed = true));
  }

  get addr(): string {
    return addrOf(this.client);
  }

  static async open(
    port: number,
    login: SshLogin,
    { columns = 100, rows = 30, term = 'xterm-256color', env = {} as Record<string, string> } = {},
  ): Promise<SshScreen> {
    const client = await sshConnect(port, login);
    return new Promise<SshScreen>((resolve, reject) => {
      client.shell({ term, cols: columns, rows, width: 0, height: 0 }, { env }, (error, stream) =>
        error ? reject(error) : resolve(new SshScreen(client, stream, columns, rows)),
      );
    });
  }

  /** The screen as text, one line a row, once xterm has taken in everything received. */
  async screen(): Promise<string[]> {
    await new Promise<void>((resolve) => this.term.write('', resolve));
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.term.rows; row++) {
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return lines;
  }

  /** Waits for the screen to hold `match` (or pass it, for a function of its lines). */
  async waitFor(match: string | RegExp | ((lines: string[]) => boolean), timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = await this.screen();
      const text = lines.join('\n');
      if (
        typeof match === 'function' ? match(lines) : typeof match === 'string' ? text.includes(match) : match.test(text)
      ) {
        return lines;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; the screen was:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  waitForClose(timeoutMs = 5000): Promise<void> {
    return until(() => this.closed, { timeoutMs, everyMs: 20, what: 'the channel to close' });
  }

  type(keys: string): void {
    this.channel.write(keys);
  }

  /** The client's terminal changes size: its screen, and what it tells the server. */
  resize(columns: number, rows: number): void {
    this.term.resize(columns, rows);
    this.channel.setWindow(rows, columns, 0, 0);
  }
}
