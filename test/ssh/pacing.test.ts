import { afterEach, describe, expect, it } from 'vitest';
import { ScreenPacing, type ScreenSlot } from '../../src/ssh/pacing.js';

const made: ScreenPacing[] = [];
afterEach(() => {
  for (const pacing of made.splice(0)) pacing.stop();
});

const slots = new WeakMap<ScreenPacing, ScreenSlot[]>();

function pacingUnder(loads: number[], screens = 1): ScreenPacing {
  const pacing = new ScreenPacing(() => loads.shift() ?? 0);
  made.push(pacing);
  slots.set(
    pacing,
    Array.from({ length: screens }, () => pacing.addScreen()),
  );
  return pacing;
}

/** One look at the load after the screens drew as many frames as the budget let them in half a second. */
function adjustAfterDrawing(pacing: ScreenPacing, screens = 1): void {
  const frames = Math.ceil((screens * 500) / pacing.intervalMs);
  const [slot] = slots.get(pacing)!;
  for (let i = 0; i < frames; i++) slot!.gatherMs(-Infinity, 0);
  pacing.adjust();
}

describe('ScreenPacing', () => {
  it('draws every 30 ms while the process has time to spare', () => {
    const pacing = pacingUnder([0.1, 0.6, 0.7]);
    for (let i = 0; i < 3; i++) adjustAfterDrawing(pacing);
    expect(pacing.intervalMs).toBe(30);
  });

  it('gathers longer batches while the event loop is busy drawing, up to 2 s, and shrinks them once it is idle', () => {
    const pacing = pacingUnder([...Array<number>(40).fill(1), ...Array<number>(20).fill(0.1)]);
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      adjustAfterDrawing(pacing);
      seen.push(pacing.intervalMs);
    }
    // One screen: the second busy look in a row already draws less often, by as much as the loop is over
    // what it aims at (33 frames a second times 0.78 is 26: every 38 ms); the next look still saw some of
    // the old pace, so it takes two more.
    expect(seen.slice(0, 5)).toEqual([30, 38, 38, 49, 49]);
    expect(seen.every((ms, i) => i === 0 || ms >= seen[i - 1]!)).toBe(true);
    expect(pacing.intervalMs).toBe(2000);
    for (let i = 0; i < 20; i++) adjustAfterDrawing(pacing);
    expect(pacing.intervalMs).toBe(30);
  });

  it('leaves the frames alone when something else keeps the loop busy', () => {
    const pacing = pacingUnder(Array<number>(10).fill(1), 200);
    // SSH handshakes, say: the screens have nothing to draw.
    for (let i = 0; i < 10; i++) pacing.adjust();
    expect(pacing.intervalMs).toBe(200);
  });

  it('draws less often by as much as the loop is over its aim, a quarter at most', () => {
    const over = pacingUnder([0.9, 0.9], 200);
    for (let i = 0; i < 2; i++) adjustAfterDrawing(over, 200);
    // 1,000 frames a second for 200 screens (every 200 ms) times 0.78 / 0.9.
    expect(over.intervalMs).toBe(231);
    const full = pacingUnder([1, 1.5], 200);
    for (let i = 0; i < 2; i++) adjustAfterDrawing(full, 200);
    expect(full.intervalMs).toBe(267);
  });

  it('after drawing less often, waits for two busy looks at the new pace before drawing less often again', () => {
    const pacing = pacingUnder([0.95, 0.95, 0.95, 0.95], 200);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      adjustAfterDrawing(pacing, 200);
      seen.push(pacing.intervalMs);
    }
    // 1,000 frames a second times 0.78 / 0.95 is 821 (every 244 ms); the 820 then drawn times 0.821, 673.
    expect(seen).toEqual([200, 244, 244, 297]);
  });

  it('grows by as much as the loop has to spare, half again at most', () => {
    const busyThen = (load: number) => pacingUnder([1, 1, 1, 1, load], 200);
    for (const [load, growth] of [
      [0.5, 1.5],
      [0.6, 0.78 / 0.6],
    ] as const) {
      const pacing = busyThen(load);
      for (let i = 0; i < 4; i++) adjustAfterDrawing(pacing, 200);
      const before = pacing.intervalMs;
      adjustAfterDrawing(pacing, 200);
      expect(before / pacing.intervalMs).toBeCloseTo(growth, 1);
    }
  });

  it('leaves the pace alone for busy moments that do not last', () => {
    const pacing = pacingUnder([0.95, 0.8, 0.95, 0.8, 0.95], 200);
    const before = pacing.intervalMs;
    for (let i = 0; i < 5; i++) adjustAfterDrawing(pacing, 200);
    expect(pacing.intervalMs).toBe(before);
  });

  it('holds its pace between the two thresholds', () => {
    const pacing = pacingUnder([0.95, 0.95, 0.8, 0.75, 0.85]);
    adjustAfterDrawing(pacing);
    adjustAfterDrawing(pacing);
    const held = pacing.intervalMs;
    for (let i = 0; i < 3; i++) adjustAfterDrawing(pacing);
    expect(pacing.intervalMs).toBe(held);
  });

  it('starts again from the top once a busy spell is over', () => {
    const pacing = pacingUnder([...Array<number>(24).fill(1), 0.1], 200);
    for (let i = 0; i < 24; i++) adjustAfterDrawing(pacing, 200);
    expect(pacing.intervalMs).toBe(2000);
    adjustAfterDrawing(pacing, 200);
    expect(pacing.intervalMs).toBe(200);
  });

  it('shares a budget of frames among the screens: the more there are, the less often each draws', () => {
    const pacing = pacingUnder([], 10);
    expect(pacing.intervalMs).toBe(30);
    const more = Array.from({ length: 190 }, () => pacing.addScreen());
    // 200 screens share 1,000 frames a second before the load is known.
    expect(pacing.intervalMs).toBe(200);
    for (const slot of more) slot.release();
    expect(pacing.intervalMs).toBe(30);
  });

  it('counts a closed screen out once, however often it is told', () => {
    const pacing = pacingUnder([], 0);
    const { release } = pacing.addScreen();
    for (let i = 0; i < 99; i++) pacing.addScreen();
    release();
    release();
    expect(pacing.intervalMs).toBe(99);
  });

  it('spreads the screens over the interval: a line that reaches them all at once is drawn by a few at a time', () => {
    const pacing = pacingUnder([], 200);
    const interval = pacing.intervalMs;
    // A quiet room: every screen drew last long ago, and a broadcast arrives at 10 s.
    const waits = slots.get(pacing)!.map((slot) => slot.gatherMs(-Infinity, 10_000));
    expect(Math.max(...waits)).toBeLessThan(interval);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    const perTenth = Array<number>(10).fill(0);
    for (const wait of waits) perTenth[Math.floor((10 * wait) / interval)]! += 1;
    // 20 per tenth of the interval if even; drawing as soon as the line came, all 200 would be in the first.
    expect(Math.min(...perTenth)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...perTenth)).toBeLessThanOrEqual(25);
  });

  it('draws a busy screen once an interval, at its own phase', () => {
    const pacing = pacingUnder([], 200);
    const interval = pacing.intervalMs;
    const [first, second] = slots.get(pacing)!;
    let drawnAt = 5_000 + first!.gatherMs(-Infinity, 5_000);
    const phase = drawnAt % interval;
    for (let frame = 0; frame < 20; frame++) {
      // Lines keep coming: the next arrives just after each frame.
      const next = drawnAt + 1 + first!.gatherMs(drawnAt, drawnAt + 1);
      expect(next - drawnAt).toBeCloseTo(interval, 6);
      drawnAt = next;
    }
    expect(drawnAt % interval).toBeCloseTo(phase, 6);
    expect((5_000 + second!.gatherMs(-Infinity, 5_000)) % interval).not.toBeCloseTo(phase, 0);
  });
});
