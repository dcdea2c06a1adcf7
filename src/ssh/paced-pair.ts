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
 * An in-process connection between a chat session (the room's end) and what serves one SSH user (the
 * screen's end: the app that draws a pty's screen, or the channel of a user without one). What the
 * room's end writes reaches the screen's end when `gatherMs` says (asked anew for each chunk), gathered
 * into one chunk: a burst of lines costs the screen one update, or the channel one packet, not one each.
 * A screen's end that is not read holds the room's writes back, so a user who does not take what it is
 * sent fills the session's queue, which the chat server bounds as for any slow member.
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
  /** The screen's end holds as much as it will take until it is read: writes wait until it is. */
  private screenFull = false;

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
    if (this.pendingBytes < HIGH_WATER_BYTES && !this.screenFull) callback();
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

  /** The screen's end was read: it takes more again. */
  screenRead(): void {
    if (!this.screenFull) return;
    this.screenFull = false;
    this.release();
  }

  private release(): void {
    const held = this.held;
    this.held = undefined;
    held?.();
  }

  private deliver(): void {
    this.timer = undefined;
    this.deliveredAt = performance.now();
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.screen.destroyed) this.screenFull = !this.screen.push(bytes);
    if (!this.screenFull) this.release();
    this.ending?.();
  }
}

class ScreenEnd extends Duplex {
  constructor(private readonly room: RoomEnd) {
    super();
  }

  override _read(): void {
    this.room.screenRead();
  }

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
