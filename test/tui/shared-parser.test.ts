import { afterEach, describe, expect, it, vi } from 'vitest';
import { replies } from '../../src/protocol/index.js';
import { SharedParser } from '../../src/tui/shared-parser.js';

const BOB = '127.0.0.1:5001';
const line = replies.public(BOB, 'bob', 'hello').trimEnd();

afterEach(() => vi.useRealTimers());

describe('SharedParser', () => {
  it('hands every client the same event for a line it saw a moment ago', () => {
    const parser = new SharedParser(2000);
    const event = parser.parse(line);
    expect(event).toEqual({ type: 'public', addr: BOB, name: 'bob', text: 'hello' });
    expect(parser.parse(line)).toBe(event);
    expect(parser.parse(replies.public(BOB, 'bob', 'bye').trimEnd())).not.toBe(event);
  });

  it('makes a new event for a line said again after twice its time, however often it was said between', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const parser = new SharedParser(2000);
    const first = parser.parse(line);
    vi.advanceTimersByTime(2500);
    expect(parser.parse(line)).toBe(first);
    vi.advanceTimersByTime(1000);
    expect(parser.parse(line)).toBe(first);
    vi.advanceTimersByTime(1000);
    const later = parser.parse(line);
    expect(later).not.toBe(first);
    expect(later).toEqual(first);
  });

  it('holds at most its bound of lines at a time', () => {
    const parser = new SharedParser(60_000, 3);
    const first = parser.parse(line);
    for (let index = 0; index < 6; index++) parser.parse(`${line} ${index}`);
    expect(parser.parse(line)).not.toBe(first);
  });
});
