import { LineSplitter } from '../../src/protocol/index.js';

/**
 * What a test client has read from a server, line by line as `nc` would show it, and waits on it that wake
 * as bytes arrive rather than polling (load tests wait on thousands of lines).
 */
export class LineInbox {
  readonly lines: string[] = [];
  closed = false;
  private readonly splitter = new LineSplitter();
  private readonly waiters = new Set<() => void>();

  /** `closing`: what a wait for the close is waiting for, in words, for a timeout's message. */
  constructor(private readonly closing: string) {}

  receive(chunk: Buffer): void {
    for (const framed of this.splitter.push(chunk)) if (framed.kind === 'line') this.lines.push(framed.text);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async waitForLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    await this.until(() => this.lines.some(match), timeoutMs, 'a matching line');
    return this.lines.find(match)!;
  }

  async waitForClose(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.closed, timeoutMs, this.closing);
  }

  async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.lines.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
