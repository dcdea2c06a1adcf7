import { performance } from 'node:perf_hooks';

/** The shortest and the longest wait between two batches of the room's lines to one screen. */
const MIN_MS = 30;
const MAX_MS = 2000;
/**
 * Frames per second all the screens of the process may draw together: where the budget starts, and its
 * bounds. A frame costs a few ms, so a few hundred a second are what one thread can draw beside the chat.
 */
const START_FRAMES_PER_SECOND = 500;
const MAX_FRAMES_PER_SECOND = 1000;
/** How often the process's load is looked at. */
const SAMPLE_MS = 500;
/** Busier than this, screens are drawn less often; idler than RELAX_BELOW, more often again. */
const BACK_OFF_ABOVE = 0.8;
const RELAX_BELOW = 0.5;
const STEP = 1.5;

/**
 * How long the room's lines gather before a screen draws them, for every screen of the process. Drawing
 * a frame costs a few ms, so with many screens and a busy room, frames alone could take more than the
 * one thread has: then lines would wait in ever longer queues. The screens share a budget of frames per
 * second, so that each draws less often the more screens there are (a screen that opens or closes
 * changes every screen's pace at once). While the event loop is busier than BACK_OFF_ABOVE and the
 * screens draw about as much as the budget allows, the budget shrinks (every line still reaches every
 * screen, in larger batches); a loop kept busy by something else (a crowd of SSH handshakes, say) leaves
 * it alone, as fewer frames would not help. It grows back once the loop is idle enough.
 */
export class ScreenPacing {
  private framesPerSecond = START_FRAMES_PER_SECOND;
  private screens = 0;
  /** Batches the screens began since the load was last looked at: each is one frame. */
  private batches = 0;
  private readonly timer: NodeJS.Timeout;

  /** `busy`: the share of the last stretch the event loop was busy, 0 to 1; tests give their own. */
  constructor(private readonly busy: () => number = loopBusy()) {
    this.timer = setInterval(() => this.adjust(), SAMPLE_MS).unref();
  }

  get intervalMs(): number {
    const ms = (1000 * this.screens) / this.framesPerSecond;
    return Math.round(Math.min(MAX_MS, Math.max(MIN_MS, ms)));
  }

  /** How long a screen's next batch gathers lines: asked once per batch, so once per frame drawn. */
  batchMs(): number {
    this.batches += 1;
    return this.intervalMs;
  }

  /** Counts a screen in until the returned function is called. */
  addScreen(): () => void {
    this.screens += 1;
    let counted = true;
    return () => {
      if (counted) this.screens -= 1;
      counted = false;
    };
  }

  /** Looks at the load once; runs every SAMPLE_MS on its own. */
  adjust(): void {
    const busy = this.busy();
    const drawn = (this.batches * 1000) / SAMPLE_MS;
    this.batches = 0;
    // Beyond what the screens draw at the shortest and the longest wait, a budget would only take longer to
    // come back from.
    const least = Math.max(1, this.screens) * (1000 / MAX_MS);
    const most = Math.max(least, Math.min(MAX_FRAMES_PER_SECOND, (this.screens * 1000) / MIN_MS));
    const clamped = (fps: number) => Math.min(most, Math.max(least, fps));
    this.framesPerSecond = clamped(this.framesPerSecond);
    if (busy > BACK_OFF_ABOVE) {
      if (drawn >= this.framesPerSecond / 2)
        this.framesPerSecond = clamped(Math.min(drawn, this.framesPerSecond) / STEP);
    } else if (busy < RELAX_BELOW) this.framesPerSecond = clamped(this.framesPerSecond * STEP);
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
