import fc from 'fast-check';

/** Letters a name may hold: ASCII, CJK, other scripts, an astral CJK letter, a Devanagari syllable. */
const NAME_LETTERS = [
  ...'abcxyzABCXYZ',
  ...'张三李四王五你好啊对您说已上线下线在线用户名',
  ...'ÄéßЖжΩλأب',
  '𠀀',
  '𪚥',
  'हि',
] as const;

/** What else a name may hold: digits (ASCII and Arabic-Indic) and `_ - .`. */
const NAME_OTHERS = [...'0189٣_-.'] as const;

/** A valid name: up to 32 code points from the letters and the rest, at least one of them a letter. */
export const validName = fc
  .tuple(
    fc.constantFrom(...NAME_LETTERS),
    fc.array(fc.constantFrom(...NAME_LETTERS, ...NAME_OTHERS), { maxLength: 31 }),
    fc.nat(),
  )
  .map(([letter, rest, at]) => {
    const pieces: string[] = [];
    let room = 32 - [...letter].length;
    for (const piece of rest) {
      const length = [...piece].length;
      if (length > room) continue;
      pieces.push(piece);
      room -= length;
    }
    pieces.splice(at % (pieces.length + 1), 0, letter);
    return pieces.join('');
  });

const port = fc.integer({ min: 0, max: 65_535 });
const octet = fc.integer({ min: 0, max: 255 });

export const ipv4Addr = fc.tuple(octet, octet, octet, octet, port).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}:${p}`);

const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));

export const ipv6Addr = fc.oneof(
  port.map((p) => `[::1]:${p}`),
  port.map((p) => `[fe80::1]:${p}`),
  fc.tuple(fc.array(hextet, { minLength: 8, maxLength: 8 }), port).map(([parts, p]) => `[${parts.join(':')}]:${p}`),
  fc.tuple(hextet, hextet, port).map(([a, b, p]) => `[${a}::${b}]:${p}`),
);

export const addr = fc.oneof(ipv4Addr, ipv6Addr);

/** A user's name on the wire: a valid name, or its addr when it never renamed. */
export const addrAndName = fc.oneof(
  fc.tuple(addr, validName),
  addr.map((a) => [a, a] as [string, string]),
);

/** Any single line: any code point (lone surrogates included), no `\n`. */
export const anyLine = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/\n/g, ''));
