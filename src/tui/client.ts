import { Socket, connect as netConnect } from 'node:net';
import {
  LineSplitter,
  clientCommands,
  formatAddr,
  parseServerLine,
  stripControlCharacters,
  type ServerEvent,
} from '../protocol/index.js';

export type ClientEvent =
  | { type: 'connecting'; attempt: number }
  | { type: 'connected'; localAddr: string }
  /** Our own addr, as the server wrote it in our `joined` line. Sent just before that line's event. */
  | { type: 'self'; addr: string }
  | { type: 'server'; event: ServerEvent }
  /** `retryInMs` is absent when we wait for the user: after an idle kick, or after `close()`. */
  | { type: 'disconnected'; reason: string; kicked: boolean; retryInMs?: number }
  | { type: 'whoSent' }
  /** The server does not echo private messages, so the client does. */
  | { type: 'privateSent'; to: string; text: string };

export type ClientListener = (event: ClientEvent) => void;

export interface ChatClientOptions {
  host: string;
  port: number;
  /** Asked for right after every connect, and kept across reconnects once the server confirms it. */
  name?: string;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Pause between two commands. The article's server reads 4096-byte chunks with no framing, so two
   * commands that arrive in one read become one garbled command; a short gap keeps them apart.
   */
  writeGapMs?: number;
  /** Longest server line we hold in memory; longer ones are dropped. */
  maxLineBytes?: number;
}

/** Why the first connection failed, in words fit for one line on the terminal. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

const WHO_REASK_QUIET_MS = 1_000;
const MAX_BACKLOG = 10_000;

/**
 * The socket, seen as typed events. Speaks exactly as the article's client does (one command per write),
 * finds its own addr, re-asks `who` when its picture of the room is stale, and reconnects with backoff
 * after a dropped connection, restoring the chosen name. After an idle kick it waits for `reconnectNow()`.
 */
export class ChatClient {
  private socket: Socket | undefined;
  private splitter = new LineSplitter();
  private readonly listeners = new Set<ClientListener>();
  private backlog: ClientEvent[] = [];
  private outbox: string[] = [];
  private writing = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private everConnected = false;
  private closedByUser = false;
  private kicked = false;
  private localAddr: string | undefined;
  private ownAddr: string | undefined;
  private confirmedName: string | undefined;
  private readonly knownNames = new Set<string>();
  private lastAutoWho = 0;

  constructor(private readonly options: ChatClientOptions) {}

  get server(): string {
    return formatAddr(this.options.host, this.options.port);
  }

  /** Our addr as the server sees it, once its `joined` line told us. */
  get selfAddr(): string | undefined {
    return this.ownAddr;
  }

  get connected(): boolean {
    return this.socket !== undefined && this.localAddr !== undefined;
  }

  /** Events emitted before anyone listened are delivered on the first subscription. */
  subscribe(listener: ClientListener): () => void {
    this.listeners.add(listener);
    const backlog = this.backlog;
    this.backlog = [];
    for (const event of backlog) listener(event);
    return () => this.listeners.delete(listener);
  }

  /** The first connection. Rejects with a ConnectError; later drops reconnect on their own. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.open((error) => (error ? reject(error) : resolve()));
    });
  }

  sendPublic(text: string): boolean {
    return this.send(clientCommands.public(clean(text)));
  }

  sendPrivate(name: string, text: string): boolean {
    const content = clean(text);
    if (!this.send(clientCommands.private(name, content))) return false;
    this.emit({ type: 'privateSent', to: name, text: content });
    return true;
  }

  rename(name: string): boolean {
    return this.send(clientCommands.rename(name));
  }

  who(): boolean {
    if (!this.send(clientCommands.who())) return false;
    this.emit({ type: 'whoSent' });
    return true;
  }

  /** After an idle kick (or while waiting out a backoff): connect again now. */
  reconnectNow(): void {
    if (this.closedByUser || this.socket) return;
    clearTimeout(this.retryTimer);
    this.kicked = false;
    this.attempt = 0;
    this.open();
  }

