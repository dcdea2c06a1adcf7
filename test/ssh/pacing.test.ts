import { afterEach, describe, expect, it } from 'vitest';
import { ScreenPacing } from '../../src/ssh/pacing.js';

const made: ScreenPacing[] = [];
afterEach(() => {
  for (const pacing of made.splice(0)) pacing.stop();
});

function pacingUnder(loads: number[]): ScreenPacing {
  const pacing = new ScreenPacing(() => loads.shift() ?? 0);
  made.push(pacing);
  return pacing;
}

describe('ScreenPacing', () => {
  it('draws every 30 ms while the process has time to spare', () => {
    const pacing = pacingUnder([0.1, 0.6, 0.7]);
    for (let i = 0; i < 3; i++) pacing.adjust();
    expect(pacing.intervalMs).toBe(30);
  });

  it('gathers longer batches while the event loop is busy, up to 2 s, and shrinks them once it is idle', () => {
    const pacing = pacingUnder([...Array<number>(20).fill(0.95), ...Array<number>(20).fill(0.1)]);
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      pacing.adjust();
      seen.push(pacing.intervalMs);
    }
    expect(seen[0]).toBe(45);
    expect(seen.every((ms, i) => i === 0 || ms >= seen[i - 1]!)).toBe(true);
    expect(pacing.intervalMs).toBe(2000);
    for (let i = 0; i < 20; i++) pacing.adjust();
    expect(pacing.intervalMs).toBe(30);
  });

  it('holds its pace between the two thresholds', () => {
    const pacing = pacingUnder([0.95, 0.95, 0.7, 0.6, 0.7]);
    pacing.adjust();
    pacing.adjust();
    const held = pacing.intervalMs;
    for (let i = 0; i < 3; i++) pacing.adjust();
    expect(pacing.intervalMs).toBe(held);
  });
});
