import type { Writable } from 'node:stream';

/** Log bytes held for stdout at most: past this, new lines are dropped rather than waited for. */
export const MAX_PENDING_LOG_BYTES = 1024 * 1024;
/** How often flush() looks whether stdout took anything. */
const FLUSH_POLL_MS = 50;

/**
 * Where the log lines go: stdout, written without ever waiting for it. pino's own destination writes to
 * fd 1 synchronously, so a pipe nobody reads (a stuck log shipper) stops the whole process, signals
 * included. Node's stdout stream queues what a pipe has not taken instead; this holds that queue to a
 * bound, drops and counts the lines beyond it, and reports the count once stdout takes lines again.
 */
export class LogOutlet {
  /** Lines dropped since the last report. */
  private dropped = 0;
  private broken = false;
  private reporting = false;

  /**
   * `format` turns pino's JSON line into what is written (the readable form for a terminal); `onResumed` is
   * told how many lines were dropped, once stdout has taken everything before, so it can log the count.
   */
  constructor(
    private readonly out: Writable,
    private readonly format: (line: string) => string = (line) => line,
    private readonly maxPendingBytes = MAX_PENDING_LOG_BYTES,
    private readonly onResumed: (droppedLines: number) => void = () => {},
  ) {
    // The reader went away (EPIPE): there is nowhere left to log to, and that is no reason to crash.
    out.on('error', () => (this.broken = true));
    out.on('drain', () => this.reportDropped());
  }

  /** Lines dropped and not yet reported. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Bytes accepted and not yet taken by stdout. */
  get pendingBytes(): number {
    return this.out.writableLength;
  }

  /** pino calls this once per line. */
  write(line: string): void {
    if (this.broken || this.out.destroyed || this.out.writableLength >= this.maxPendingBytes) {
      this.dropped += 1;
      return;
    }
    if (this.dropped > 0 && this.out.writableLength === 0) this.reportDropped();
    this.out.write(this.format(line));
  }

  /**
   * Resolves once stdout has taken every line and any drop report, or once it has taken nothing for
   * `stallMs`: a reader that has stopped is not waited for. True when everything was written.
   */
  flush(stallMs: number): Promise<boolean> {
    this.reportDropped();
    return new Promise((resolve) => {
      let pending = this.out.writableLength;
      let stalledSince = Date.now();
      const check = () => {
        const now = this.out.writableLength;
        if (now === 0 || this.broken) {
          resolve(now === 0 && !this.broken);
          return;
        }
        if (now < pending) stalledSince = Date.now();
        pending = now;
        if (Date.now() - stalledSince >= stallMs) resolve(false);
        else setTimeout(check, FLUSH_POLL_MS);
      };
      check();
    });
  }

  private reportDropped(): void {
    if (this.dropped === 0 || this.reporting || this.broken) return;
    if (this.out.writableLength >= this.maxPendingBytes) return;
    const count = this.dropped;
    this.dropped = 0;
    // The report is a log line itself: it comes back through write(), which must not report again.
    this.reporting = true;
    try {
      this.onResumed(count);
    } finally {
      this.reporting = false;
    }
  }
}
