export const MAX_NAME_CHARACTERS = 32;

// Letters and digits of any script, plus _ - . : never `|` (it would break `to|`), `:` or `[` (they would
// fake an addr or a server line), spaces or control characters.
const NAME = /^[\p{L}\p{N}_.-]+$/u;

export function isValidName(name: string): boolean {
  const characters = [...name].length;
  return characters >= 1 && characters <= MAX_NAME_CHARACTERS && NAME.test(name);
}
