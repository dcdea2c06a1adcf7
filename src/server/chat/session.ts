import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { LineSplitter, type Framed, isValidName, replies } from '../../protocol/index.js';
import type { BroadcastRound } from '../delivery/broadcast-round.js';
import type { Fanout } from '../delivery/fanout.js';
import type { FlushScheduler } from '../delivery/flush-scheduler.js';
import type { ChatServerOptions } from '../options.js';
import type { Member, Room } from '../room/room.js';
import { TokenBucket } from '../token-bucket.js';
import { answersNobody, carryOut, requestOf, type ChatContext, type Request } from './commands.js';

/** `replaced`: the same user came back on a new connection, which took this one's place. */
export type CloseReason = 'quit' | 'idle' | 'slow' | 'error' | 'shutdown' | 'replaced' | 'cut-off';

/** A closing session whose peer does not take its last bytes is cut off after this. */
const CLOSE_GRACE_MS = 5000;
/** Public lines of one member on their way into a shared room's order at once; the next waits for room. */
const MAX_PUBLIC_IN_FLIGHT = 32;
/** Queued lines are written as one buffer up to this size; past it, one write each (no copy) under cork. */
const CONCAT_LIMIT_BYTES = 64 * 1024;

export type SessionLimits = Pick<
  ChatServerOptions,
  'idleTimeoutMs' | 'maxLineBytes' | 'maxQueueBytes' | 'rate' | 'burst'
>;

/** What every session of one server shares. */
export interface SessionContext {
  room: Room;
  fanout: Fanout;
  flusher: FlushScheduler;
  limits: SessionLimits;
  log: Logger;
}

/**
 * One member from connect to close, over any byte stream: a TCP socket, an SSH channel, an in-process pair.
 * Frames what the member sends into lines and carries them out at the pace its rate limit allows; keeps
 * its idle timer; holds what it is owed in a bounded queue and writes it at each flush.
 *
 * Input costs what it weighs: reading stops while one chunk is being worked through, and the lines in it
 * are framed one at a time, so a member holds at most one read chunk plus one unfinished line of input,
 * however many lines the chunk holds.
 */
export class Session implements Member {
  name: string;
  private readonly splitter: LineSplitter;
  private readonly bucket: TokenBucket;
  private readonly chat: ChatContext;
  /** A request read but not yet carried out: it waits for the rate limit. */
  private held: Request | undefined;
  /** A request the room is still answering (a room shared with other processes answers later). */
  private answering: Promise<void> | undefined;
  /** Public lines a shared room has not placed in its order yet (a one-process room places them at once). */
  private readonly publicInFlight = new Set<Promise<void>>();
  private inputEnded = false;
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  /** Bytes of the outbox meant for this member alone (replies, whispers), not broadcast lines. */
  private ownBytes = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private closeReason: CloseReason | undefined;
  private streamFailed = false;

  /** `fingerprint`: of the SSH key the member signed in with, if it did. */
  constructor(
    readonly addr: string,
    private readonly stream: Duplex,
    private readonly context: SessionContext,
    private readonly onClosed: (session: Session, reason: CloseReason) => void,
    readonly fingerprint?: string,
  ) {
    const { limits } = context;
    this.name = addr;
    this.splitter = new LineSplitter(limits.maxLineBytes);
    this.bucket = new TokenBucket(limits.rate, limits.burst);
    this.chat = {
      room: context.room,
      maxLineBytes: limits.maxLineBytes,
      onRenamed: (member, from) => context.log.info({ event: 'rename', addr, from, to: member.name }),
    };
    if (limits.idleTimeoutMs > 0) this.idleTimer = setTimeout(() => this.kickIdle(), limits.idleTimeoutMs);
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('end', () => this.receiveEnd());
    stream.on('error', (error) => {
      context.log.debug({ event: 'socket-error', addr, err: error.message });
      this.streamFailed = true;
    });
    stream.on('close', () => this.closed());
  }

  get open(): boolean {
    return this.closeReason === undefined;
  }

