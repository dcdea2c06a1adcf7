import { describe, expect, it } from 'vitest';
import { until } from './until.js';

describe('until', () => {
  it('returns once the condition holds, trying again in between', async () => {
    let tries = 0;
    await until(() => ++tries === 3, { everyMs: 1 });
    expect(tries).toBe(3);
  });

  it('waits for a probe that answers later', async () => {
    let tries = 0;
    await until(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return ++tries === 2;
    });
    expect(tries).toBe(2);
  });

  it('fails after its time, saying what it waited for and what it saw', async () => {
    await expect(
      until(() => false, { timeoutMs: 30, everyMs: 5, what: 'the answer', seen: () => 'only questions' }),
    ).rejects.toThrow('timed out after 30 ms waiting for the answer; last seen:\nonly questions');
  });

  it('takes a block of assertions, and reports the last one that failed', async () => {
    let value = 0;
    await until(() => expect(++value).toBe(2), { everyMs: 1 });
    await expect(until(() => expect(value).toBe(3), { timeoutMs: 30, everyMs: 5 })).rejects.toThrow(
      'expected 2 to be 3',
    );
  });
});
