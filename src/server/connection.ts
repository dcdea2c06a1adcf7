import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import {
  LineSplitter,
  isPresenceWord,
  isValidName,
  parseCommand,
  replies,
  stripControlCharacters,
  type Framed,
} from '../protocol/index.js';
import type { BroadcastRound } from './broadcast-round.js';
import type { Fanout } from './fanout.js';
import type { FlushScheduler } from './flush-scheduler.js';
import type { ChatServerOptions } from './options.js';
import type { Member, Room } from './registry.js';
import { TokenBucket } from './token-bucket.js';

export type CloseReason = 'quit' | 'idle' | 'slow' | 'error' | 'shutdown';

/** A closing connection whose peer does not take its last bytes is cut off after this. */
const CLOSE_GRACE_MS = 5000;

type Limits = Pick<ChatServerOptions, 'idleTimeoutMs' | 'maxLineBytes' | 'maxQueueBytes' | 'rate' | 'burst'>;

/**
 * One client from connect to close: frames its bytes into lines, carries out its commands, keeps its idle
 * timer and rate limit, and holds its bounded output queue.
 */
export class Connection implements Member {
  name: string;
  private readonly splitter: LineSplitter;
  private readonly bucket: TokenBucket;
  private readonly inbox: Framed[] = [];
  private inboxHead = 0;
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;
  private closeReason: CloseReason | undefined;
  private socketFailed = false;

  constructor(
    readonly addr: string,
    private readonly socket: Socket,
    private readonly room: Room,
    private readonly fanout: Fanout,
    private readonly flusher: FlushScheduler,
    private readonly limits: Limits,
    private readonly log: Logger,
    private readonly onClosed: (connection: Connection, reason: CloseReason) => void,
  ) {
    this.name = addr;
    this.splitter = new LineSplitter(limits.maxLineBytes);
    this.bucket = new TokenBucket(limits.rate, limits.burst);
    if (limits.idleTimeoutMs > 0) this.idleTimer = setTimeout(() => this.kickIdle(), limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.receiveEnd());
    socket.on('error', (error) => {
      this.log.debug({ event: 'socket-error', addr, err: error.message });
      this.socketFailed = true;
    });
    socket.on('close', () => this.closed());
  }

  get open(): boolean {
    return this.closeReason === undefined;
  }

  /** Welcomes the member into the room: every member, the newcomer included, sees it come online. */
  enter(): void {
    this.room.add(this);
    this.room.broadcast(replies.joined(this.addr, this.name));
  }

  /** Bytes accepted for this client that the kernel has not taken yet. */
  get queuedBytes(): number {
    return this.socket.writableLength + this.outboxBytes + (this.open ? this.fanout.unsentBytes(this) : 0);
  }

  /** Queues a line for this client alone, after the broadcast lines it is owed, so the order holds. */
  deliver(bytes: Buffer): void {
    if (!this.open) return;
    this.takeUnsentBroadcasts();
    this.queue(bytes);
    this.flusher.mark(this);
  }

  /**
   * Writes the queue and, from `round`, the broadcast lines this client is owed, as one buffer in one write.
   * A client that has not taken what earlier writes left it (more than maxQueueBytes still unsent) is too
   * slow to keep, and is dropped instead. The new bytes do not count against it: a busy round can be large
   * without any reader being behind.
   */
  flush(round?: BroadcastRound): void {
    const shared = round && this.open ? round.take(this) : undefined;
    if ((this.outbox.length > 0 || shared) && !this.socket.destroyed) {
      const bytes = this.outbox.length === 0 ? shared! : Buffer.concat(shared ? [...this.outbox, shared] : this.outbox);
      this.outbox = [];
      this.outboxBytes = 0;
      if (this.open && this.socket.writableLength > this.limits.maxQueueBytes) {
        this.log.warn({ event: 'drop', addr: this.addr, name: this.name, queuedBytes: this.socket.writableLength });
        this.close('slow', undefined);
        return;
      }
      this.socket.write(bytes);
    }
    if (this.open && this.socket.isPaused() && this.resumeTimer === undefined) this.socket.resume();
  }