  /**
   * Welcomes the member into the room: every member, the newcomer included, sees it come online. A member
   * that asked for a name joins under it, or under the next free `name-2`, `name-3`..., and is told why.
   */
  enter(wanted?: string): void {
    const joined = this.context.room.join(this, wanted);
    const tellWhy = () => {
      if (wanted === undefined || this.name === wanted) return;
      this.deliver(Buffer.from(isValidName(wanted) ? replies.nameInUse() : replies.invalidName()));
    };
    if (joined instanceof Promise) this.waitFor(joined.then(tellWhy));
    else tellWhy();
  }

  /** Bytes accepted for this member that the other end has not taken yet. */
  get queuedBytes(): number {
    const unsent = this.open ? this.context.fanout.unsentBytes(this) : 0;
    return this.stream.writableLength + this.outboxBytes + unsent;
  }

  /**
   * Queues a line for this member alone, after the broadcast lines it is owed, so the order holds. A member
   * still holding more than maxQueueBytes of what it was sent before is too slow to keep: it is dropped
   * rather than sent more (a `who` from a member that does not read costs one reply, not one per request).
   */
  deliver(bytes: Buffer): void {
    if (!this.open) return;
    if (this.stream.writableLength + this.ownBytes > this.context.limits.maxQueueBytes) {
      this.dropAsSlow();
      return;
    }
    this.takeUnsentBroadcasts();
    this.queue(bytes);
    this.ownBytes += bytes.length;
    this.context.flusher.mark(this);
  }

  /**
   * Writes the queue and, from `round`, the broadcast lines this member is owed. A member that has not
   * taken what earlier writes left it (more than maxQueueBytes still unsent) is dropped instead. The new
   * bytes do not count against it: a busy round can be large without any reader being behind.
   */
  flush(round?: BroadcastRound): void {
    const shared = round && this.open ? round.take(this) : undefined;
    if ((this.outbox.length > 0 || shared) && !this.stream.destroyed) {
      if (this.open && this.stream.writableLength > this.context.limits.maxQueueBytes) {
        this.dropAsSlow();
        return;
      }
      this.ownBytes = 0;
      // Most rounds bring a member the broadcast lines alone: one shared buffer, written as it is.
      if (this.outbox.length === 0 && shared) {
        this.stream.write(shared);
      } else {
        if (shared) this.queue(shared);
        const parts = this.outbox;
        const bytes = this.outboxBytes;
        this.outbox = [];
        this.outboxBytes = 0;
        this.write(parts, bytes);
      }
    }
    if (this.wantsInput && this.stream.isPaused()) this.stream.resume();
  }

