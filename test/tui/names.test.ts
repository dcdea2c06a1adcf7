import { describe, expect, it } from 'vitest';
import { isValidName } from '../../src/protocol/index.js';
import { defaultName, nextFreeName } from '../../src/tui/names.js';

describe('names from the start', () => {
  it('takes the login name when the server would accept it', () => {
    expect(defaultName({ USER: 'alice' })).toBe('alice');
    expect(defaultName({ LOGNAME: 'bob' })).toBe('bob');
    expect(defaultName({ USER: 'has space' })).toBeUndefined();
    expect(defaultName({})).toBeUndefined();
  });

  it('numbers a taken name, and keeps it a valid name however long', () => {
    expect(nextFreeName('alice', 2)).toBe('alice-2');
    const long = 'x'.repeat(32);
    expect(nextFreeName(long, 12)).toBe(`${'x'.repeat(29)}-12`);
    expect(isValidName(nextFreeName(long, 12))).toBe(true);
    expect(nextFreeName('张'.repeat(32), 3)).toBe(`${'张'.repeat(30)}-3`);
  });
});
