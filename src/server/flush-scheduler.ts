export interface Flushable {
  flush(): void;
}

/**
 * Collects the connections written to during one event-loop turn and flushes each once, after the turn:
 * a burst of broadcasts costs one write (one writev) per connection instead of one per line.
 */
export class FlushScheduler {
  private dirty = new Set<Flushable>();
  private scheduled = false;

  mark(target: Flushable): void {
    this.dirty.add(target);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flushAll);
  }

  private readonly flushAll = (): void => {
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = new Set();
    for (const target of dirty) target.flush();
  };
}
