/** One keypress (or one pasted run of text) as the app sees it. */
export type Key =
  | { name: 'text'; text: string }
  | {
      name:
        | 'return'
        | 'tab'
        | 'shiftTab'
        | 'backspace'
        | 'delete'
        | 'escape'
        | 'up'
        | 'down'
        | 'left'
        | 'right'
        | 'pageUp'
        | 'pageDown'
        | 'home'
        | 'end'
        | 'f1'
        | 'f2'
        | 'f3'
        | 'f4';
    }
  | { name: 'ctrl'; letter: string }
  | { name: 'alt'; char: string }
  | { name: 'unknown' };

const SEQUENCES: Record<string, Key['name']> = {
  '\r': 'return',
  '\n': 'return',
  '\t': 'tab',
  '\x1b[Z': 'shiftTab',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b\x7f': 'backspace',
  '\x1b[3~': 'delete',
  '\x1b': 'escape',
  '\x1b\x1b': 'escape',
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x1b[5~': 'pageUp',
  '\x1b[[5~': 'pageUp',
  '\x1b[6~': 'pageDown',
  '\x1b[[6~': 'pageDown',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x1bOP': 'f1',
  '\x1b[11~': 'f1',
  '\x1b[[A': 'f1',
  '\x1bOQ': 'f2',
  '\x1b[12~': 'f2',
  '\x1b[[B': 'f2',
  '\x1bOR': 'f3',
  '\x1b[13~': 'f3',
  '\x1b[[C': 'f3',
  '\x1bOS': 'f4',
  '\x1b[14~': 'f4',
  '\x1b[[D': 'f4',
};

/**
 * Decodes one input event as Ink's input parser splits them: an escape sequence, a control character,
 * or a run of text. A paste arrives as one run, line ends included, and stays one `text` key.
 */
export function decodeKey(sequence: string): Key {
  const named = SEQUENCES[sequence];
  if (named) return { name: named } as Key;
  // Modified cursor keys (`ESC [1;5A`): act as the plain key.
  const modified = /^\x1b\[1;\d+([ABCDHF])$/.exec(sequence);
  if (modified) return decodeKey(`\x1b[${modified[1]}`);
  if (sequence.length === 1) {
    const code = sequence.charCodeAt(0);
    if (code >= 1 && code <= 26) return { name: 'ctrl', letter: String.fromCharCode(code + 96) };
  }
  if (sequence.startsWith('\x1b')) {
    const rest = sequence.slice(1);
    if ([...rest].length === 1 && !/[\x00-\x1f]/.test(rest)) return { name: 'alt', char: rest };
    return { name: 'unknown' };
  }
  if (/^[\x00-\x08\x0b-\x0c\x0e-\x1f]+$/.test(sequence)) return { name: 'unknown' };
  return { name: 'text', text: sequence };
}

/**
 * One input event as the keys a person pressed. Ink's input parser splits escape sequences apart but hands
 * over a run of anything else whole: keys typed faster than we read them, or arriving together over SSH
 * (`hi bo<Tab>`, `abc<Backspace>`), and pasted blocks (`one<Enter>two`). Each control character in the
 * run is its own key (a CR LF pair one Enter); the text between stays one text key, so a paste is cheap.
 */
export function decodeKeys(sequence: string): Key[] {
  if (sequence.startsWith('\x1b') || !/[\x00-\x1f\x7f]/.test(sequence) || sequence.length === 1) {
    return [decodeKey(sequence)];
  }
  const keys: Key[] = [];
  for (const [piece] of sequence.matchAll(/\r\n|[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]+/g)) {
    keys.push(piece === '\r\n' ? { name: 'return' } : decodeKey(piece));
  }
  return keys;
}
