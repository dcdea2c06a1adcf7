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
const ANSWER_WAIT_MS = 250;
const CONNECT_TIMEOUT_MS = 10_000;

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
  private outbox: Array<{ command: string; answered: boolean }> = [];
  private writing = false;
  /** Called when the server sends anything: the sign that it has read the command we sent last. */
  private onAnswer: (() => void) | undefined;
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
  private firstLine = false;
  private ownAddrExact = false;
  private lastError: string | undefined;

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
    return this.send(clientCommands.public(clean(text)), true);
  }

  sendPrivate(name: string, text: string): boolean {
    const content = clean(text);
    if (!this.send(clientCommands.private(name, content), false)) return false;
    this.emit({ type: 'privateSent', to: name, text: content });
    return true;
  }

  rename(name: string): boolean {
    return this.send(clientCommands.rename(name), true);
  }

  who(): boolean {
    if (!this.send(clientCommands.who(), true)) return false;
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
    // A host that drops our packets would leave us "connecting" for minutes.
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
      const error: NodeJS.ErrnoException = new Error('timed out');
      error.code = 'ETIMEDOUT';
      socket.destroy(error);
    });
    this.splitter = new LineSplitter(this.options.maxLineBytes ?? 1 << 20);
    let opened = false;

    socket.once('connect', () => {
      opened = true;
      this.everConnected = true;
      socket.setTimeout(0);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      this.localAddr = formatAddr(socket.localAddress ?? '', socket.localPort ?? 0);
      this.ownAddr = undefined;
      this.ownAddrExact = false;
      this.firstLine = true;
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

  private closed(socket: Socket, opened: boolean): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.localAddr = undefined;
    this.outbox = [];
    this.writing = false;
    this.onAnswer = undefined;
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
    if (framed.length > 0) this.onAnswer?.();
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
        // Our socket's own address, as Go writes it, is us. Behind a tunnel or NAT the server sees another
        // address; then the first line of the connection, our own `joined`, is the best guess until then.
        if (event.addr === this.localAddr ? !this.ownAddrExact : this.firstLine) {
          // In the room: the backoff starts over. (A server that is full closes before this.)
          this.attempt = 0;
          this.ownAddr = event.addr;
          this.ownAddrExact = event.addr === this.localAddr;
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
    this.firstLine = false;
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

  /** `answered`: the server answers this command (an echo, a reply, a list), so we can wait for that. */
  private send(command: string, answered: boolean): boolean {
    if (!this.connected) return false;
    this.outbox.push({ command, answered });
    this.flush();
    return true;
  }

  /**
   * One command per write, and the next only after a pause: at least the write gap, and for a command the
   * server answers, until the answer starts (or ANSWER_WAIT_MS). A busy article server has then read the
   * command on its own before the next one arrives.
   */
  private flush(): void {
    const socket = this.socket;
    if (this.writing || !socket) return;
    const next = this.outbox.shift();
    if (next === undefined) return;
    this.writing = true;
    const sentAt = Date.now();
    let answered = !next.answered;
    this.onAnswer = () => {
      answered = true;
    };
    socket.write(next.command, () => {
      const gap = this.options.writeGapMs ?? 15;
      const poll = () => {
        const waited = Date.now() - sentAt;
        if (waited >= gap && (answered || waited >= ANSWER_WAIT_MS)) {
          this.onAnswer = undefined;
          this.writing = false;
          this.flush();
          return;
        }
        this.gapTimer = setTimeout(poll, Math.max(1, Math.min(gap, 5)));
      };
      this.gapTimer = setTimeout(poll, gap);
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
