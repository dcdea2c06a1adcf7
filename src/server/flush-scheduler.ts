export interface Flushable {
  flush(): void;
}

/**
 * Collects the connections written to and flushes each once per round: a burst of broadcasts costs one
 * write per connection instead of one per line. A write to a socket is a system call, the dominant cost of
 * fan-out, so under load the rounds space themselves out: after a round that took `d` ms the next one
 * waits until `d` ms have passed (never more than MAX_PAUSE_MS). Writing then uses at most about half of
 * the time, reading and handling lines the rest, and each write carries more lines. When writes are cheap
 * (a quiet server) the next round follows the current event-loop turn at once, as before.
 */
export class FlushScheduler {
  static readonly MAX_PAUSE_MS = 250;
  private dirty = new Set<Flushable>();
  private scheduled = false;
  private notBefore = 0;

  mark(target: Flushable): void {
    this.dirty.add(target);
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
    for (const target of dirty) target.flush();
    const endedAt = performance.now();
    this.notBefore = endedAt + Math.min(endedAt - startedAt, FlushScheduler.MAX_PAUSE_MS);
  };
}
