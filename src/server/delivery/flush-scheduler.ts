import type { BroadcastRound } from './broadcast-round.js';
import type { Fanout } from './fanout.js';

export interface Flushable {
  /** Writes what is queued; `round`, when given, holds the broadcast lines everyone online is owed. */
  flush(round?: BroadcastRound): void;
}

/**
 * Collects what was written during a round and flushes each connection once per round: a burst of
 * broadcasts and replies costs one write per connection instead of one per line.
 *
 * A write to a socket is a system call, the dominant cost of fan-out, and Node accepts one connection per
 * event-loop turn. Flushing after every turn would, in a join wave with thousands online, write one `已上线`
 * per connection per round. So after a round that took `d` ms (1 ms or more), the next one waits while
 * input keeps coming, for at most `d` ms (and at most MAX_PAUSE_MS), in 1 ms steps: a step that brings
 * something new (a line read, a connection accepted) extends the wait, the first that brings nothing
 * flushes. Writing then takes at most about half of the time under a steady stream, and each write carries
 * more lines; when the input in flight has all arrived (a quiet server, or senders awaiting their echo) the
 * round goes out at once.
 *
 * In a room shared with other processes the lines come through Redis, from every process, each process
 * sending its members' lines when it has finished a round of its own. A quiet millisecond says nothing
 * there: the lines of a process still writing are on their way. So after a round that took `d` ms, the
 * first line that comes within `d` ms opens a wait of `d` ms that nothing cuts short; the lines that come
 * meanwhile go out with it. A line that comes later, or after a round of under 1 ms, goes out at once.
 * Writing still takes at most about half of the time, and each round carries what the other processes
 * sent in the same stretch, not the first of them alone.
 */
export class FlushScheduler {
  static readonly MAX_PAUSE_MS = 250;
  private dirty = new Set<Flushable>();
  private everyoneOwed = false;
  private scheduled = false;
  private notBefore = 0;
  /** Marks and broadcasts since the last turn looked. */
  private arrivals = 0;
  /** How long the last round took (capped at MAX_PAUSE_MS), and when it ended: for a shared room's wait. */
  private lastTookMs = 0;
  private lastEndedAt = 0;

  /**
   * `everyone`: every open connection, to flush when there are broadcast lines. `shared`: the room is shared
   * with other processes, whose lines arrive through Redis.
   */
  constructor(
    private readonly fanout: Fanout,
    private readonly everyone: () => Iterable<Flushable>,
    private readonly shared = false,
  ) {
    fanout.onPublish(() => {
      this.everyoneOwed = true;
      this.schedule();
    });
  }

  mark(target: Flushable): void {
    this.dirty.add(target);
    this.schedule();
  }

  private schedule(): void {
    this.arrivals += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    this.arrivals = 0;
    const now = performance.now();
    if (this.shared) {
      if (this.lastTookMs >= 1 && now < this.lastEndedAt + this.lastTookMs) setTimeout(this.flushAll, this.lastTookMs);
      else setImmediate(this.flushAll);
    } else if (now < this.notBefore) this.waitForMore();
    else setImmediate(this.flushAll);
  }

  // A timer, not setImmediate: the loop waits in poll for what comes next, and gets at least one more turn.
  private waitForMore(): void {
    setTimeout(this.afterWait, 1);
  }

  private readonly afterWait = (): void => {
    if (this.arrivals > 0 && performance.now() < this.notBefore) {
      this.arrivals = 0;
      this.waitForMore();
      return;
    }
    this.flushAll();
  };

  private readonly flushAll = (): void => {
    const startedAt = performance.now();
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    // Lines broadcast while this round is written (a slow reader dropped, say) go to the next round.
    const round = this.everyoneOwed ? this.fanout.endRound() : undefined;
    this.everyoneOwed = false;
    if (round) {
      for (const target of this.everyone()) {
        target.flush(round);
        dirty.delete(target);
      }
    }
    for (const target of dirty) target.flush();
    const endedAt = performance.now();
    const tookMs = endedAt - startedAt;
    this.notBefore = tookMs < 1 ? 0 : endedAt + Math.min(tookMs, FlushScheduler.MAX_PAUSE_MS);
    this.lastTookMs = Math.min(tookMs, FlushScheduler.MAX_PAUSE_MS);
    this.lastEndedAt = endedAt;
  };
}
