import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESENCE, isPresenceWord, nameKey } from '../../src/protocol/index.js';
import { validName } from './arbitraries.js';

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

describe('nameKey', () => {
  it.each([
    ['Bob', 'upper case'],
    ['BOB', 'upper case'],
    ['b\u043eb', 'a Cyrillic о'],
    ['b\u03bfb', 'a Greek ο'],
    ['bob\u200b', 'a zero-width space'],
    ['bob\u3164', 'a Hangul filler'],
    ['\u00adbob', 'a soft hyphen'],
    ['ｂｏｂ', 'fullwidth letters'],
    ['𝐛𝐨𝐛', 'mathematical bold letters'],
    ['b0b', 'a zero for the o'],
  ])('%j (%s) has the key of bob', (name) => {
    expect(nameKey(name)).toBe(nameKey('bob'));
  });

  it('gives the NFC and NFD forms one key', () => {
    expect(nameKey('Jos\u00e9')).toBe(nameKey('Jose\u0301'));
    expect(nameKey('\uac00')).toBe(nameKey('\u1100\u1161'));
  });

  it('folds look-alikes across case folding: 1 with l, 0 with o, m with rn', () => {
    expect(nameKey('alice')).toBe(nameKey('a1ice'));
    expect(nameKey('B0B')).toBe(nameKey('bob'));
    expect(nameKey('m')).toBe(nameKey('rn'));
  });

  it('keeps different names apart', () => {
    const names = [
      'bob',
      'bobby',
      'alice',
      '张三',
      '张四',
      'हिन्दी',
      'ภาษาไทย',
      'Жора',
      'x',
      'y',
      'b.o.b',
      'b-o-b',
      'b_o_b',
    ];
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
  });

  it('gives every text far too long to be a name one key that no name has', () => {
    const long = 'b\u043eb'.repeat(200);
    expect(nameKey(long)).toBe(nameKey('x'.repeat(4000)));
    expect(nameKey(long)).not.toBe(nameKey('bob'));
    expect(nameKey(long)).not.toBe(nameKey('x'.repeat(32)));
    expect(nameKey(`${'\u200b'.repeat(4000)}bob`)).toBe(nameKey('bob'));
    expect(nameKey(nameKey(long))).toBe(nameKey(long));
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.oneof(validName, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const key = nameKey(text);
        expect(nameKey(key)).toBe(key);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('gives a name its key in NFD, upper or lower case and with invisible characters anywhere (property)', () => {
    fc.assert(
      fc.property(
        validName.chain((name) => fc.tuple(fc.constant(name), withInvisibles(name))),
        ([name, padded]) => {
          const key = nameKey(name);
          expect(nameKey(name.normalize('NFD'))).toBe(key);
          expect(nameKey(name.toUpperCase())).toBe(key);
          expect(nameKey(name.toLowerCase())).toBe(key);
          expect(nameKey(padded)).toBe(key);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

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
