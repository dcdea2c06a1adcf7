// Characters that draw nothing: the default-ignorable code points (zero-width spaces and joiners, the
// bidi controls, the soft hyphen, variation selectors, the Hangul fillers U+115F, U+1160, U+3164 and
// U+FFA0, tags ...), every other format character, and the blank braille pattern U+2800, which terminals
// draw as a space.
const INVISIBLE = '[\\p{Default_Ignorable_Code_Point}\\p{Cf}\\u2800]';
const EVERY_INVISIBLE = new RegExp(INVISIBLE, 'gu');
const ANY_INVISIBLE = new RegExp(INVISIBLE, 'u');

export function removeInvisible(text: string): string {
  return text.replace(EVERY_INVISIBLE, '');
}

export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}