  close(): void {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(firstResult?: (error?: ConnectError) => void): void {
    const { host, port } = this.options;
    this.emit({ type: 'connecting', attempt: this.attempt });
    const socket = netConnect({ host, port });
    this.socket = socket;
    this.splitter = new LineSplitter(this.options.maxLineBytes ?? 1 << 20);
    let opened = false;

    socket.once('connect', () => {
      opened = true;
      this.everConnected = true;
      this.attempt = 0;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      this.localAddr = formatAddr(socket.localAddress ?? '', socket.localPort ?? 0);
      this.ownAddr = undefined;
      this.knownNames.clear();
      this.emit({ type: 'connected', localAddr: this.localAddr });
      const name = this.confirmedName ?? this.options.name;
      if (name) this.rename(name);
      this.who();
      firstResult?.();
    });
    socket.on('data', (chunk: Buffer) => this.receive(this.splitter.push(chunk)));
    socket.once('end', () => this.receive(this.splitter.end()));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!opened && firstResult && !this.everConnected) firstResult(describeConnectError(error, host, port));
      this.lastError = error.code ?? error.message;
    });
    socket.once('close', () => this.closed(socket, opened));
  }

  private lastError: string | undefined;

  private closed(socket: Socket, opened: boolean): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.localAddr = undefined;
    this.outbox = [];
    this.writing = false;
    clearTimeout(this.gapTimer);
    if (this.closedByUser || !this.everConnected) return;
    const reason = this.kicked ? 'idle' : opened ? 'closed' : (this.lastError ?? 'error');
    this.lastError = undefined;
    if (this.kicked) {
      this.emit({ type: 'disconnected', reason, kicked: true });
      return;
    }
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 5_000 };
    const retryInMs = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.emit({ type: 'disconnected', reason, kicked: false, retryInMs });
    this.retryTimer = setTimeout(() => this.open(), retryInMs);
  }

  private receive(framed: ReturnType<LineSplitter['push']>): void {
    for (const piece of framed) {
      if (piece.kind !== 'line') continue;
      const line = stripControlCharacters(piece.text);
      if (line === '') continue;
      this.handle(parseServerLine(line));
    }
  }

  private handle(event: ServerEvent): void {
    switch (event.type) {
      case 'joined':
        if (this.ownAddr === undefined && event.addr === this.localAddr) {
          this.ownAddr = event.addr;
          this.emit({ type: 'self', addr: event.addr });
        }
        this.knownNames.add(event.name);
        break;
      case 'listed':
      case 'public':
        this.knownNames.add(event.name);
        break;
      case 'renamed':
        this.confirmedName = event.name;
        break;
      case 'idleKick':
        this.kicked = true;
        break;
    }
    this.emit({ type: 'server', event });
    const stale = event.type === 'noSuchUser' || (event.type === 'private' && !this.knownNames.has(event.from));
    if (stale) this.reaskWho();
  }

  private reaskWho(): void {
    const now = Date.now();
    if (now - this.lastAutoWho < WHO_REASK_QUIET_MS) return;
    this.lastAutoWho = now;
    this.who();
  }

  private send(command: string): boolean {
    if (!this.connected) return false;
    this.outbox.push(command);
    this.flush();
    return true;
  }

  private flush(): void {
    const socket = this.socket;
    if (this.writing || !socket) return;
    const command = this.outbox.shift();
    if (command === undefined) return;
    this.writing = true;
    socket.write(command, () => {
      this.gapTimer = setTimeout(() => {
        this.writing = false;
        this.flush();
      }, this.options.writeGapMs ?? 15);
    });
  }

  private emit(event: ClientEvent): void {
    if (this.listeners.size === 0) {
      if (this.backlog.length < MAX_BACKLOG) this.backlog.push(event);
      return;
    }
    for (const listener of this.listeners) listener(event);
  }
}

/** Line ends would split one command into several, and a private text could leak into public chat. */
function clean(text: string): string {
  return stripControlCharacters(text);
}

export function describeConnectError(error: NodeJS.ErrnoException, host: string, port: number): ConnectError {
  const where = formatAddr(host, port);
  switch (error.code) {
    case 'ECONNREFUSED':
      return new ConnectError(
        `cannot connect to ${where}: connection refused. Start a server there with \`chat-server --ip ${host} --port ${port}\`, or run \`chat-tui --serve\` to start one in this window.`,
        error.code,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectError(`cannot connect to ${where}: unknown host "${host}".`, error.code);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectError(`cannot connect to ${where}: the host cannot be reached (${error.code}).`, error.code);
    default:
      return new ConnectError(`cannot connect to ${where}: ${error.message}`, error.code);
  }
}
