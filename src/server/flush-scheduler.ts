import type { BroadcastRound } from './broadcast-round.js';

export interface Flushable {
  /** Writes what is queued; `round`, when given, holds the broadcast lines everyone online is owed. */
  flush(round?: BroadcastRound): void;
}

/** Where rounds of broadcast lines come from. */
export interface RoundSource {
  onBroadcast(listener: () => void): void;
  endRound(): BroadcastRound;
}

/**
 * Collects what was written during a round and flushes each connection once per round, after the
 * event-loop turn: a burst of broadcasts and replies costs one write per connection instead of one per line.
 * A write to a socket is a system call, the dominant cost of fan-out, so under load the rounds space
 * themselves out: after a round that took `d` ms the next waits until `d` ms have passed (at most
 * MAX_PAUSE_MS). Writing then takes at most about half of the time, reading and handling lines the rest,
 * and each write carries more lines. On a quiet server a round follows its event-loop turn at once.
 */
export class FlushScheduler {
  static readonly MAX_PAUSE_MS = 250;
  private dirty = new Set<Flushable>();
  private everyoneOwed = false;
  private scheduled = false;
  private notBefore = 0;

  /** `everyone`: every open connection, to flush when there are broadcast lines. */
  constructor(
    private readonly rounds: RoundSource,
    private readonly everyone: () => Iterable<Flushable>,
  ) {
    rounds.onBroadcast(() => {
      this.everyoneOwed = true;
      this.schedule();
    });
  }

  mark(target: Flushable): void {
    this.dirty.add(target);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const waitMs = this.notBefore - performance.now();
    if (waitMs >= 1) setTimeout(this.flushAll, waitMs);
    else setImmediate(this.flushAll);
  }

  private readonly flushAll = (): void => {
    const startedAt = performance.now();
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    // Lines broadcast while this round is written (a slow reader dropped, say) go to the next round.
    const round = this.everyoneOwed ? this.rounds.endRound() : undefined;
    this.everyoneOwed = false;
    if (round) {
      for (const target of this.everyone()) {
        target.flush(round);
        dirty.delete(target);
      }
    }
    for (const target of dirty) target.flush();
    const endedAt = performance.now();
    this.notBefore = endedAt + Math.min(endedAt - startedAt, FlushScheduler.MAX_PAUSE_MS);
  };
}
