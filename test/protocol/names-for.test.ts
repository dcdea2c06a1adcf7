import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidName, namesFor } from '../../src/protocol/index.js';

const firstNames = (wanted: string, count: number) => {
  const names: string[] = [];
  for (const name of namesFor(wanted)) {
    names.push(name);
    if (names.length === count) break;
  }
  return names;
};

describe('namesFor', () => {
  it('offers the name itself, then name-2, name-3...', () => {
    expect(firstNames('alice', 3)).toEqual(['alice', 'alice-2', 'alice-3']);
    expect(firstNames('张三', 2)).toEqual(['张三', '张三-2']);
  });

  it('keeps what it can of a name that is not valid, and cuts a long one short', () => {
    expect(firstNames('joe smith', 2)).toEqual(['joesmith', 'joesmith-2']);
    expect(firstNames('x'.repeat(40), 2)).toEqual(['x'.repeat(32), `${'x'.repeat(30)}-2`]);
    expect(firstNames('[]:|', 2)).toEqual(['guest', 'guest-2']);
    expect(firstNames('', 1)).toEqual(['guest']);
  });

  it('offers only valid, distinct names, whatever is asked for', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (wanted) => {
        const names = firstNames(wanted, 12);
        for (const name of names) expect(isValidName(name), JSON.stringify(name)).toBe(true);
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });
});
