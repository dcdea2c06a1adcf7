import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_CHARACTERS, formatAddr, isValidName, stripControlCharacters } from '../../src/protocol/index.js';
import { validName } from './arbitraries.js';

const NUM_RUNS = 500;

describe('isValidName', () => {
  it.each([
    'a',
    'bob',
    '张三',
    'Zed_01',
    'a-b.c',
    '_x',
    'Жора',
    'Іван',
    'ΙΩΑΝΝΗΣ',
    'أحمد',
    'علي١',
    '٣',
    '𠀀',
    'हिन्दी',
    'ภาษาไทย',
    'Tiếng',
    '佐々木',
    'می\u200cخواهم',
    'x'.repeat(32),
    '字'.repeat(32),
    '𠀀'.repeat(32),
  ])('accepts %j', (name) => expect(isValidName(name)).toBe(true));

  it.each([
    '',
    'x'.repeat(33),
    '字'.repeat(33),
    'a b',
    'a|b',
    'a:b',
    '[x',
    'x]',
    'tab\there',
    'nl\n',
    '\u001b[31m',
    'a\u0000',
    '😀',
    '127.0.0.1:5000',
    '[::1]:5000',
    '张三，',
    '张 三',
    'a/b',
  ])('refuses %j', (name) => expect(isValidName(name)).toBe(false));

  it.each(['.', '..', '-', '_', '_-.', '٫'])('refuses %j: no letter or digit', (name) => {
    expect(isValidName(name)).toBe(false);
  });

  it.each([
    ['a zero-width space', 'a\u200bb'],
    ['a zero-width space at the end', 'bob\u200b'],
    ['a Hangul filler', 'bob\u3164'],
    ['a Hangul filler alone', '\u3164'],
    ['the other fillers', '\u115f\u1160\uffa0'],
    ['a soft hyphen', 'bo\u00adb'],
    ['a variation selector', 'bob\ufe0f'],
    ['a word joiner', 'b\u2060ob'],
    ['a blank braille pattern', 'bob\u2800'],
    ['a bidi override', 'bob\u202e'],
    ['a right-to-left mark', 'bob\u200f'],
    ['a tag character', 'bob\u{e0041}'],
  ])('refuses a name holding %s', (_, name) => expect(isValidName(name)).toBe(false));

  it.each([
    ['U+02D0 ː, which made 127.0.0.1ː40000 pass for an addr', '127.0.0.1\u02d040000'],
    ['U+FF1A ：', 'a\uff1ab'],
    ['U+0589 ։', 'a\u0589b'],
    ['U+05C3 ׃', 'a\u05c3b'],
    ['U+2236 ∶', 'a\u2236b'],
    ['U+A789 ꞉', 'a\ua789b'],
    ['U+A4FD ꓽ', 'a\ua4fdb'],
    ['the Devanagari visarga ः', 'प्रातः'],
    ['fullwidth brackets', '\uff3bx\uff3d'],
    ['U+01C0 ǀ', 'bob\u01c0x'],
    ['U+01C0 ǀ alone', '\u01c0'],
    ['U+2223 ∣', 'a\u2223b'],
    ['U+05C0 ׀', 'a\u05c0b'],
    ['an Arabic-Indic one among Latin letters', 'bob\u0661'],
    ['Cyrillic palochka among Latin letters', 'bob\u04c0'],
  ])('refuses a look-alike of : [ ] or |: %s', (_, name) => expect(isValidName(name)).toBe(false));

  it('allows combining marks, but not as the first character, and only in NFC', () => {
    expect(isValidName('Jos\u00e9')).toBe(true);
    expect(isValidName('Jose\u0301')).toBe(false);
    expect(isValidName('\u0301a')).toBe(false);
    expect(isValidName('\u0939\u093f\u0928\u094d\u0926\u0940')).toBe(true);
  });

  it('counts code points, not UTF-16 units, bytes or graphemes', () => {
    expect(MAX_NAME_CHARACTERS).toBe(32);
    expect('𠀀'.repeat(32).length).toBe(64);
    expect(isValidName('𠀀'.repeat(32))).toBe(true);
    expect(isValidName('𠀀'.repeat(33))).toBe(false);
    expect(isValidName('हि'.repeat(16))).toBe(true);
    expect(isValidName('हि'.repeat(16) + 'x')).toBe(false);
  });

  it('accepts every name from the allowed alphabet up to 32 characters (property)', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(isValidName(name)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('refuses any name holding | : [ ] a space, a control or an invisible character (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 10 }),
        fc.constantFrom(
          ...['|', ':', '[', ']', ' ', '\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u009b'],
          ...['\u200b', '\u00ad', '\u3164', '\u2800', '\ufe0f', '\u202e', '\u2066', '\u02d0', '\uff1a', '\u01c0'],
        ),
        fc.string({ unit: 'binary', maxLength: 10 }),
        (before, bad, after) => {
          expect(isValidName(`${before}${bad}${after}`)).toBe(false);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('never throws on any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => typeof isValidName(name) === 'boolean'),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("formatAddr: Go's net.Addr.String()", () => {
  it.each([
    ['127.0.0.1', 50412, '127.0.0.1:50412'],
    ['10.0.0.254', 0, '10.0.0.254:0'],
    ['::1', 50412, '[::1]:50412'],
    ['fe80::1', 8888, '[fe80::1]:8888'],
    ['fe80::1%eth0', 8888, '[fe80::1%eth0]:8888'],
    ['2001:db8::42', 65535, '[2001:db8::42]:65535'],
    ['::ffff:127.0.0.1', 50412, '127.0.0.1:50412'],
    ['::FFFF:192.168.1.2', 7, '192.168.1.2:7'],
    ['::ffff:7f00:1', 1, '[::ffff:7f00:1]:1'],
    ['::', 1, '[::]:1'],
  ] as const)('%s port %i -> %s', (ip, port, expected) => {
    expect(formatAddr(ip, port)).toBe(expected);
  });

  it('writes any IPv4 as ip:port, plain or IPv4-mapped (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 0, max: 65535 }), (parts, port) => {
        const ip = parts.join('.');
        expect(formatAddr(ip, port)).toBe(`${ip}:${port}`);
        expect(formatAddr(`::ffff:${ip}`, port)).toBe(`${ip}:${port}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('stripControlCharacters', () => {
  const isBidiControl = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  const isControl = (c: number) => (c <= 0x1f && c !== 0x09) || (c >= 0x7f && c <= 0x9f) || isBidiControl(c);

  it('removes C0 except TAB, DEL and C1; keeps everything printable', () => {
    expect(stripControlCharacters('a\tb')).toBe('a\tb');
    expect(stripControlCharacters('\u0000\u0001\u0007\u0008\n\u000b\u000c\r\u001b\u001f')).toBe('');
    expect(stripControlCharacters('\u007f\u0080\u0085\u009b\u009f')).toBe('');
    expect(stripControlCharacters('\u00a0é张三😀 ~!|:[]')).toBe('\u00a0é张三😀 ~!|:[]');
    expect(stripControlCharacters('\u001b[2J\u001b[31mred\u0007\u0000\u009b1m')).toBe('[2J[31mred1m');
    expect(stripControlCharacters('\u001b]0;title\u0007x')).toBe(']0;titlex');
    expect(stripControlCharacters('')).toBe('');
  });

  it('removes the bidi embeddings, overrides and isolates; keeps the marks and the joiners', () => {
    expect(stripControlCharacters('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')).toBe('');
    expect(stripControlCharacters('invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(stripControlCharacters('\u2067שלום\u2069 bob')).toBe('שלום bob');
    expect(stripControlCharacters('שלום!\u200f \u200e\u061c')).toBe('שלום!\u200f \u200e\u061c');
    expect(stripControlCharacters('می\u200cخواهم 👩\u200d💻')).toBe('می\u200cخواهم 👩\u200d💻');
  });

  it('leaves no control character and removes nothing else, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)) }),
          fc.string({ unit: fc.integer({ min: 0x2020, max: 0x2070 }).map((c) => String.fromCharCode(c)) }),
        ),
        (text) => {
          const stripped = stripControlCharacters(text);
          const expected = [...text].filter((ch) => !isControl(ch.codePointAt(0)!)).join('');
          expect(stripped).toBe(expected);
          expect(stripped.includes('\u001b')).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = stripControlCharacters(text);
        expect(stripControlCharacters(once)).toBe(once);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
