import { describe, expect, it } from 'vitest';
import { Fanout } from '../../../src/server/delivery/fanout.js';

const text = (buffers: Buffer[] | Buffer | undefined) =>
  buffers === undefined ? '' : Buffer.concat(Array.isArray(buffers) ? buffers : [buffers]).toString();

describe('Fanout', () => {
  it('gives everyone online the whole round as one shared buffer', () => {
    const fanout = new Fanout();
    const alice = {};
    const bob = {};
    fanout.joined(alice);
    fanout.joined(bob);
    fanout.publish('one\n');
    fanout.publish('two\n');
    const round = fanout.endRound();
    const forAlice = round.take(alice);
    expect(text(forAlice)).toBe('one\ntwo\n');
    expect(round.take(bob)).toBe(forAlice);
    expect(round.take(alice)).toBeUndefined();
  });

  it('owes a member nothing published before it joined', () => {
    const fanout = new Fanout();
    const alice = {};
    const bob = {};
    fanout.joined(alice);
    fanout.publish('before\n');
    fanout.joined(bob);
    fanout.publish('after\n');
    expect(fanout.unsentBytes(bob)).toBe('after\n'.length);
    const round = fanout.endRound();
    expect(text(round.take(alice))).toBe('before\nafter\n');
    expect(text(round.take(bob))).toBe('after\n');
  });

  it('hands over owed lines early, and the flush then gives only the rest', () => {
    const fanout = new Fanout();
    const alice = {};
    fanout.joined(alice);
    fanout.publish('one\n');
    expect(text(fanout.takeUnsent(alice))).toBe('one\n');
    expect(fanout.unsentBytes(alice)).toBe(0);
    fanout.publish('two\n');
    expect(text(fanout.endRound().take(alice))).toBe('two\n');
  });

  it('starts each round empty and tells its listener of every publish', () => {
    const fanout = new Fanout();
    const alice = {};
    fanout.joined(alice);
    let published = 0;
    fanout.onPublish(() => (published += 1));
    fanout.publish('x\n');
    expect(text(fanout.endRound().take(alice))).toBe('x\n');
    expect(fanout.endRound().take(alice)).toBeUndefined();
    expect(published).toBe(1);
  });

  it('owes an arriving member nothing, across rounds, until it joins', () => {
    const fanout = new Fanout();
    const alice = {};
    const bob = {};
    fanout.joined(alice);
    fanout.arriving(bob);
    fanout.publish('one\n');
    const first = fanout.endRound();
    expect(first.take(bob)).toBeUndefined();
    expect(fanout.takeUnsent(bob)).toEqual([]);
    fanout.publish('two\n');
    expect(fanout.unsentBytes(bob)).toBe(0);
    fanout.joined(bob);
    fanout.publish('welcome\n');
    const second = fanout.endRound();
    expect(text(second.take(alice))).toBe('two\nwelcome\n');
    expect(text(second.take(bob))).toBe('welcome\n');
  });
});
