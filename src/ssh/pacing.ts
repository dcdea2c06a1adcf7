import { performance } from 'node:perf_hooks';

/** The shortest wait between two batches of the room's lines to one screen. */
const MIN_MS = 30;
const MAX_MS = 2000;
/** How often the process's load is looked at. */
const SAMPLE_MS = 500;
/** Busier than this, screens are drawn less often; idler than RELAX_BELOW, more often again. */
const BACK_OFF_ABOVE = 0.8;
const RELAX_BELOW = 0.5;

/**
 * How long the room's lines gather before a screen draws them, for every screen of the process. Drawing
 * a frame costs a few ms, so with many screens and a busy room, frames alone could take more than the
 * one thread has: then lines would wait in ever longer queues. Instead, while the event loop is busier
 * than BACK_OFF_ABOVE the batches grow (each screen draws less often, every line still reaches it), and
 * they shrink back once it is idle enough.
 */
export class ScreenPacing {
  private ms = MIN_MS;
  private readonly timer: NodeJS.Timeout;

  /** `busy`: the share of the last stretch the event loop was busy, 0 to 1; tests give their own. */
  constructor(private readonly busy: () => number = loopBusy()) {
    this.timer = setInterval(() => this.adjust(), SAMPLE_MS).unref();
  }

  get intervalMs(): number {
    return this.ms;
  }

  /** Looks at the load once; runs every SAMPLE_MS on its own. */
  adjust(): void {
    const busy = this.busy();
    if (busy > BACK_OFF_ABOVE) this.ms = Math.min(MAX_MS, this.ms * 1.5);
    else if (busy < RELAX_BELOW) this.ms = Math.max(MIN_MS, this.ms / 1.5);
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
