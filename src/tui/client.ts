import type { Duplex } from 'node:stream';
import {
  LineSplitter,
  MAX_COMMAND_BYTES,
  clientCommands,
  isCommandLike,
  parseServerLine,
  splitText,
  stripControlCharacters,
  type ServerEvent,
} from '../protocol/index.js';
import { nextFreeName } from './names.js';
import { ConnectError, tcpTransport, type Link, type Transport } from './transport.js';

export { ConnectError, describeConnectError } from './transport.js';

export type ClientEvent =
  | { type: 'connecting'; attempt: number }
  | { type: 'connected'; localAddr: string }
  /** Our own addr, as the server wrote it in our `joined` line. Sent just before that line's event. */
  | { type: 'self'; addr: string }
  | { type: 'server'; event: ServerEvent }
  /** `retryInMs` is absent when we wait for the user: after an idle kick, or after `close()`. */
  | { type: 'disconnected'; reason: string; kicked: boolean; retryInMs?: number }
  | { type: 'whoSent' }
  /**
   * The server does not echo private messages, so the client does, once the command is on the wire; the
   * message is pending until `privateResult` says whether the server took it (or refused: no such user).
   */
  | { type: 'privateSent'; to: string; text: string; id: number }
  | { type: 'privateResult'; id: number; delivered: boolean }
  /**
   * The peer does not speak the chat protocol (an HTTP server, say): its first line was nothing a chat
   * server sends. The connection is closed and not retried until `reconnectNow()`.
   */
  | { type: 'notChatServer' }
  /** The name we asked for is taken; we ask for `next` instead. */
  | { type: 'nameTaken'; name: string; next: string }
  /** Messages (public or private) still waiting to go out when the connection closed: they were not sent. */
  | { type: 'unsent'; count: number };

export type ClientListener = (event: ClientEvent) => void;

/** Where to connect: a TCP server, or any transport (an in-process stream, for one). */
export type ChatClientTarget = { host: string; port: number } | { transport: Transport };

export type ChatClientOptions = ChatClientTarget & {
  /** Asked for right after every connect, and kept across reconnects once the server confirms it. */
  name?: string;
  /**
   * When `name` is taken, ask for `name-2`, `name-3`… instead of staying an addr: for a name the user did
   * not choose (the login name).
   */
  nextFreeName?: boolean;
  /**
   * Waits between reconnects: `initialMs`, doubling up to `maxMs`, each shortened by a random part of up
   * to half so that clients dropped together do not come back together. The waits start over only once a
   * connection has stayed up for `resetAfterMs`: a server that takes us in and drops us at once is not
   * hammered.
   */
  backoff?: { initialMs: number; maxMs: number; resetAfterMs?: number };
  /** A number in [0, 1): how much of the jitter to take. `Math.random` by default; tests pin it. */
  random?: () => number;
  /**
   * Pause between two commands. The article's server reads 4096-byte chunks with no framing, so two
   * commands that arrive in one read become one garbled command; a short gap keeps them apart.
   */
  writeGapMs?: number;
  /** Longest server line we hold in memory; longer ones are dropped. */
  maxLineBytes?: number;
  /** Reads one line from the server: parseServerLine, unless clients of one process share their events. */
  parse?: (line: string) => ServerEvent;
};

const WHO_REASK_QUIET_MS = 1_000;
const MAX_FREE_NAME_ATTEMPTS = 20;
const MAX_BACKLOG = 10_000;
const ANSWER_WAIT_MS = 250;
const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 5_000, resetAfterMs: 10_000 };

type Queued = {
  command: string;
  answered: boolean;
  /** Emitted once the command is written. */
  sent?: ClientEvent;
  /** Which of the user's messages this piece belongs to (a long one goes out in several commands). */
  message?: number;
  /** A private command: the server answers only when it refuses one, so silence for a while is a yes. */
  privateId?: number;
};

/**
 * The connection, seen as typed events. Speaks exactly as the article's client does (one command per
 * write), finds its own addr, re-asks `who` when its picture of the room is stale, and, over a transport
 * that can, reconnects with backoff after a dropped connection, restoring the chosen name. After an idle
 * kick it waits for `reconnectNow()`.
 */
export class ChatClient {
  private readonly transport: Transport;
  private socket: Duplex | undefined;
  /** A connection is being opened. */
  private opening = false;
  private splitter = new LineSplitter();
  private readonly listeners = new Set<ClientListener>();
  private backlog: ClientEvent[] = [];
  private outbox: Queued[] = [];
  /** The command handed to the socket whose write has not completed yet. */
  private inFlight: Queued | undefined;
  private writing = false;
  private messages = 0;
  private privateIds = 0;
  /** Set when the server refused the private command last written (no such user). */
  private privateRefused = false;
  /** Called when the server sends anything: the sign that it has read the command we sent last. */
  private onAnswer: (() => void) | undefined;
  private attempt = 0;
  private connectedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private everConnected = false;
  private closedByUser = false;
  private kicked = false;
  private localAddr: string | undefined;
  private ownAddr: string | undefined;
  private confirmedName: string | undefined;
  private lastAutoWho = 0;
  /** The name of our last rename command, and how many `-N` names we have tried for the automatic one. */
  private askedName: string | undefined;
  private freeNameAttempts = 0;
  private firstLine = false;
  /** This connection's peer has sent a line a chat server sends. */
  private spoken = false;
  private notChat = false;
  private ownAddrExact = false;
  private lastError: string | undefined;

