import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/server/token-bucket.js';

/** A clock the test moves by hand, in milliseconds. */
function manualClock(startMs = 1_000) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance: (ms: number) => (nowMs += ms),
  };
}

function takeAll(bucket: TokenBucket): number {
  let taken = 0;
  while (bucket.tryTake()) taken += 1;
  return taken;
}

describe('TokenBucket', () => {
  it('allows a burst at once, then refuses', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(20, 40, clock.now);
    expect(takeAll(bucket)).toBe(40);
    expect(bucket.tryTake()).toBe(false);
  });

  it('refills at its rate: one token per 1/rate seconds', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(20, 40, clock.now);
    takeAll(bucket);
    clock.advance(49);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(500);
    expect(takeAll(bucket)).toBe(10);
  });

  it('keeps the fraction of a token earned between refused tries', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1, 1, clock.now);
    takeAll(bucket);
    for (let step = 0; step < 3; step++) {
      clock.advance(250);
      expect(bucket.tryTake()).toBe(false);
    }
    // 750 ms earned three quarters of a token and the refused tries spent none.
    clock.advance(125);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(125);
    expect(bucket.tryTake()).toBe(true);
  });

  it('holds no more than the burst however long it sat idle', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(20, 40, clock.now);
    takeAll(bucket);
    clock.advance(3_600_000);
    expect(takeAll(bucket)).toBe(40);
  });

  it('says how long until the next token, rounded up to a whole millisecond', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(3, 2, clock.now);
    expect(bucket.msUntilNextToken()).toBe(0);
    takeAll(bucket);
    expect(bucket.msUntilNextToken()).toBe(334);
    clock.advance(300);
    expect(bucket.msUntilNextToken()).toBe(34);
    clock.advance(34);
    expect(bucket.msUntilNextToken()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
  });

  it('never asks for a wait longer than a Node timer can hold', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1e-9, 1, clock.now);
    takeAll(bucket);
    expect(bucket.msUntilNextToken()).toBe(2 ** 31 - 1);
  });

  it('does not limit at a rate of 0, even with no burst', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(0, 0, clock.now);
    for (let index = 0; index < 1_000; index++) expect(bucket.tryTake()).toBe(true);
    expect(bucket.msUntilNextToken()).toBe(0);
  });
});
