// C0 controls except TAB (0x09), DEL, and C1 controls. Removing ESC (and CSI 0x9B) is what keeps a
// peer from clearing, moving or recolouring another user's terminal; the printable remainder of an
// escape sequence is harmless text.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}
