// C0 controls except TAB (0x09), DEL, and C1 controls. Removing ESC (and CSI 0x9B) is what keeps a
// peer from clearing, moving or recolouring another user's terminal; the printable remainder of an
// escape sequence is harmless text.
// Then the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what
// follows them on screen, so a message could show its text in another order than it was written, or run
// backwards into the next line's name. The marks LRM, RLM and ALM stay: right-to-left writers need them to
// place punctuation, and they cannot reorder anything that has a direction of its own.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}
