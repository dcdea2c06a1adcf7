import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_BYTES, isCommandLike, splitText } from '../../src/protocol/index.js';

describe('what a client may send', () => {
  it('cuts text between graphemes, or between code points inside one too long for a piece', () => {
    const family = '👨‍👩‍👧';
    expect(splitText(`aaaaa${family}`, 20)).toEqual(['aaaaa', family]);
    const pieces = splitText(`a${family}`, 8)!;
    expect(pieces.join('')).toBe(`a${family}`);
    for (const piece of pieces) {
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(8);
      expect(Buffer.from(piece).toString('utf8')).toBe(piece);
    }
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText('abcdef', 3)).toBeUndefined();
  });

  it('keeps a piece of a long text from reading as a command', () => {
    for (const command of ['who', 'rename|x', 'to|bob|hi', '已上线']) expect(isCommandLike(command)).toBe(true);
    expect(isCommandLike('hello who')).toBe(false);
    const sneaky = 'a'.repeat(MAX_COMMAND_BYTES - 1) + 'rename|mallory';
    const pieces = splitText(sneaky, MAX_COMMAND_BYTES - 1, isCommandLike)!;
    expect(pieces.join('')).toBe(sneaky);
    expect(pieces.slice(1).some(isCommandLike)).toBe(false);
  });
});
