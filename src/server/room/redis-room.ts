import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { nameKey, namesFor, replies } from '../../protocol/index.js';
import type { Fanout } from '../delivery/fanout.js';
import { MemberView } from './member-view.js';
import {
  connectRedis,
  RedisOfflineError,
  RedisTimeoutError,
  type RedisConnection,
  type RedisReply,
} from './redis-connection.js';
import {
  EPOCH,
  EVICT,
  JOIN,
  LEAVE,
  REAP,
  RENAME,
  roomKeys,
  SNAPSHOT,
  WHISPER,
  type RoomKeys,
} from './redis-scripts.js';
import { RedisUnreachableError } from './redis-unreachable.js';
import { streamEntries, type StreamEntry } from './stream-entries.js';
import type { Member, Room } from './room.js';

/** Names are held unique, and compared, by this key: the one place here that says how names compare. */
const keyOf = nameKey;

/** Entries the stream keeps (about; Redis trims whole blocks): what a process cut off can catch up on. */
export const STREAM_MAXLEN = 10_000;
const COMMAND_TIMEOUT_MS = 2000;
const READ_COUNT = 1000;
const READ_BLOCK_MS = 1000;
const READ_TIMEOUT_MS = READ_BLOCK_MS + COMMAND_TIMEOUT_MS;
/** A process's lease: refreshed every HEARTBEAT_MS; its members leave once it has been gone REAP_GRACE_MS. */
export const LEASE_MS = 5000;
const HEARTBEAT_MS = 1000;
const REAP_GRACE_MS = 4000;
/** How long a stopping process waits for its members' leaves to reach Redis. */
const STOP_WAIT_MS = 2000;
const RETRY_FIRST_MS = 100;
const RETRY_CAP_MS = 1000;
/** Of the names a newcomer asks for (an endless list), how many are tried; past them it keeps its addr. */
const NAMES_TRIED = 20;
/** How long a newcomer taking its name over waits for the process holding it to evict its holder. */
const TAKEOVER_WAIT_MS = 2000;
/** Sequences of each process remembered for dropping duplicates; older ones are forgotten. */
const SEEN_LIMIT = 20_000;
/**
 * Public lines accepted in one go share a stream entry up to this many bytes of them, what one long line
 * weighs: the stream's entries, and a read of READ_COUNT of them, weigh no more than when each held one line.
 */
const BATCH_BYTES = 4096;

export interface RedisRoomOptions {
  url: string;
  prefix: string;
  /** How long the link may be down before every member is told and disconnected. */
  outageLimitMs: number;
  fanout: Fanout;
  log: Logger;
  /** The link has been down longer than the limit: tell every member (one line) and disconnect it. */
  onCutOff(): void;
}

type OpKind = 'join' | 'leave' | 'line' | 'whisper' | 'rename' | 'has' | 'evict';

/** One request to Redis, kept until it has taken effect: retried across an outage, never done twice. */
interface Op {
  readonly seq: number;
  readonly kind: OpKind;
  /** Done only once its entry comes back through the stream (and then in every process at that point). */
  readonly echoed: boolean;
  readonly memberId?: string;
  run(): Promise<RedisReply>;
  settle(done: boolean): void;
  attempted: boolean;
  /** Redis answered yes; the entry is on its way back. */
  sent: boolean;
}

interface LocalMember {
  member: Member;
  /** Its join has come back through the stream: it is in the room. */
  joined: boolean;
  /** Its place in the join order, kept to restore it there. */
  order?: string;
  /** The names it asked for, until it has joined under one of them. */
  wanted?: string[];
  /** It waits for the name it asked for to be taken from a member of its own key: its join is not sent yet. */
  takingOver?: boolean;
}

/** Public lines on their way into one stream entry, and how to tell their senders once it is in (or not). */
interface LineBatch {
  lines: string[];
  bytes: number;
  settled: Promise<void>;
  settle(): void;
}

