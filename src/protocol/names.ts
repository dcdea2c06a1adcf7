import { hasInvisible, removeInvisible } from './invisible.js';
import { lookalikeKey, skeleton } from './lookalike.js';

export const MAX_NAME_CHARACTERS = 32;

// A look-alike spelling of a name takes a few code points per character at most. A longer text is no
// name, and its key is not worth computing: every private message looks its target up by key.
const MAX_KEYED_LENGTH = 4 * 2 * MAX_NAME_CHARACTERS;

// The key of every text too long to be a name. No name has it: a name's key never holds a line end.
const NO_NAME_KEY = '\n';

/**
 * The key two names collide on: the same for `bob`, `Bob`, `bоb` (Cyrillic о), `bob\u200b` and any other
 * spelling that looks like it, so nobody can take a name that passes for someone else's.
 */
export function nameKey(name: string): string {
  const visible = removeInvisible(name);
  return visible.length > MAX_KEYED_LENGTH ? NO_NAME_KEY : lookalikeKey(visible);
}

// Letters of any script with their combining marks, digits, `_ - .`, and the zero-width joiner and
// non-joiner that Persian and Indic spelling need. Never a space, a control character or a symbol.
const NAME_ALPHABET = /^[\p{L}\p{M}\p{N}_.\-\u200c\u200d]+$/u;
const JOINERS = /[\u200c\u200d]/g;
const STARTS_WITH_MARK = /^[\p{M}\u200c\u200d]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

// What a name must not look like it holds: `:` and `[ ]` would fake an addr or a server line (the
// skeleton of a bracket look-alike is a parenthesis), `|` would break `to|name|`.
const SEPARATOR_LOOKALIKE = /[:[\]()|]/;

// `|` has the skeleton `l`, as do `l`, `I`, `1`, Arabic alef and Hebrew vav: the skeleton cannot tell a
// bar from a letter. Among Latin letters any stroke but `l`, `I` and `1` reads as a bar, so it is refused
// there (`ǀ` U+01C0 is itself Latin); in its own script (`علي`, `Іван`) it is a letter.
const ASCII_STROKE = /^[lI1]$/;
const LATIN = /\p{Script=Latin}/u;

function hasBarLookalike(name: string): boolean {
  if (!LATIN.test(name)) return false;
  for (const character of name) {
    if (!ASCII_STROKE.test(character) && skeleton(character) === 'l') return true;
  }
  return false;
}

/**
 * A name a user may take: 1 to 32 code points in NFC, from NAME_ALPHABET, with at least one letter or
 * digit, not starting with a combining mark, and nothing that looks like `:`, `[`, `]` or `|`.
 */
export function isValidName(name: string): boolean {
  const characters = [...name].length;
  if (characters < 1 || characters > MAX_NAME_CHARACTERS) return false;
  if (!NAME_ALPHABET.test(name) || name.normalize('NFC') !== name) return false;
  if (STARTS_WITH_MARK.test(name) || hasInvisible(name.replace(JOINERS, ''))) return false;
  if (!LETTER_OR_DIGIT.test(name)) return false;
  return !SEPARATOR_LOOKALIKE.test(nameKey(name)) && !hasBarLookalike(name.normalize('NFKC'));
}

/** What stands in for a wanted name that keeps none of its characters. */
const FALLBACK_NAME = 'guest';

/** The characters a stem keeps from a wanted name that is not valid as it is. */
const STEM_CHARACTER = /[\p{L}\p{N}_.-]/u;

/**
 * The names to try, in order, for someone who asks for `wanted`: the name itself when it is valid, then
 * `wanted-2`, `wanted-3`... A wanted name that is not valid gives its plain letters, digits and `_ . -`
 * as the stem (or `guest`, when that is no valid name either), cut short so that every name offered is
 * valid.
 */
export function* namesFor(wanted: string): Generator<string, never> {
  if (isValidName(wanted)) yield wanted;
  let stem = [...wanted.normalize('NFC')].filter((character) => STEM_CHARACTER.test(character));
  const numbered = (n: number) => {
    const suffix = `-${n}`;
    return stem.slice(0, MAX_NAME_CHARACTERS - suffix.length).join('') + suffix;
  };
  const whole = () => stem.slice(0, MAX_NAME_CHARACTERS).join('');
  if (!isValidName(whole()) || !isValidName(numbered(2))) stem = [...FALLBACK_NAME];
  if (!isValidName(wanted)) yield whole();
  for (let n = 2; ; n += 1) yield numbered(n);
}
