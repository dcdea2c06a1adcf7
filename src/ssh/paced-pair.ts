import { Duplex } from 'node:stream';

/**
 * Bytes the room's end may hold for the screen's end before its writes wait: enough for any burst of
 * chat lines, small enough that a screen that cannot keep up shows in the session's queue, which the
 * chat server bounds as for any slow member.
 */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * How long what reaches the screen's end at `now` gathers before it is passed on, the last chunk having
 * been passed on at `lastAt` (performance.now() ms).
 */
export type GatherMs = (lastAt: number, now: number) => number;

/**
 * An in-process connection between a chat session (the room's end) and the app that draws one SSH
 * screen (the screen's end). What the room's end writes reaches the screen's end when `gatherMs` says
 * (asked anew for each chunk), gathered into one chunk: a burst of lines costs the screen one update,
 * not one each.
 * The other way, keystrokes' commands go through at once. Destroying either end closes both.
 */
export function pacedPair(gatherMs: GatherMs): { room: Duplex; screen: Duplex } {
  const room = new RoomEnd(gatherMs);
  const screen = new ScreenEnd(room);
  room.screen = screen;
  return { room, screen };
}

class RoomEnd extends Duplex {
  screen!: ScreenEnd;
  /** The screen end's write that waits for this end to be read. */
  writeDone: (() => void) | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private deliveredAt = -Infinity;
  private held: (() => void) | undefined;
  private ending: (() => void) | undefined;

  constructor(private readonly gatherMs: GatherMs) {
    super();
  }

  override _read(): void {
    const done = this.writeDone;
    this.writeDone = undefined;
    done?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.timer ??= setTimeout(() => this.deliver(), Math.max(0, this.gatherMs(this.deliveredAt, performance.now())));
    if (this.pendingBytes < HIGH_WATER_BYTES) callback();
    else this.held = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.timer === undefined) {
      this.screen.push(null);
      return callback();
    }
    this.ending = () => {
      this.screen.push(null);
      callback();
    };
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    this.pending = [];
    this.writeDone = undefined;
    if (!this.screen.destroyed) this.screen.destroy();
    callback(error);
  }

  private deliver(): void {
    this.timer = undefined;
    this.deliveredAt = performance.now();
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.screen.destroyed) this.screen.push(bytes);
    const held = this.held;
    this.held = undefined;
    held?.();
    this.ending?.();
  }
}

class ScreenEnd extends Duplex {
  constructor(private readonly room: RoomEnd) {
    super();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.room.push(chunk)) callback();
    else this.room.writeDone = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.room.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.room.destroyed) this.room.destroy();
    callback(error);
  }
}
