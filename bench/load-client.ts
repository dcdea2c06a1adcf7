import { connect, type Socket } from 'node:net';
import { formatAddr, replies } from '../src/protocol/index.js';
import { TokenScanner, type TokenSink } from './tokens.js';

interface Watch {
  needle: Buffer;
  resolve: (seenAt: number) => void;
}

/**
 * One simulated user: a raw TCP connection that counts what it receives instead of keeping it. It finds
 * bench tokens in the byte stream (see tokens.ts) and can wait for an exact line such as its own `已上线`.
 */
export class LoadClient {
  bytesReceived = 0;
  closed = false;
  /** Where tokens go; set by a scenario for its measured stretch. */
  sink: TokenSink | undefined;
  private readonly scanner = new TokenScanner((sender, seq, sentAt, receivedAt) =>
    this.sink?.(sender, seq, sentAt, receivedAt),
  );
  private watches: Watch[] = [];
  private tail: Buffer | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly addr: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static connect(host: string, port: number, timeoutMs = 10_000): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', () => {});
        resolve(new LoadClient(socket, formatAddr(socket.localAddress!, socket.localPort!)));
      });
    });
  }

  /** Resolves with performance.now() when the server has announced this client online to itself. */
  joined(): Promise<number> {
    return this.watchFor(replies.joined(this.addr, this.addr));
  }

  /** Resolves with performance.now() when `text` first arrives (it may straddle reads). */
  watchFor(text: string): Promise<number> {
    return new Promise((resolve) => this.watches.push({ needle: Buffer.from(text), resolve }));
  }

  send(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  /** Stops reading: the kernel buffers fill and the server sees a reader that has stalled. */
  stopReading(): void {
    this.socket.pause();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    if (this.watches.length > 0) this.checkWatches(chunk);
    this.scanner.push(chunk, performance.now());
  }

  private checkWatches(chunk: Buffer): void {
    const seenAt = performance.now();
    const longest = Math.max(...this.watches.map((watch) => watch.needle.length));
    const window = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.watches = this.watches.filter((watch) => {
      if (window.indexOf(watch.needle) === -1) return true;
      watch.resolve(seenAt);
      return false;
    });
    this.tail =
      this.watches.length > 0 ? Buffer.from(window.subarray(Math.max(0, window.length - longest + 1))) : undefined;
  }
}
