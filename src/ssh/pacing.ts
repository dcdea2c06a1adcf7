import { performance } from 'node:perf_hooks';

/** The shortest and the longest interval between two batches of the room's lines to one screen. */
const MIN_INTERVAL_MS = 30;
const MAX_INTERVAL_MS = 2000;
/**
 * The longest a batch can gather: a screen waits for its phase, at least half an interval after its last
 * frame, so up to one and a half intervals when the interval has just changed.
 */
export const LONGEST_GATHER_MS = 1.5 * MAX_INTERVAL_MS;
/**
 * Frames per second all the screens of the process may draw together, at most: a frame costs under a
 * millisecond, and the room's lines cost each screen too. The budget starts here, and comes back here
 * whenever the loop is nearly idle: a quiet server draws its screens as often as it may.
 */
const MAX_FRAMES_PER_SECOND = 1000;
/** Spreads the screens' phases evenly over any interval: each next phase falls in the widest gap left. */
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;
/** How often the process's load is looked at. */
const SAMPLE_MS = 500;
/**
 * Busier than this (at two looks in a row), screens are drawn less often; idler than RELAX_BELOW, more
 * often again; in between the pace holds, as every change of pace moves every screen's phase, and a moved
 * phase can keep a batch waiting for one and a half intervals. Frames take what the room's lines leave of
 * the loop, but not all of it: a loop kept full makes every line wait in its queue.
 */
const BACK_OFF_ABOVE = 0.88;
const RELAX_BELOW = 0.68;
/** Idler than this, whatever pushed the budget down is over: it starts again from the top. */
const IDLE_BELOW = 0.3;
/**
 * Each step aims at AIM busy, as if frames were all the load: down by as much as the loop is over it, a
 * quarter at most (frames are not all the load); up by as much as the loop has to spare, half again at
 * most (a budget far below what the loop can draw would otherwise take many seconds to come back).
 */
const AIM = 0.78;
const MOST_SHRINK = 0.75;
const MAX_GROW = 1.5;

/**
 * How long the room's lines gather before a screen draws them, for every screen of the process. Drawing
 * a frame costs up to a millisecond, so with many screens and a busy room, frames alone could take more
 * than the one thread has: then lines would wait in ever longer queues. The screens share a budget of
 * frames per second, so that each draws less often the more screens there are (a screen that opens or
 * closes changes every screen's pace at once). While the event loop is busier than BACK_OFF_ABOVE at two
 * looks in a row and the screens draw at least half of what the budget allows, the budget shrinks (every
 * line still reaches every screen, in larger batches), and only two more such looks at the new pace shrink
 * it again; a loop kept busy by something else (a crowd of SSH handshakes, say) leaves it alone, as fewer
 * frames would not help. It grows back while the loop has time to spare, and starts again from the top
 * once the loop is nearly idle (whatever pushed it down is over).
 *
 * Each screen draws at its own phase of the interval: a broadcast reaches every screen at the same
 * moment, and screens that drew as soon as it came would all draw at once, in one burst that keeps the
 * loop busy for (screens × a frame) and then leaves it idle, and the last screen of the burst would show
 * the line long after the first.
 */
export class ScreenPacing {
  private framesPerSecond = MAX_FRAMES_PER_SECOND;
  private screens = 0;
  private screensAdded = 0;
  /** Whether the last look found the loop busier than BACK_OFF_ABOVE, and the budget was not shrunk for it. */
  private wasBusy = false;
  /** Batches the screens began since the load was last looked at: each is one frame. */
  private batches = 0;
  private readonly timer: NodeJS.Timeout;

  /** `busy`: the share of the last stretch the event loop was busy, 0 to 1; tests give their own. */
  constructor(private readonly busy: () => number = loopBusy()) {
    this.timer = setInterval(() => this.adjust(), SAMPLE_MS).unref();
  }

  get intervalMs(): number {
    const ms = (1000 * this.screens) / this.framesPerSecond;
    return Math.round(Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms)));
  }

  /** Counts a screen in, at a phase of its own, until its slot is released. */
  addScreen(): ScreenSlot {
    this.screens += 1;
    const phase = (this.screensAdded++ * GOLDEN_RATIO_FRACTION) % 1;
    let counted = true;
    return {
      gatherMs: (lastAt, now) => this.gatherMs(phase, lastAt, now),
      release: () => {
        if (counted) this.screens -= 1;
        counted = false;
      },
    };
  }

  /** The wait until the screen's next time at its phase, at least half an interval after its last frame. */
  private gatherMs(phase: number, lastAt: number, now: number): number {
    this.batches += 1;
    const interval = this.intervalMs;
    const earliest = Math.max(now, lastAt + interval / 2);
    const offset = phase * interval;
    return Math.ceil((earliest - offset) / interval) * interval + offset - now;
  }

  /** Looks at the load once; runs every SAMPLE_MS on its own. */
  adjust(): void {
    const busy = this.busy();
    const drawn = (this.batches * 1000) / SAMPLE_MS;
    this.batches = 0;
    // Beyond what the screens draw at the shortest and the longest wait, a budget would only take longer to
    // come back from.
    const least = Math.max(1, this.screens) * (1000 / MAX_INTERVAL_MS);
    const most = Math.max(least, Math.min(MAX_FRAMES_PER_SECOND, (this.screens * 1000) / MIN_INTERVAL_MS));
    const clamped = (fps: number) => Math.min(most, Math.max(least, fps));
    this.framesPerSecond = clamped(this.framesPerSecond);
    // Busy at two looks in a row: one busy moment (a few handshakes, the first frames when a room wakes)
    // would cost seconds of slower frames to come back from.
    const wasBusy = this.wasBusy;
    this.wasBusy = busy > BACK_OFF_ABOVE;
    if (busy > BACK_OFF_ABOVE) {
      if (wasBusy && drawn >= this.framesPerSecond / 2) {
        this.framesPerSecond = clamped(Math.min(drawn, this.framesPerSecond) * Math.max(MOST_SHRINK, AIM / busy));
        // The next look may still see the old pace (a batch already gathering keeps its wait): only two
        // more busy looks shrink it again.
        this.wasBusy = false;
      }
    } else if (busy < IDLE_BELOW) this.framesPerSecond = MAX_FRAMES_PER_SECOND;
    else if (busy < RELAX_BELOW) this.framesPerSecond = clamped(this.framesPerSecond * Math.min(MAX_GROW, AIM / busy));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function loopBusy(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/** One screen's place in the shared pace. */
export interface ScreenSlot {
  /**
   * How long lines that reach the screen at `now` gather before it draws them, its last frame having
   * been drawn at `lastAt` (both in performance.now() ms). Asked once per batch, so once per frame drawn.
   */
  gatherMs(lastAt: number, now: number): number;
  /** Counts the screen out; once, however often it is called. */
  release(): void;
}
