import { parseServerLine, type ServerEvent } from '../protocol/index.js';

/**
 * Parses the server's lines for many clients in one process (the screens of an SSH door), handing out
 * the same event for the same line while it is recent: a broadcast reaches every screen within one
 * pacing interval, and with one event they share what is made from it (the pane's line, its rows)
 * instead of each keeping a copy. A line is kept for `keepMs` to twice that, and at most `maxLines` lines
 * at a time; the same line said again within that time (someone repeating "ok") is the same event, so it
 * shows the time of the first.
 */
export class SharedParser {
  private current = new Map<string, ServerEvent>();
  private previous = new Map<string, ServerEvent>();
  private since = performance.now();

  constructor(
    private readonly keepMs: number,
    private readonly maxLines = 10_000,
  ) {}

  readonly parse = (line: string): ServerEvent => {
    const now = performance.now();
    if (now - this.since >= this.keepMs || this.current.size >= this.maxLines) {
      this.previous = this.current;
      this.current = new Map();
      this.since = now;
    }
    let event = this.current.get(line);
    if (event === undefined) {
      // Not carried over: a line said on and on would otherwise keep its first time for ever.
      event = this.previous.get(line) ?? parseServerLine(line);
      if (!this.previous.has(line)) this.current.set(line, event);
    }
    return event;
  };
}
