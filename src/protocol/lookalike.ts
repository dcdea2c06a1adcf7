import prototypes from 'unhomoglyph/data.json' with { type: 'json' };
import { removeInvisible } from './invisible.js';

// Unicode's confusables.txt (TR39) as unhomoglyph ships it: each confusable character mapped to its
// prototype, `о` (Cyrillic) to `o`, `ː` to `:`, `m` to `rn`. The map is built on first use, so a command
// that never compares names does not pay for it at start.
let prototypeOf: Map<string, string> | undefined;

/** The TR39 skeleton: NFD, every character replaced by its prototype, NFD again. */
export function skeleton(text: string): string {
  prototypeOf ??= new Map(Object.entries(prototypes as Record<string, string>));
  let mapped = '';
  for (const character of text.normalize('NFD')) mapped += prototypeOf.get(character) ?? character;
  return mapped.normalize('NFD');
}

// Case folding as far as JavaScript has it (upper, then lower case, so `ß` meets `ss`), with NFKC before
// and after: a prototype may be a compatibility character (`₂`, `º`), and folding may decompose (`ǰ`).
const fold = (text: string) => text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');

// Every text tried settles within two rounds that change it (each of the table's 12,622 characters, and
// 200,000 random and confusable-heavy strings); the bound only guarantees an end.
const MAX_FOLDS = 8;

/**
 * What a text looks like, as a comparable key: two texts with the same key are hard to tell apart on
 * screen. Invisible characters are removed, the NFKC form is case-folded, then skeletonised and folded
 * again until that changes nothing: one pass would keep `0` (whose prototype is `O`) apart from `o`.
 * Keys are for comparing only, never for showing.
 */
export function lookalikeKey(text: string): string {
  let key = fold(removeInvisible(text));
  for (let round = 0; round < MAX_FOLDS; round++) {
    const next = fold(skeleton(key));
    if (next === key) break;
    key = next;
  }
  return key;
}
