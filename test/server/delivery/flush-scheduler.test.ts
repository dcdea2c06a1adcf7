import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BroadcastRound } from '../../../src/server/delivery/broadcast-round.js';
import { Fanout } from '../../../src/server/delivery/fanout.js';
import { FlushScheduler, type Flushable } from '../../../src/server/delivery/flush-scheduler.js';

/** What performance.now() says: the test moves it along with the fake timers, and a flush can spend it. */
let nowMs = 0;

beforeEach(() => {
  nowMs = 0;
  // Real setImmediate (a loop turn), fake setTimeout (the scheduler's 1 ms steps while it waits for more).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.spyOn(performance, 'now').mockImplementation(() => nowMs);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A connection as the scheduler sees it: records each flush, and may act during one. */
class Target implements Flushable {
  readonly rounds: Array<BroadcastRound | undefined> = [];
  constructor(private readonly during: (round?: BroadcastRound) => void = () => {}) {}

  flush(round?: BroadcastRound): void {
    this.rounds.push(round);
    this.during(round);
  }

  get flushes(): number {
    return this.rounds.length;
  }
}

/** Lets one loop turn pass: what was set with setImmediate before it runs; the clock stays put. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Moves timers and performance.now() together, one millisecond at a time. */
function tick(ms = 1): void {
  for (let step = 0; step < ms; step++) {
    nowMs += 1;
    vi.advanceTimersByTime(1);
  }
}

const text = (round: BroadcastRound | undefined, member: object) => round?.take(member)?.toString() ?? '';

/** A scheduler over `everyone`, all of whom are in the room; `shared`: a room shared through Redis. */
function setUp(everyone: Target[], shared = false) {
  const fanout = new Fanout();
  for (const member of everyone) fanout.joined(member);
  const scheduler = new FlushScheduler(fanout, () => everyone, shared);
  return { fanout, scheduler };
}

/** A connection whose first flush takes `costMs` of the clock, the later ones none. */
function costly(costMs: number): Target {
  let cost = costMs;
  return new Target(() => {
    nowMs += cost;
    cost = 0;
  });
}

describe('FlushScheduler', () => {
  it('flushes each marked connection once per round, at the next turn, however often it was marked', async () => {
    const alice = new Target();
    const bob = new Target();
    const { scheduler } = setUp([alice, bob]);
    scheduler.mark(alice);
    scheduler.mark(alice);
    scheduler.mark(bob);
    scheduler.mark(alice);
    expect(alice.flushes + bob.flushes).toBe(0);
    await nextTurn();
    expect(alice.rounds).toEqual([undefined]);
    expect(bob.rounds).toEqual([undefined]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives a broadcast to everyone online, each flushed once with the same round', async () => {
    const alice = new Target();
    const bob = new Target();
    const carol = new Target();
    const leaving = new Target();
    const { fanout, scheduler } = setUp([alice, bob, carol]);
    scheduler.mark(alice);
    scheduler.mark(leaving);
    fanout.publish('one\n');
    fanout.publish('two\n');
    await nextTurn();
    expect([alice.flushes, bob.flushes, carol.flushes]).toEqual([1, 1, 1]);
    const round = alice.rounds[0];
    expect(bob.rounds[0]).toBe(round);
    expect(carol.rounds[0]).toBe(round);
    expect(text(round, carol)).toBe('one\ntwo\n');
    // Marked but no longer among everyone (closing, say): flushed with what it holds, owed no round.
    expect(leaving.rounds).toEqual([undefined]);
    // The next round owes no one a broadcast: only the marked connection is written to.
    scheduler.mark(bob);
    await nextTurn();
    expect([alice.flushes, bob.flushes, carol.flushes]).toEqual([1, 2, 1]);
    expect(bob.rounds[1]).toBeUndefined();
  });

  it('sends lines broadcast during a flush in the next round, not the one being written', async () => {
    let first = true;
    const alice = new Target(() => {
      if (first) fanout.publish('late\n');
      first = false;
    });
    const bob = new Target();
    const { fanout } = setUp([alice, bob]);
    fanout.publish('early\n');
    await nextTurn();
    expect(text(bob.rounds[0], bob)).toBe('early\n');
    expect(bob.flushes).toBe(1);
    await nextTurn();
    expect([alice.flushes, bob.flushes]).toEqual([2, 2]);
    expect(bob.rounds[1]).not.toBe(bob.rounds[0]);
    expect(text(bob.rounds[1], bob)).toBe('late\n');
    expect(text(alice.rounds[1], alice)).toBe('late\n');
  });

  it('after a costly round, waits while input keeps coming, for as long as that round took', async () => {
    let cost = 20;
    const slow = new Target(() => {
      nowMs += cost;
      cost = 0;
    });
    const other = new Target();
    const { scheduler } = setUp([slow, other]);
    scheduler.mark(slow);
    await nextTurn();
    expect(nowMs).toBe(20);
    scheduler.mark(other);
    await nextTurn();
    expect(other.flushes).toBe(0);
    // Something new arrives every millisecond: the round waits until 20 ms after the last one ended.
    while (other.flushes === 0 && nowMs < 1_000) {
      scheduler.mark(slow);
      tick();
    }
    expect(nowMs).toBe(40);
    expect([slow.flushes, other.flushes]).toEqual([2, 1]);
  });

  it('after a costly round, flushes at the first millisecond that brings nothing new', async () => {
    let cost = 20;
    const slow = new Target(() => {
      nowMs += cost;
      cost = 0;
    });
    const { scheduler } = setUp([slow]);
    scheduler.mark(slow);
    await nextTurn();
    scheduler.mark(slow);
    await nextTurn();
    expect(slow.flushes).toBe(1);
    tick();
    expect(slow.flushes).toBe(2);
    expect(nowMs).toBe(21);
  });

  it('waits no longer than MAX_PAUSE_MS however long the last round took', async () => {
    let cost = 5_000;
    const slow = new Target(() => {
      nowMs += cost;
      cost = 0;
    });
    const { scheduler } = setUp([slow]);
    scheduler.mark(slow);
    await nextTurn();
    const endedAt = nowMs;
    scheduler.mark(slow);
    while (slow.flushes === 1 && nowMs < endedAt + 10_000) {
      scheduler.mark(slow);
      tick();
    }
    expect(nowMs - endedAt).toBe(FlushScheduler.MAX_PAUSE_MS);
  });

  it('does not wait after a round that took under a millisecond', async () => {
    const quick = new Target(() => {
      nowMs += 0.9;
    });
    const { scheduler } = setUp([quick]);
    scheduler.mark(quick);
    await nextTurn();
    scheduler.mark(quick);
    await nextTurn();
    expect(quick.flushes).toBe(2);
  });

  describe('in a room shared through Redis', () => {
    it("after a costly round, holds what comes within that round's time of the first line, quiet or not", async () => {
      const slow = costly(20);
      const { fanout } = setUp([slow], true);
      fanout.publish('first round\n');
      await nextTurn();
      tick(3);
      // Lines from the other processes come in bursts: a quiet millisecond does not mean they are all here.
      fanout.publish('from this process\n');
      tick(5);
      fanout.publish('from another process\n');
      tick(14);
      expect(slow.flushes).toBe(1);
      tick();
      expect(slow.flushes).toBe(2);
      expect(nowMs).toBe(20 + 3 + 20);
      expect(text(slow.rounds[1], slow)).toBe('from this process\nfrom another process\n');
    });

    it("sends a line at once when it comes after the last round's time has passed", async () => {
      const slow = costly(20);
      const { fanout } = setUp([slow], true);
      fanout.publish('first round\n');
      await nextTurn();
      tick(20);
      fanout.publish('later\n');
      await nextTurn();
      expect(slow.flushes).toBe(2);
      expect(text(slow.rounds[1], slow)).toBe('later\n');
    });

    it('does not wait after a round that took under a millisecond', async () => {
      const quick = new Target(() => {
        nowMs += 0.9;
      });
      const { scheduler } = setUp([quick], true);
      scheduler.mark(quick);
      await nextTurn();
      scheduler.mark(quick);
      await nextTurn();
      expect(quick.flushes).toBe(2);
    });

    it('waits no longer than MAX_PAUSE_MS however long the last round took', async () => {
      const slow = costly(5_000);
      const { scheduler } = setUp([slow], true);
      scheduler.mark(slow);
      await nextTurn();
      const firstAt = nowMs;
      scheduler.mark(slow);
      while (slow.flushes === 1 && nowMs < firstAt + 10_000) tick();
      expect(nowMs - firstAt).toBe(FlushScheduler.MAX_PAUSE_MS);
    });
  });
});
