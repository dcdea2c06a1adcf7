import { describe, expect, it } from 'vitest';
import { decodeKey, decodeKeys, type Key } from '../../src/tui/keys.js';

/** What terminals send for each named key: xterm, VT100 application mode, rxvt and the Linux console. */
const NAMED: Array<[string, Key['name']]> = [
  ['\r', 'return'],
  ['\n', 'return'],
  ['\t', 'tab'],
  ['\x1b[Z', 'shiftTab'],
  ['\x7f', 'backspace'],
  ['\b', 'backspace'],
  ['\x1b\x7f', 'backspace'],
  ['\x1b[3~', 'delete'],
  ['\x1b', 'escape'],
  ['\x1b\x1b', 'escape'],
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[C', 'right'],
  ['\x1bOC', 'right'],
  ['\x1b[D', 'left'],
  ['\x1bOD', 'left'],
  ['\x1b[5~', 'pageUp'],
  ['\x1b[[5~', 'pageUp'],
  ['\x1b[6~', 'pageDown'],
  ['\x1b[[6~', 'pageDown'],
  ['\x1b[H', 'home'],
  ['\x1bOH', 'home'],
  ['\x1b[1~', 'home'],
  ['\x1b[7~', 'home'],
  ['\x1b[F', 'end'],
  ['\x1bOF', 'end'],
  ['\x1b[4~', 'end'],
  ['\x1b[8~', 'end'],
  ['\x1bOP', 'f1'],
  ['\x1b[11~', 'f1'],
  ['\x1b[[A', 'f1'],
  ['\x1bOQ', 'f2'],
  ['\x1b[12~', 'f2'],
  ['\x1b[[B', 'f2'],
  ['\x1bOR', 'f3'],
  ['\x1b[13~', 'f3'],
  ['\x1b[[C', 'f3'],
  ['\x1bOS', 'f4'],
  ['\x1b[14~', 'f4'],
  ['\x1b[[D', 'f4'],
];

describe('decodeKey', () => {
  it.each(NAMED)('decodes %j as %s', (sequence, name) => {
    expect(decodeKey(sequence)).toEqual({ name });
  });

  it('treats cursor keys with Shift, Alt or Ctrl as the plain key', () => {
    expect(decodeKey('\x1b[1;5A')).toEqual({ name: 'up' });
    expect(decodeKey('\x1b[1;2B')).toEqual({ name: 'down' });
    expect(decodeKey('\x1b[1;3C')).toEqual({ name: 'right' });
    expect(decodeKey('\x1b[1;5D')).toEqual({ name: 'left' });
    expect(decodeKey('\x1b[1;2H')).toEqual({ name: 'home' });
    expect(decodeKey('\x1b[1;10F')).toEqual({ name: 'end' });
  });

  it('decodes Ctrl with a letter, from Ctrl+A to Ctrl+Z, except the ones that are named keys', () => {
    expect(decodeKey('\x01')).toEqual({ name: 'ctrl', letter: 'a' });
    expect(decodeKey('\x03')).toEqual({ name: 'ctrl', letter: 'c' });
    expect(decodeKey('\x12')).toEqual({ name: 'ctrl', letter: 'r' });
    expect(decodeKey('\x1a')).toEqual({ name: 'ctrl', letter: 'z' });
    // Ctrl+H, Ctrl+I, Ctrl+J and Ctrl+M are what Backspace, Tab and Enter send.
    expect(decodeKey('\x08')).toEqual({ name: 'backspace' });
    expect(decodeKey('\x09')).toEqual({ name: 'tab' });
    expect(decodeKey('\x0a')).toEqual({ name: 'return' });
    expect(decodeKey('\x0d')).toEqual({ name: 'return' });
  });

  it('decodes Alt with one character, wide ones and emoji included', () => {
    expect(decodeKey('\x1ba')).toEqual({ name: 'alt', char: 'a' });
    expect(decodeKey('\x1b1')).toEqual({ name: 'alt', char: '1' });
    expect(decodeKey('\x1b你')).toEqual({ name: 'alt', char: '你' });
    expect(decodeKey('\x1b😀')).toEqual({ name: 'alt', char: '😀' });
  });

  it('calls sequences it does not know unknown, never text', () => {
    expect(decodeKey('\x1b[99~')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x1b[1;5Q')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x1bab')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x1b\x01')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x00')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x1c')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x1f')).toEqual({ name: 'unknown' });
    expect(decodeKey('\x01\x02')).toEqual({ name: 'unknown' });
  });

  it('keeps a run of text whole, line ends and tabs included (decodeKeys splits it into keys)', () => {
    expect(decodeKey('a')).toEqual({ name: 'text', text: 'a' });
    expect(decodeKey(' ')).toEqual({ name: 'text', text: ' ' });
    expect(decodeKey('你好')).toEqual({ name: 'text', text: '你好' });
    expect(decodeKey('👍🏽')).toEqual({ name: 'text', text: '👍🏽' });
    expect(decodeKey('one\ntwo')).toEqual({ name: 'text', text: 'one\ntwo' });
    expect(decodeKey('one\r\ntwo\r')).toEqual({ name: 'text', text: 'one\r\ntwo\r' });
    expect(decodeKey('a\tb')).toEqual({ name: 'text', text: 'a\tb' });
  });
});

describe('decodeKeys', () => {
  const text = (value: string): Key => ({ name: 'text', text: value });
  const enter: Key = { name: 'return' };

  it('passes a key alone or plain text through as it is', () => {
    expect(decodeKeys('\x1b[A')).toEqual([{ name: 'up' }]);
    expect(decodeKeys('\x03')).toEqual([{ name: 'ctrl', letter: 'c' }]);
    expect(decodeKeys('no line end')).toEqual([text('no line end')]);
  });

  it('turns each line end, CR, LF or CRLF, into one Enter', () => {
    expect(decodeKeys('one\ntwo')).toEqual([text('one'), enter, text('two')]);
    expect(decodeKeys('one\rtwo')).toEqual([text('one'), enter, text('two')]);
    expect(decodeKeys('one\r\ntwo')).toEqual([text('one'), enter, text('two')]);
    expect(decodeKeys('one\r\r\ntwo')).toEqual([text('one'), enter, enter, text('two')]);
  });

  it('keeps empty lines as Enters with no text between them', () => {
    expect(decodeKeys('one\n')).toEqual([text('one'), enter]);
    expect(decodeKeys('\none')).toEqual([enter, text('one')]);
    expect(decodeKeys('one\n\n\ntwo')).toEqual([text('one'), enter, enter, enter, text('two')]);
    expect(decodeKeys('\r\n')).toEqual([enter]);
  });
});
