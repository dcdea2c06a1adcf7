import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESENCE, isPresenceWord } from '../../src/protocol/index.js';

const NUM_RUNS = 500;

/** Characters that draw nothing: format characters, fillers, the soft hyphen, selectors, bidi controls. */
const INVISIBLES = [
  ...['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u034f', '\u180e', '\u061c'],
  ...['\u3164', '\u115f', '\u1160', '\uffa0', '\u2800', '\ufe0f', '\ufe00', '\u{e0041}', '\u{e0001}'],
  ...['\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'],
] as const;
const SPACES = [' ', '\t', '\u00a0', '\u3000', '\u2003', '\u202f'] as const;

const invisible = fc.constantFrom(...INVISIBLES);

/** The text with invisible characters put anywhere in it: before, between and after its characters. */
const withInvisibles = (text: string) =>
  fc
    .array(fc.array(invisible, { maxLength: 3 }), { minLength: [...text].length + 1, maxLength: [...text].length + 1 })
    .map((runs) => [...text].map((character, i) => runs[i]!.join('') + character).join('') + runs.at(-1)!.join(''));

describe('isPresenceWord', () => {
  const words = Object.values(PRESENCE);

  it.each(words)('reserves %j exactly', (word) => expect(isPresenceWord(word)).toBe(true));

  it.each([
    '下线\u200b',
    '下线 ',
    '下线\t',
    '\u200b已上线',
    '已上线\u3164',
    '下线\u00ad',
    ' 在线... ',
    '在线…',
    '下\u2060线',
  ])('reserves %j, which looks the same', (text) => expect(isPresenceWord(text)).toBe(true));

  it.each(['', '下', '下线了', '下 线', '已上线!', '在线..', '上线', 'hello 下线'])('lets %j through', (text) => {
    expect(isPresenceWord(text)).toBe(false);
  });

  it('reserves a presence word with any invisible characters and surrounding spaces (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...words).chain((word) => withInvisibles(word)),
        fc.array(fc.constantFrom(...SPACES), { maxLength: 3 }),
        fc.array(fc.constantFrom(...SPACES), { maxLength: 3 }),
        (word, before, after) => {
          expect(isPresenceWord(`${before.join('')}${word}${after.join('')}`)).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('lets a presence word through once a visible character is added (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...words), fc.constantFrom(...'了!?a1张'), fc.boolean(), (word, extra, first) => {
        expect(isPresenceWord(first ? extra + word : word + extra)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
