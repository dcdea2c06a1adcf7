import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitGraphemes } from '../../src/tui/text.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const whole = (text: string) => Array.from(segmenter.segment(text), (part) => part.segment);

// Characters made of several units, and runs whose pairing depends on what came before (flags).
const pieces = [
  'a',
  ' ',
  '中',
  'é',
  'e\u0301',
  'e\u0301\u0302\u0303',
  '👍',
  '👍🏽',
  '👨‍👩‍👧',
  '🇫🇷',
  '\u{1F1EB}',
  '\u200d',
  '\r\n',
  '\ud83d',
  'ก\u0e33',
  '각',
  '\u1100\u1161\u11a8',
];

describe('splitGraphemes', () => {
  it('splits any text as the segmenter does on the whole of it, however long', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 100, maxLength: 600 }).map((parts) => parts.join('')),
        (text) => {
          expect(splitGraphemes(text)).toEqual(whole(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits a long text in time that grows with its length', () => {
    // Segmented whole, 16,000 of these took seconds.
    const text = '👨‍👩‍👧'.repeat(16_000);
    const started = performance.now();
    expect(splitGraphemes(text)).toHaveLength(16_000);
    expect(performance.now() - started).toBeLessThan(1000);
    // One character longer than the window is still one character.
    const zalgo = `a${'\u0301'.repeat(1000)}b`;
    expect(splitGraphemes(zalgo)).toEqual(whole(zalgo));
  });
});