  /**
   * Leaves the room (others see it go offline, except at shutdown) and closes the stream, after sending
   * `farewell` if one is given. A slow reader is cut off at once: it would not read a farewell.
   */
  close(reason: CloseReason, farewell: string | undefined): void {
    if (!this.open) return;
    this.closeReason = reason;
    clearTimeout(this.idleTimer);
    clearTimeout(this.tokenTimer);
    this.held = undefined;
    this.takeUnsentBroadcasts();
    this.context.room.leave(this, reason === 'shutdown');
    if (reason === 'slow') {
      this.stream.destroy();
      return;
    }
    if (this.stream.destroyed) return;
    this.flush();
    if (farewell === undefined) this.stream.end();
    else this.stream.end(farewell);
    setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** The same user signed in again elsewhere and took this member's name. */
  evict(): void {
    this.close('replaced', replies.signedInElsewhere());
  }

  /** Ends a session that does not finish closing on its own (a peer that never reads its farewell). */
  destroy(): void {
    this.stream.destroy();
  }

  /** Reading goes on only once every line already read has been carried out. */
  private get wantsInput(): boolean {
    return this.open && !this.inputEnded && !this.held && !this.answering && this.splitter.unreadBytes === 0;
  }

  private receive(chunk: Buffer): void {
    // One chunk at a time: reading resumes in flush(), once the lines of this chunk are carried out and
    // their output written. A fast sender cannot outrun the fan-out and swamp healthy readers' queues.
    this.stream.pause();
    this.splitter.feed(chunk);
    this.carryOutInput();
  }

  private receiveEnd(): void {
    this.inputEnded = true;
    this.carryOutInput();
  }

  /** Carries out lines while the rate limit allows; otherwise waits for the next token. */
  private carryOutInput(): void {
    let readAny = false;
    while (this.open && !this.answering) {
      const request = this.held ?? this.nextRequest();
      this.held = undefined;
      if (request === undefined) break;
      if (!readAny) this.idleTimer?.refresh(); // any line, a blank one included, shows the member is there
      readAny = true;
      const overlaps = answersNobody(request) && this.publicInFlight.size < MAX_PUBLIC_IN_FLIGHT;
      if (this.publicInFlight.size > 0 && !overlaps) {
        this.held = request;
        this.waitFor(Promise.all(this.publicInFlight).then(() => undefined));
        return;
      }
      if (!this.bucket.tryTake()) {
        this.held = request;
        this.tokenTimer ??= setTimeout(() => {
          this.tokenTimer = undefined;
          this.carryOutInput();
        }, this.bucket.msUntilNextToken());
        return;
      }
      const answered = carryOut(request, this, this.chat);
      if (answered instanceof Promise) {
        if (overlaps) {
          this.sendOnItsWay(answered);
          continue;
        }
        this.waitFor(answered);
        return;
      }
    }
    if (!this.open) return;
    if (this.inputEnded && !this.held && !this.answering && this.publicInFlight.size === 0)
      this.close('quit', undefined);
    else this.context.flusher.mark(this);
  }

  /** Reads no further line until the room has answered. */
  private waitFor(answer: Promise<void>): void {
    this.answering = answer.then(
      () => this.answered(),
      (error: unknown) => {
        this.context.log.warn({ event: 'command-failed', addr: this.addr, err: String(error) });
        this.answered();
      },
    );
  }

  /** A public line goes on into the room's order while the next lines are read. */
  private sendOnItsWay(placed: Promise<void>): void {
    const inFlight: Promise<void> = placed
      .catch((error: unknown) => {
        this.context.log.warn({ event: 'command-failed', addr: this.addr, err: String(error) });
      })
      .finally(() => {
        this.publicInFlight.delete(inFlight);
        // A member whose input has ended closes once its last line is in (it is owed its own echo).
        if (this.publicInFlight.size === 0 && this.inputEnded && !this.answering) this.carryOutInput();
      });
    this.publicInFlight.add(inFlight);
  }

  private answered(): void {
    this.answering = undefined;
    this.carryOutInput();
  }

  /** The next line to carry out. Blank lines are skipped unframed: they cost nothing, not even a token. */
  private nextRequest(): Request | undefined {
    if (this.splitter.skipBlankLines() > 0) this.idleTimer?.refresh();
    const framed: Framed | undefined = this.splitter.next() ?? (this.inputEnded ? this.splitter.end()[0] : undefined);
    return framed && requestOf(framed);
  }

  private write(parts: Buffer[], bytes: number): void {
    if (parts.length === 1) {
      this.stream.write(parts[0]);
    } else if (bytes <= CONCAT_LIMIT_BYTES) {
      this.stream.write(Buffer.concat(parts, bytes));
    } else {
      this.stream.cork();
      for (const part of parts) this.stream.write(part);
      this.stream.uncork();
    }
  }

  private takeUnsentBroadcasts(): void {
    for (const line of this.context.fanout.takeUnsent(this)) this.queue(line);
  }

  private queue(bytes: Buffer): void {
    this.outbox.push(bytes);
    this.outboxBytes += bytes.length;
  }

  private dropAsSlow(): void {
    const { log } = this.context;
    log.warn({ event: 'drop', addr: this.addr, name: this.name, queuedBytes: this.stream.writableLength });
    this.close('slow', undefined);
  }

  private kickIdle(): void {
    const { log, limits } = this.context;
    log.info({ event: 'kick', addr: this.addr, name: this.name, idleMs: limits.idleTimeoutMs });
    this.close('idle', replies.idleKick());
  }

  private closed(): void {
    this.close(this.streamFailed ? 'error' : 'quit', undefined);
    this.onClosed(this, this.closeReason!);
  }
}
