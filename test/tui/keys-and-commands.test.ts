import { describe, expect, it } from 'vitest';
import { intentOf } from '../../src/tui/commands.js';
import { decodeKey, decodeKeys } from '../../src/tui/keys.js';

const publicMode = { kind: 'public' } as const;
const privateMode = { kind: 'private', target: { name: 'bob' } } as const;

describe('keys', () => {
  it('decodes the keys the app uses', () => {
    expect(decodeKey('\x1bOP')).toEqual({ name: 'f1' });
    expect(decodeKey('\x1b[13~')).toEqual({ name: 'f3' });
    expect(decodeKey('\x1b[5~')).toEqual({ name: 'pageUp' });
    expect(decodeKey('\x1b[1;5A')).toEqual({ name: 'up' });
    expect(decodeKey('\x1b2')).toEqual({ name: 'alt', char: '2' });
    expect(decodeKey('\x12')).toEqual({ name: 'ctrl', letter: 'r' });
    expect(decodeKey('\r')).toEqual({ name: 'return' });
    expect(decodeKey('\x7f')).toEqual({ name: 'backspace' });
    expect(decodeKey('你好')).toEqual({ name: 'text', text: '你好' });
  });

  it('splits a run of input into one key per control character, whatever arrived together', () => {
    expect(decodeKeys('hi bo\t')).toEqual([{ name: 'text', text: 'hi bo' }, { name: 'tab' }]);
    expect(decodeKeys('a\tb')).toEqual([{ name: 'text', text: 'a' }, { name: 'tab' }, { name: 'text', text: 'b' }]);
    expect(decodeKeys('abc\x7f\x7f')).toEqual([
      { name: 'text', text: 'abc' },
      { name: 'backspace' },
      { name: 'backspace' },
    ]);
    expect(decodeKeys('x\x03')).toEqual([
      { name: 'text', text: 'x' },
      { name: 'ctrl', letter: 'c' },
    ]);
    expect(decodeKeys('\t')).toEqual([{ name: 'tab' }]);
    expect(decodeKeys('\x1b[A')).toEqual([{ name: 'up' }]);
  });

  it('splits pasted text at its line ends into text and Enter keys', () => {
    expect(decodeKeys('one\r\ntwo\rthree')).toEqual([
      { name: 'text', text: 'one' },
      { name: 'return' },
      { name: 'text', text: 'two' },
      { name: 'return' },
      { name: 'text', text: 'three' },
    ]);
  });
});

describe('IRC habits', () => {
  it('knows /me, /ignore, /unignore, /clear, /joins and /seconds', () => {
    expect(intentOf('/me waves at all', publicMode)).toEqual({ kind: 'me', text: 'waves at all' });
    expect(intentOf('/me', publicMode)).toEqual({ kind: 'error', note: { key: 'usage', command: 'me' } });
    expect(intentOf('/ignore bob', publicMode)).toEqual({ kind: 'ignore', name: 'bob' });
    expect(intentOf('/unignore bob', publicMode)).toEqual({ kind: 'unignore', name: 'bob' });
    expect(intentOf('/unignore', publicMode)).toEqual({ kind: 'unignore', name: undefined });
    expect(intentOf('/clear', publicMode)).toEqual({ kind: 'clear' });
    expect(intentOf('/joins', publicMode)).toEqual({ kind: 'toggle', setting: 'joins' });
    expect(intentOf('/seconds', publicMode)).toEqual({ kind: 'toggle', setting: 'seconds' });
  });
});

describe('submitted lines', () => {
  it('take the mode’s meaning', () => {
    expect(intentOf('hi', publicMode)).toEqual({ kind: 'public', text: 'hi' });
    expect(intentOf('hi', privateMode)).toEqual({ kind: 'private', to: 'bob', text: 'hi' });
    expect(intentOf('新名字', { kind: 'rename' })).toEqual({ kind: 'rename', name: '新名字' });
    expect(intentOf('bad|name', { kind: 'rename' })).toEqual({ kind: 'error', note: { key: 'invalidName' } });
    expect(intentOf('   ', publicMode)).toEqual({ kind: 'none' });
  });

  it('understand IRC-style commands in any mode', () => {
    expect(intentOf('/msg carol hello there', privateMode)).toEqual({
      kind: 'private',
      to: 'carol',
      text: 'hello there',
    });
    expect(intentOf('/msg carol', publicMode)).toEqual({ kind: 'error', note: { key: 'usage', command: 'msg' } });
    expect(intentOf('/nick 张三', publicMode)).toEqual({ kind: 'rename', name: '张三' });
    expect(intentOf('/who', publicMode)).toEqual({ kind: 'who' });
    expect(intentOf('/help', publicMode)).toEqual({ kind: 'help' });
    expect(intentOf('/quit', publicMode)).toEqual({ kind: 'quit' });
    expect(intentOf('/frob', publicMode)).toEqual({ kind: 'error', note: { key: 'unknownCommand', command: '/frob' } });
    expect(intentOf('//not a command', privateMode)).toEqual({
      kind: 'private',
      to: 'bob',
      text: '/not a command',
    });
  });
});