/**
 * A room shared by every chat-server process started with the same Redis and prefix.
 *
 * One order: public lines, joins, leaves, renames and private lines are entries of one Redis stream; each
 * process reads it and delivers what comes back, its own echo included, in stream order, so every member
 * sees the same sequence wherever it is connected. A sender waits for its line to come back before its next
 * line is read, which keeps its own order too. Who is online is a copy in each process (MemberView), kept
 * from the same stream. Names are claimed by atomic scripts. Each process holds a lease that it refreshes;
 * when one lapses, a survivor announces that process's members as gone.
 *
 * When Redis goes away, requests wait (each member has at most one waiting) and are retried once it is
 * back; the stream's ids let a process catch up on what it missed, and a sequence number per request lets
 * every process drop a request that was retried after it had in fact got through.
 */
export class RedisRoom implements Room {
  private readonly process = randomBytes(6).toString('hex');
  private readonly keys: RoomKeys;
  private readonly view = new MemberView();
  private readonly locals = new Map<string, LocalMember>();
  private readonly ids = new Map<Member, string>();
  private readonly ops = new Map<number, Op>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly seen = new Map<string, Set<number>>();
  private readonly missingSince = new Map<string, number>();
  private seq = 0;
  private members = 0;
  private up = true;
  private downSince: number | undefined;
  private cutOff = false;
  private closed = false;
  private housekeeping = false;
  /** Public lines accepted by the code at hand, not yet handed to Redis. */
  private batch: LineBatch | undefined;
  private lastId = '0-0';
  private epoch = '';
  private reader: RedisConnection | undefined;
  private readLoop: Promise<void> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly options: RedisRoomOptions,
    private readonly commands: RedisConnection,
  ) {
    this.keys = roomKeys(options.prefix);
  }

  /** Connects, loads who is online and starts following the room; rejects when Redis cannot be reached. */
  static async open(options: RedisRoomOptions): Promise<RedisRoom> {
    let commands: RedisConnection;
    try {
      commands = await connectRedis(options.url, 'chat-server');
    } catch (error) {
      throw new RedisUnreachableError(`cannot reach Redis at ${redactedUrl(options.url)}: ${describe(error)}`);
    }
    const room = new RedisRoom(options, commands);
    try {
      await room.load();
    } catch (error) {
      commands.close();
      room.reader?.close();
      throw new RedisUnreachableError(`cannot use Redis at ${redactedUrl(options.url)}: ${describe(error)}`);
    }
    return room;
  }

  /** False while cut off from Redis past the limit: newcomers are turned away. */
  get reachable(): boolean {
    return !this.cutOff;
  }

  join(member: Member, wanted?: string): Promise<void> {
    const id = `${this.process}.${++this.members}`;
    this.ids.set(member, id);
    const names = wanted === undefined ? undefined : firstOf(namesFor(wanted), NAMES_TRIED);
    const local: LocalMember = { member, joined: false, wanted: names };
    this.locals.set(id, local);
    this.options.fanout.arriving(member);
    if (wanted === undefined || member.fingerprint === undefined) return this.enqueueJoin(id).then(() => undefined);
    local.takingOver = true;
    return this.takeOver(wanted, member.fingerprint).then(async () => {
      local.takingOver = false;
      if (this.locals.get(id) === local) await this.enqueueJoin(id);
    });
  }

  leave(member: Member): void {
    // A shutting-down process announces its members too: the other processes' members are still online.
    const id = this.ids.get(member);
    if (id === undefined) return;
    const local = this.locals.get(id);
    this.ids.delete(member);
    this.locals.delete(id);
    this.options.fanout.left(member);
    if (local?.takingOver) return; // its join was never sent: nobody heard of it
    for (const op of this.ops.values()) {
      if (op.kind === 'join' && op.memberId === id && !op.attempted) {
        op.settle(false); // nobody heard of it: nobody needs to hear it go
        return;
      }
    }
    const { addr, name } = member;
    const { keys } = this;
    void this.enqueue('leave', false, id, (seq) =>
      this.commands.script(
        LEAVE,
        [keys.members, keys.names, keys.processMembers(this.process), keys.stream],
        [id, addr, name, keyOf(name), this.process, String(seq), String(STREAM_MAXLEN)],
        COMMAND_TIMEOUT_MS,
      ),
    );
  }

  rename(member: Member, newName: string): Promise<boolean> {
    const id = this.ids.get(member);
    if (id === undefined) return Promise.resolve(false);
    const { keys } = this;
    return this.enqueue('rename', true, id, (seq) =>
      this.commands.script(
        RENAME,
        [keys.members, keys.names, keys.stream],
        [id, newName, keyOf(newName), this.process, String(seq), String(STREAM_MAXLEN)],
        COMMAND_TIMEOUT_MS,
      ),
    );
  }

  has(name: string): Promise<boolean> {
    return this.enqueue('has', false, undefined, () =>
      this.commands.command(['HEXISTS', this.keys.names, keyOf(name)], COMMAND_TIMEOUT_MS),
    );
  }

  whisper(name: string, line: string): Promise<boolean> {
    const { keys } = this;
    return this.enqueue('whisper', true, undefined, (seq) =>
      this.commands.script(
        WHISPER,
        [keys.names, keys.stream],
        [keyOf(name), line, this.process, String(seq), String(STREAM_MAXLEN)],
        COMMAND_TIMEOUT_MS,
      ),
    );
  }

  who(): Buffer {
    return this.view.who();
  }

  /**
   * The lines accepted in one go (a member's pasted block, read as one chunk) go into the stream as one
   * entry, in order: one command, one entry to read back and one delivery per process, however many lines.
   * They go once the code at hand has run (a microtask), so the command is written in this turn of the event
   * loop, ahead of any delivery round. A request of any other kind first sends the lines before it, so the
   * order of requests holds.
   */
  broadcast(line: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const bytes = Buffer.byteLength(line);
    if (this.batch && this.batch.bytes + bytes > BATCH_BYTES) this.sendBatch();
    if (!this.batch) {
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      this.batch = { lines: [], bytes: 0, settled, settle };
      queueMicrotask(() => this.sendBatch());
    }
    this.batch.lines.push(line);
    this.batch.bytes += bytes;
    return this.batch.settled;
  }

  /**
   * Leaves for good: waits (briefly) for this process's members' leaves to reach Redis, so the other
   * processes announce them at once, then gives up the lease and closes the connections.
   */
  async stop(): Promise<void> {
    if (this.closed) return;
    for (const timer of this.timers) clearInterval(timer);
    const deadline = performance.now() + STOP_WAIT_MS;
    while (this.up && [...this.ops.values()].some((op) => op.kind === 'leave') && performance.now() < deadline) {
      await sleep(20);
    }
    if (this.up) {
      await this.commands.command(['DEL', this.keys.lease(this.process)], COMMAND_TIMEOUT_MS).catch(() => {});
    }
    this.closed = true;
    for (const op of this.ops.values()) op.settle(false);
    this.commands.close();
    this.reader?.close();
    await this.readLoop;
  }

  private async load(): Promise<void> {
    const { keys } = this;
    this.reader = await connectRedis(this.options.url, 'chat-server-reader', { bytes: true });
    const snapshot = (await this.commands.script(
      SNAPSHOT,
      [keys.epoch, keys.members, keys.stream],
      [freshEpoch()],
      COMMAND_TIMEOUT_MS,
    )) as [string, string, string[]];
    const [epoch, lastId, flat] = snapshot;
    this.epoch = epoch;
    this.lastId = lastId;
    const members = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = JSON.parse(flat[i + 1]!) as { p: string; a: string; n: string; o: string };
      members.push({ id: flat[i]!, addr: record.a, name: record.n, process: record.p, order: record.o });
    }
    for (const member of members) this.view.add(member);
    await this.renewLease();
    this.commands.onDown((reason) => this.linkDown(reason));
    this.timers.push(setInterval(() => void this.keepHouse(), HEARTBEAT_MS).unref());
    this.timers.push(setInterval(() => this.checkCutOff(), 250).unref());
    this.readLoop = this.follow();
  }

  private enqueueJoin(id: string): Promise<boolean> {
    const { keys } = this;
    return this.enqueue('join', true, id, (seq) => {
      const local = this.locals.get(id);
      if (!local) return Promise.resolve(0);
      const { addr, name, fingerprint = '' } = local.member;
      const wanted = (local.joined ? [] : (local.wanted ?? [])).flatMap((candidate) => [candidate, keyOf(candidate)]);
      return this.commands.script(
        JOIN,
        [keys.members, keys.names, keys.processMembers(this.process), keys.stream],
        // prettier-ignore
        [id, addr, name, keyOf(addr), keyOf(name), this.process, String(seq), local.order ?? '', String(STREAM_MAXLEN), fingerprint, ...wanted],
        COMMAND_TIMEOUT_MS,
      );
    });
  }

  /**
   * Has the member that holds exactly `name` with this `fingerprint` evicted by the process it is on, and
   * waits until it has left; gives up waiting after TAKEOVER_WAIT_MS (its process may be stuck or gone).
   */
  private async takeOver(name: string, fingerprint: string): Promise<void> {
    const started = performance.now();
    const holder = await within(TAKEOVER_WAIT_MS, this.evict(name, fingerprint));
    if (holder === TIMED_OUT) {
      // Redis did not answer in time; the request stays queued and may still close the old connection.
      this.options.log.warn({ event: 'takeover-timeout', name, process: null });
      return;
    }
    if (holder === undefined) return;
    const left = await this.view.whenGone(holder, TAKEOVER_WAIT_MS - (performance.now() - started));
    if (!left) this.options.log.warn({ event: 'takeover-timeout', name, process: this.view.get(holder)?.process });
  }

  /**
   * Asks for the eviction of the member that holds exactly `name` with this `fingerprint`: the member's id
   * once the request has its place in the stream (so this process's view has that member, if it has not
   * left already), or undefined when nobody holds the name with that key.
   */
  private async evict(name: string, fingerprint: string): Promise<string | undefined> {
    const { keys } = this;
    let reply: Promise<RedisReply> | undefined;
    const placed = await this.enqueue('evict', true, undefined, (seq) => {
      reply = this.commands.script(
        EVICT,
        [keys.members, keys.names, keys.stream],
        [keyOf(name), name, fingerprint, this.process, String(seq), String(STREAM_MAXLEN)],
        COMMAND_TIMEOUT_MS,
      );
      return reply;
    });
    // The entry may come back through the stream before the script's own answer.
    const holder = placed ? await reply!.catch(() => undefined) : undefined;
    return typeof holder === 'string' ? holder : undefined;
  }

  private sendBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    const bytes = batch.lines.join('');
    void this.enqueueOp('line', true, undefined, (seq) =>
      this.commands.command(
        // prettier-ignore
        ['XADD', this.keys.stream, 'MAXLEN', '~', String(STREAM_MAXLEN), '*', 'k', 'l', 'p', this.process, 's', String(seq), 'b', bytes],
        COMMAND_TIMEOUT_MS,
      ),
    ).then(batch.settle);
  }

  private enqueue(
    kind: Exclude<OpKind, 'line'>,
    echoed: boolean,
    memberId: string | undefined,
    run: (seq: number) => Promise<RedisReply>,
  ): Promise<boolean> {
    this.sendBatch();
    return this.enqueueOp(kind, echoed, memberId, run);
  }

  private enqueueOp(
    kind: OpKind,
    echoed: boolean,
    memberId: string | undefined,
    run: (seq: number) => Promise<RedisReply>,
  ): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const seq = ++this.seq;
    return new Promise<boolean>((resolve) => {
      const op: Op = {
        seq,
        kind,
        echoed,
        memberId,
        run: () => run(seq),
        settle: (done) => {
          if (!this.ops.delete(seq)) return;
          resolve(done);
        },
        attempted: false,
        sent: false,
      };
      this.ops.set(seq, op);
      if (this.up) this.attempt(op);
    });
  }

  private attempt(op: Op): void {
    op.attempted = true;
    op.sent = false;
    const attempt = op.run().then(
      (reply) => {
        if (!this.ops.has(op.seq)) return;
        if (reply === 0) op.settle(false);
        else if (!op.echoed) op.settle(true);
        else op.sent = true;
      },
      (error: unknown) => {
        // Never sent: as if never tried (a member that leaves before it is sent need not be announced).
        if (error instanceof RedisOfflineError) op.attempted = false;
        this.linkDown(describe(error));
      },
    );
    this.inflight.add(attempt);
    void attempt.finally(() => this.inflight.delete(attempt));
  }

  private linkDown(reason: string): void {
    if (this.closed || !this.up) return;
    this.up = false;
    this.downSince ??= performance.now();
    this.options.log.warn({ event: 'redis-down', reason });
  }

  /** Reads the stream for as long as the room is open; after any failure, recovers first. */
  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        if (!this.up) await this.recover();
        const reply = await this.reader!.command(
          [
            'XREAD',
            'COUNT',
            String(READ_COUNT),
            'BLOCK',
            String(READ_BLOCK_MS),
            'STREAMS',
            this.keys.stream,
            this.lastId,
          ],
          READ_TIMEOUT_MS,
        );
        this.apply(reply);
        failures = 0;
      } catch (error) {
        if (this.closed) return;
        this.linkDown(describe(error));
        // A read that timed out may still be answered: a fresh connection makes sure no answer is lost.
        if (error instanceof RedisTimeoutError) {
          this.reader?.close();
          this.reader = undefined;
        }
        failures += 1;
        const step = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** Math.min(failures, 10));
        await sleep(step / 2 + (Math.random() * step) / 2);
      }
    }
  }

  /**
   * Back in touch: catch up on the stream, restore this process's members if Redis lost them (restarted
   * empty, or this process's lease lapsed), then send again, in order, whatever did not get through.
   */
  private async recover(): Promise<void> {
    if (!this.reader) {
      const reader = await connectRedis(this.options.url, 'chat-server-reader', { bytes: true });
      if (this.closed) {
        reader.close();
        return;
      }
      this.reader = reader;
    }
    if (!this.commands.isReady || !this.reader.isReady) throw new Error('reconnecting');
    await Promise.allSettled([...this.inflight]);
    const epoch = (await this.commands.script(EPOCH, [this.keys.epoch], [freshEpoch()], COMMAND_TIMEOUT_MS)) as string;
    const restarted = epoch !== this.epoch;
    if (restarted) {
      this.epoch = epoch;
      this.lastId = '0-0';
    }
    for (;;) {
      const reply = await this.reader.command(
        ['XREAD', 'COUNT', String(READ_COUNT), 'STREAMS', this.keys.stream, this.lastId],
        READ_TIMEOUT_MS,
      );
      if (this.apply(reply) < READ_COUNT) break;
    }
    const leaseKept = await this.renewLease();
    const waiting = [...this.ops.values()];
    this.up = true;
    this.missingSince.clear();
    const downMs = this.downSince === undefined ? 0 : Math.round(performance.now() - this.downSince);
    this.downSince = undefined;
    this.cutOff = false;
    this.options.log.info({ event: 'redis-up', downMs, restarted, resent: waiting.length });
    if (restarted || !leaseKept) this.restoreMembers();
    for (const op of waiting) if (this.ops.has(op.seq)) this.attempt(op);
  }

  /** Joins again every member of this process, in its old place, silently where others still know it. */
  private restoreMembers(): void {
    let restored = 0;
    for (const [id, local] of this.locals) {
      if (!local.joined) continue;
      void this.enqueueJoin(id);
      restored += 1;
    }
    this.options.log.info({ event: 'redis-restore', members: restored });
  }

  /** Renews this process's lease; false when it had lapsed (Redis restarted, or this process was away). */
  private async renewLease(): Promise<boolean> {
    const previous = await this.commands.command(
      ['SET', this.keys.lease(this.process), '1', 'PX', String(LEASE_MS), 'GET'],
      COMMAND_TIMEOUT_MS,
    );
    return previous !== null;
  }

  /** The heartbeat, and the watch over the other processes' leases. */
  private async keepHouse(): Promise<void> {
    if (!this.up || this.housekeeping || this.closed) return;
    this.housekeeping = true;
    try {
      if (!(await this.renewLease())) this.restoreMembers();
      const now = performance.now();
      for (const process of this.view.processes()) {
        if (process === this.process) continue;
        const alive = await this.commands.command(['EXISTS', this.keys.lease(process)], COMMAND_TIMEOUT_MS);
        if (alive === 1) {
          this.missingSince.delete(process);
          continue;
        }
        const since = this.missingSince.get(process) ?? now;
        this.missingSince.set(process, since);
        if (now - since >= REAP_GRACE_MS) await this.reap(process);
      }
    } catch (error) {
      this.linkDown(describe(error));
    } finally {
      this.housekeeping = false;
    }
  }

  private async reap(process: string): Promise<void> {
    const { keys } = this;
    const known = this.view.ofProcess(process).flatMap((member) => [member.id, member.addr, member.name]);
    const left = await this.commands.script(
      REAP,
      [keys.members, keys.names, keys.stream, keys.lease(process), keys.processMembers(process)],
      [process, String(STREAM_MAXLEN), ...known],
      COMMAND_TIMEOUT_MS * 5,
    );
    this.missingSince.delete(process);
    if (left !== -1) {
      this.seen.delete(process);
      this.options.log.warn({ event: 'reap', process, members: left });
    }
  }

  private checkCutOff(): void {
    if (this.cutOff || this.downSince === undefined) return;
    if (performance.now() - this.downSince < this.options.outageLimitMs) return;
    this.cutOff = true;
    this.sendBatch();
    // Lines not known to have reached Redis are dropped, not sent late: their senders are told to send again.
    for (const op of this.ops.values()) {
      if (!op.sent && op.kind !== 'leave' && op.kind !== 'join') op.settle(false);
    }
    this.options.log.error({ event: 'redis-cut-off', outageLimitMs: this.options.outageLimitMs });
    this.options.onCutOff();
  }

  /** Applies the entries of an XREAD reply; returns how many there were. */
  private apply(reply: unknown): number {
    const entries = streamEntries(reply);
    for (const entry of entries) {
      this.lastId = entry.id;
      this.applyEntry(entry);
    }
    return entries.length;
  }

  private applyEntry(entry: StreamEntry): void {
    const { process, seq } = entry;
    if (process !== undefined && seq !== undefined && this.isDuplicate(process, seq)) return;
    const { fanout } = this.options;
    switch (entry.kind) {
      case 'l':
        if (entry.bytes) fanout.publish(entry.bytes);
        break;
      case 'w': {
        const local = this.locals.get(entry.member!);
        if (local?.joined && entry.bytes) local.member.deliver(entry.bytes);
        break;
      }
      case 'j': {
        const { member: m = '', addr: a = '', name: n = '' } = entry;
        const order = entry.order ?? entry.id;
        const local = this.locals.get(m);
        if (local) {
          local.member.name = n;
          local.order ??= order;
        }
        const added = this.view.add({ id: m, addr: a, name: n, process: process ?? '', order });
        if (!added) this.view.rename(m, n);
        if (local && !local.joined) {
          local.joined = true;
          fanout.joined(local.member);
        }
        if (added) fanout.publish(replies.joined(a, n));
        break;
      }
      case 'q': {
        const gone = this.view.remove(entry.member!);
        if (gone) fanout.publish(replies.left(gone.addr, gone.name));
        break;
      }
      case 'r': {
        this.view.rename(entry.member!, entry.name!);
        const local = this.locals.get(entry.member!);
        if (local) local.member.name = entry.name!;
        break;
      }
      case 'e':
        // Its leave goes into the stream like any other, after this entry.
        this.locals.get(entry.member!)?.member.evict();
        break;
    }
    if (process === this.process && seq !== undefined) this.ops.get(seq)?.settle(true);
  }

  /** Whether this request of `process` was already applied (it was retried after getting through). */
  private isDuplicate(process: string, seq: number): boolean {
    let seen = this.seen.get(process);
    if (!seen) {
      seen = new Set();
      this.seen.set(process, seen);
    }
    if (seen.has(seq)) return true;
    seen.add(seq);
    if (seen.size > SEEN_LIMIT) {
      let forget = SEEN_LIMIT / 2;
      for (const old of seen) {
        if (forget-- <= 0) break;
        seen.delete(old);
      }
    }
    return false;
  }
}

const TIMED_OUT = Symbol('timed out');

/** What `promise` comes to, or TIMED_OUT if that takes longer than `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms).unref()));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function firstOf(names: Iterable<string>, count: number): string[] {
  const taken: string[] = [];
  for (const name of names) {
    if (taken.length >= count) break;
    taken.push(name);
  }
  return taken;
}

function freshEpoch(): string {
  return randomBytes(8).toString('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