  constructor(private readonly options: ChatClientOptions) {
    this.transport = 'transport' in options ? options.transport : tcpTransport(options.host, options.port);
  }

  /** Where we connect to, for the screen. */
  get server(): string {
    return this.transport.label;
  }

  /** Our addr as the server sees it, once its `joined` line told us. */
  get selfAddr(): string | undefined {
    return this.ownAddr;
  }

  get connected(): boolean {
    return this.socket !== undefined;
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

  /** A long text goes out as several messages, each within MAX_COMMAND_BYTES. */
  sendPublic(text: string): boolean {
    if (!this.connected) return false;
    const budget = MAX_COMMAND_BYTES - Buffer.byteLength(clientCommands.public(''));
    const pieces = splitText(stripControlCharacters(text), budget, isCommandLike);
    if (pieces === undefined) return false;
    const message = this.messages++;
    for (const piece of pieces) this.send(clientCommands.public(piece), true, { message });
    return true;
  }

  /**
   * A long text goes out as several private messages, each within MAX_COMMAND_BYTES and each echoed.
   * Control characters go first: a line end inside would end the command and send the rest in public.
   */
  sendPrivate(name: string, text: string): boolean {
    if (!this.connected) return false;
    const budget = MAX_COMMAND_BYTES - Buffer.byteLength(clientCommands.private(name, ''));
    const pieces = splitText(stripControlCharacters(text), budget);
    if (pieces === undefined) return false;
    const message = this.messages++;
    for (const piece of pieces) {
      const privateId = this.privateIds++;
      this.send(clientCommands.private(name, piece), false, {
        message,
        privateId,
        sent: { type: 'privateSent', to: name, text: piece, id: privateId },
      });
    }
    return true;
  }

  rename(name: string): boolean {
    this.askedName = name;
    return this.send(clientCommands.rename(name), true);
  }

  who(): boolean {
    if (!this.send(clientCommands.who(), true)) return false;
    this.emit({ type: 'whoSent' });
    return true;
  }

  /**
   * `who`, when the picture of the room has gone stale (a private message from a name we do not know), at
   * most once a second however often it is asked for.
   */
  refreshWho(): boolean {
    const now = Date.now();
    if (!this.connected || now - this.lastAutoWho < WHO_REASK_QUIET_MS) return false;
    this.lastAutoWho = now;
    return this.who();
  }

  /** After an idle kick (or while waiting out a backoff): connect again now. */
  reconnectNow(): void {
    if (this.closedByUser || this.socket || this.opening) return;
    if (!this.transport.reconnects && this.everConnected) return;
    clearTimeout(this.retryTimer);
    this.kicked = false;
    this.notChat = false;
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
    this.emit({ type: 'connecting', attempt: this.attempt });
    this.opening = true;
    this.transport.open().then(
      (link) => {
        this.opening = false;
        if (this.closedByUser) {
          link.stream.destroy();
          firstResult?.(new ConnectError('closed before the connection opened', undefined));
          return;
        }
        this.attach(link);
        firstResult?.();
      },
      (error: unknown) => {
        this.opening = false;
        const failure = error instanceof ConnectError ? error : new ConnectError(String(error), undefined);
        if (firstResult && !this.everConnected) return firstResult(failure);
        this.lastError = failure.code ?? failure.message;
        this.closed(undefined, false);
      },
    );
  }

  private attach({ stream, localAddr }: Link): void {
    this.socket = stream;
    this.splitter = new LineSplitter(this.options.maxLineBytes ?? 1 << 20);
    this.everConnected = true;
    this.connectedAt = Date.now();
    this.localAddr = localAddr;
    this.ownAddr = undefined;
    this.ownAddrExact = false;
    this.firstLine = true;
    this.spoken = false;
    stream.on('data', (chunk: Buffer) => this.receive(this.splitter.push(chunk)));
    stream.once('end', () => {
      this.receive(this.splitter.end());
      // An in-process stream may stay half open; the chat is over once the server has said all it will.
      stream.destroy();
    });
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.lastError = error.code ?? error.message;
    });
    stream.once('close', () => this.closed(stream, true));
    this.emit({ type: 'connected', localAddr: localAddr ?? this.transport.label });
    const name = this.confirmedName ?? this.options.name;
    if (name) this.rename(name);
    this.who();
  }

  private closed(socket: Duplex | undefined, opened: boolean): void {
    if (this.socket !== socket) return;
    const unsent = new Set(
      [this.inFlight, ...this.outbox].flatMap((queued) => (queued?.message === undefined ? [] : [queued.message])),
    ).size;
    this.socket = undefined;
    this.localAddr = undefined;
    this.outbox = [];
    this.inFlight = undefined;
    this.writing = false;
    this.onAnswer = undefined;
    clearTimeout(this.gapTimer);
    if (this.closedByUser || !this.everConnected) return;
    if (this.notChat) return;
    const reason = this.kicked ? 'idle' : opened ? 'closed' : (this.lastError ?? 'error');
    this.lastError = undefined;
    if (this.kicked || !this.transport.reconnects) {
      this.emit({ type: 'disconnected', reason, kicked: this.kicked });
      if (unsent > 0) this.emit({ type: 'unsent', count: unsent });
      return;
    }
    const backoff = { ...DEFAULT_BACKOFF, ...this.options.backoff };
    // Only a connection that lasted starts the waits over; one dropped right after joining does not.
    if (opened && Date.now() - this.connectedAt >= backoff.resetAfterMs) this.attempt = 0;
    const nominal = Math.min(backoff.maxMs, backoff.initialMs * 2 ** this.attempt);
    // "Equal jitter": between half the wait and all of it, so the waits still grow from one try to the next.
    const retryInMs = Math.ceil(nominal * (1 - (this.options.random ?? Math.random)() / 2));
    this.attempt += 1;
    this.emit({ type: 'disconnected', reason, kicked: false, retryInMs });
    if (unsent > 0) this.emit({ type: 'unsent', count: unsent });
    this.retryTimer = setTimeout(() => this.open(), retryInMs);
  }

  private receive(framed: ReturnType<LineSplitter['push']>): void {
    if (framed.length > 0) this.onAnswer?.();
    for (const piece of framed) {
      if (this.notChat) return;
      if (piece.kind !== 'line') continue;
      const line = stripControlCharacters(piece.text);
      if (line === '') continue;
      const event = (this.options.parse ?? parseServerLine)(line);
      // Both servers open with our own `joined` line (or say they are full): a peer whose first line is
      // none of theirs is something else, and what it says is not chat.
      if (!this.spoken && event.type === 'notice') return this.refusePeer();
      this.spoken = true;
      this.handle(event);
    }
  }

  private tryNextFreeName(): boolean {
    const base = this.options.name;
    if (!this.options.nextFreeName || base === undefined || this.confirmedName !== undefined) return false;
    if (this.freeNameAttempts >= MAX_FREE_NAME_ATTEMPTS) return false;
    const taken = this.askedName ?? base;
    const next = nextFreeName(base, this.freeNameAttempts + 2);
    this.freeNameAttempts += 1;
    this.emit({ type: 'nameTaken', name: taken, next });
    this.rename(next);
    return true;
  }

  private refusePeer(): void {
    this.notChat = true;
    this.emit({ type: 'notChatServer' });
    this.socket?.destroy();
  }

  private handle(event: ServerEvent): void {
    switch (event.type) {
      case 'joined':
        // Our socket's own address, as Go writes it, is us. Behind a tunnel or NAT the server sees another
        // address; then the first line of the connection, our own `joined`, is the best guess until then.
        if (event.addr === this.localAddr ? !this.ownAddrExact : this.firstLine) {
          this.ownAddr = event.addr;
          this.ownAddrExact = event.addr === this.localAddr;
          this.emit({ type: 'self', addr: event.addr });
        }
        break;
      case 'renamed':
        this.confirmedName = event.name;
        break;
      case 'nameInUse':
        if (this.tryNextFreeName()) return;
        break;
      case 'idleKick':
        this.kicked = true;
        break;
      case 'noSuchUser':
        this.privateRefused = true;
        break;
    }
    this.firstLine = false;
    this.emit({ type: 'server', event });
  }

  /** `answered`: the server answers this command (an echo, a reply, a list), so we can wait for that. */
  private send(
    command: string,
    answered: boolean,
    extra: Pick<Queued, 'sent' | 'message' | 'privateId'> = {},
  ): boolean {
    if (!this.connected) return false;
    this.outbox.push({ command, answered, ...extra });
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
    this.inFlight = next;
    const sentAt = Date.now();
    let answered = !next.answered;
    this.onAnswer = () => {
      answered = true;
    };
    const privateId = next.privateId;
    this.privateRefused = false;
    socket.write(next.command, (error) => {
      // A failed write is reported with the rest of the outbox when the socket closes.
      if (error || this.socket !== socket) return;
      this.inFlight = undefined;
      if (next.sent) this.emit(next.sent);
      const gap = this.options.writeGapMs ?? 15;
      const poll = () => {
        const waited = Date.now() - sentAt;
        // A private command is answered only by a refusal: wait for one, or for the time it would take.
        const decided = privateId === undefined ? answered : this.privateRefused || waited >= ANSWER_WAIT_MS;
        if (waited >= gap && (decided || waited >= ANSWER_WAIT_MS)) {
          this.onAnswer = undefined;
          this.writing = false;
          if (privateId !== undefined) {
            this.emit({ type: 'privateResult', id: privateId, delivered: !this.privateRefused });
          }
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
