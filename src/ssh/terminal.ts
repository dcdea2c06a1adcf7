import { PassThrough, Writable } from 'node:stream';
import type ssh2 from 'ssh2';

/** What the client's pty request said about its terminal. */
export interface PtySize {
  columns: number;
  rows: number;
  term: string;
}

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';
const COLOUR = /\x1b\[[0-9;]*m/g;
/**
 * Keys that come within this long of the last ones handed to the app are handed over together: each
 * hand-over costs a render, and a client can send a packet a key, a thousand a second.
 */
const KEYS_GATHER_MS = 15;
/** Window changes closer together than this are drawn once, at the last size. */
const RESIZE_GATHER_MS = 50;

/**
 * An SSH channel with a pty, dressed as the terminal Ink expects: keystrokes come in through `input`
 * (a TTY whose raw mode is the client's business), frames go out through `output`, which knows the size
 * and says when it changes. There is no kernel tty on the way, so `\n` goes out as `\r\n`; a `dumb`
 * terminal gets no colours.
 */
export class ChannelTerminal {
  readonly input: PassThrough & { isTTY: boolean; setRawMode(mode: boolean): void; ref(): void; unref(): void };
  readonly output: ScreenOutput;
  /** Keys the client sent that the app has not been handed yet, and when it was last handed some. */
  private keys: Buffer[] = [];
  private keysTimer: NodeJS.Timeout | undefined;
  private keysHandedAt = -Infinity;

  constructor(
    private readonly channel: ssh2.ServerChannel,
    size: PtySize,
    maxBufferedBytes: number,
    onTooSlow: () => void,
  ) {
    this.input = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: () => {},
      ref: () => {},
      unref: () => {},
    });
    channel.on('data', (chunk: Buffer) => this.takeKeys(chunk));
    channel.once('close', () => clearTimeout(this.keysTimer));
    this.output = new ScreenOutput(channel, size, maxBufferedBytes, onTooSlow);
  }

  /** Keys go to the app at once after a pause, else with the others of the next KEYS_GATHER_MS. */
  private takeKeys(chunk: Buffer): void {
    this.keys.push(chunk);
    if (this.keysTimer) return;
    const wait = this.keysHandedAt + KEYS_GATHER_MS - performance.now();
    if (wait <= 0) {
      this.handKeys();
      return;
    }
    this.keysTimer = setTimeout(() => {
      this.keysTimer = undefined;
      this.handKeys();
    }, wait);
  }

  private handKeys(): void {
    this.keysHandedAt = performance.now();
    const keys = this.keys.length === 1 ? this.keys[0]! : Buffer.concat(this.keys);
    this.keys = [];
    this.input.write(keys);
  }

  enterAlternateScreen(): void {
    this.channel.write(ENTER_ALTERNATE_SCREEN);
  }

  /** Back to the user's own screen, then `farewell` (a line from the server) on it, if there is one. */
  leaveAlternateScreen(farewell?: string): void {
    if (!this.channel.writable) return;
    this.channel.write(LEAVE_ALTERNATE_SCREEN + (farewell ? farewell.replace(/\n/g, '\r\n') : ''));
  }
}

export class ScreenOutput extends Writable {
  readonly isTTY = true;
  columns: number;
  rows: number;
  private readonly colours: boolean;
  private wanted: { columns: number; rows: number };
  private resizeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly channel: ssh2.ServerChannel,
    size: PtySize,
    private readonly maxBufferedBytes: number,
    private readonly onTooSlow: () => void,
  ) {
    super({ decodeStrings: false });
    this.columns = size.columns;
    this.rows = size.rows;
    this.wanted = { columns: size.columns, rows: size.rows };
    this.colours = size.term !== 'dumb';
    // Ink writes a frame in pieces (the synchronized-update marks around it): they go out as one SSH
    // packet, encrypted once, not three. A client that does not take its frames: they pile up here (Ink
    // does not wait for a write), so past a bound, counted once the frame has gone to the channel, the
    // client is let go.
    const write = this.write.bind(this) as (...args: unknown[]) => boolean;
    this.write = ((...args: unknown[]) => {
      if (this.writableCorked === 0) {
        this.cork();
        process.nextTick(() => {
          this.uncork();
          if (this.writableLength > this.maxBufferedBytes) this.onTooSlow();
        });
      }
      return write(...args);
    }) as Writable['write'];
  }

  /**
   * The client's terminal changed size. Each change redraws the whole screen, and a client can send
   * thousands a second: the last one within RESIZE_GATHER_MS is the one drawn.
   */
  resize(columns: number, rows: number): void {
    this.wanted = { columns, rows };
    this.resizeTimer ??= setTimeout(() => {
      this.resizeTimer = undefined;
      const { columns, rows } = this.wanted;
      if (columns === this.columns && rows === this.rows) return;
      this.columns = columns;
      this.rows = rows;
      this.emit('resize');
    }, RESIZE_GATHER_MS);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.resizeTimer);
    callback(error);
  }

  override _writev(chunks: Array<{ chunk: Buffer | string }>, callback: (error?: Error | null) => void): void {
    this._write(chunks.map(({ chunk }) => chunk.toString()).join(''), 'utf8', callback);
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.channel.writable) return callback();
    let text = typeof chunk === 'string' ? chunk : chunk.toString();
    if (!this.colours) text = text.replace(COLOUR, '');
    if (this.channel.write(text.replace(/\r?\n/g, '\r\n'))) return callback();
    this.channel.once('drain', () => callback());
  }
}