  /**
   * Leaves the room (others see it go offline, except at shutdown) and closes the socket, after sending
   * `farewell` if one is given. A slow reader is cut off at once: it would not read a farewell.
   */
  close(reason: CloseReason, farewell: string | undefined): void {
    if (!this.open) return;
    this.closeReason = reason;
    clearTimeout(this.idleTimer);
    clearTimeout(this.resumeTimer);
    this.takeUnsentBroadcasts();
    this.room.remove(this);
    if (reason !== 'shutdown') this.room.broadcast(replies.left(this.addr, this.name));
    if (reason === 'slow') {
      this.socket.destroy();
      return;
    }
    if (this.socket.destroyed) return;
    this.flush();
    if (farewell === undefined) this.socket.end();
    else this.socket.end(farewell);
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Ends a connection that does not finish closing on its own (a peer that never reads its farewell). */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    // One chunk per connection per event-loop turn: reading resumes in flush(), once the lines this chunk
    // produced are written out. A fast sender cannot outrun the fan-out and swamp healthy readers' queues.
    this.socket.pause();
    for (const framed of this.splitter.push(chunk)) this.inbox.push(framed);
    this.processInbox();
  }

  private receiveEnd(): void {
    for (const framed of this.splitter.end()) this.inbox.push(framed);
    this.processInbox();
  }

  /** Handles queued lines while the rate limit allows; otherwise stops reading until it does. */
  private processInbox(): void {
    while (this.open && this.inboxHead < this.inbox.length) {
      if (!this.bucket.tryTake()) {
        this.socket.pause();
        this.resumeTimer ??= setTimeout(() => {
          this.resumeTimer = undefined;
          this.processInbox();
        }, this.bucket.msUntilNextToken());
        return;
      }
      const framed = this.inbox[this.inboxHead]!;
      this.inboxHead += 1;
      this.handle(framed);
    }
    this.inbox.length = 0;
    this.inboxHead = 0;
    if (!this.open) return;
    if (this.socket.readableEnded) this.close('quit', undefined);
    else this.flusher.mark(this);
  }

  private handle(framed: Framed): void {
    this.idleTimer?.refresh();
    if (framed.kind === 'overlong') {
      this.reply(replies.lineTooLong(this.limits.maxLineBytes));
      return;
    }
    const command = parseCommand(stripControlCharacters(framed.text));
    switch (command.kind) {
      case 'empty':
        return;
      case 'who':
        return this.reply(
          Array.from(this.room.members(), (member) => replies.listed(member.addr, member.name)).join(''),
        );
      case 'rename':
        return this.rename(command.name);
      case 'private':
        return this.sendPrivate(command.target, command.content);
      case 'public':
        if (isPresenceWord(command.text)) return this.reply(replies.reserved());
        return this.room.broadcast(replies.public(this.addr, this.name, command.text));
    }
  }

  private rename(newName: string): void {
    if (!isValidName(newName)) return this.reply(replies.invalidName());
    const oldName = this.name;
    if (!this.room.rename(this, newName)) return this.reply(replies.nameInUse());
    this.log.info({ event: 'rename', addr: this.addr, from: oldName, to: newName });
    this.reply(replies.renamed(newName));
  }

  private sendPrivate(target: string, content: string): void {
    if (target === '') return this.reply(replies.badPrivateFormat());
    const recipient = this.room.findByName(target);
    if (!recipient) return this.reply(replies.noSuchUser());
    if (content === '') return this.reply(replies.emptyPrivate());
    recipient.deliver(Buffer.from(replies.private(this.name, content)));
  }

  private reply(line: string): void {
    this.deliver(Buffer.from(line));
  }

  private takeUnsentBroadcasts(): void {
    for (const line of this.fanout.takeUnsent(this)) this.queue(line);
  }

  private queue(bytes: Buffer): void {
    this.outbox.push(bytes);
    this.outboxBytes += bytes.length;
  }

  private kickIdle(): void {
    this.log.info({ event: 'kick', addr: this.addr, name: this.name, idleMs: this.limits.idleTimeoutMs });
    this.close('idle', replies.idleKick());
  }

  private closed(): void {
    this.close(this.socketFailed ? 'error' : 'quit', undefined);
    this.onClosed(this, this.closeReason!);
  }
}
