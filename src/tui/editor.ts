import { splitGraphemes } from './text.js';

/** The input line: its text and a cursor counted in characters (graphemes), so emoji move as one. */
export interface Editor {
  readonly text: string;
  readonly cursor: number;
}

export const emptyEditor: Editor = { text: '', cursor: 0 };

export function editorOf(text: string): Editor {
  return { text, cursor: splitGraphemes(text).length };
}

function edit(editor: Editor, change: (chars: string[], cursor: number) => [string[], number]): Editor {
  const [chars, cursor] = change(splitGraphemes(editor.text), editor.cursor);
  return { text: chars.join(''), cursor: Math.max(0, Math.min(cursor, chars.length)) };
}

/**
 * The most characters the input line holds, as many as the longest line a server takes by default (4 KiB);
 * what is past it is dropped when it is typed or pasted. The line is laid out again on every key, and a
 * screen drawn by a server for someone else's SSH session must not be made to lay out megabytes.
 */
export const MAX_INPUT_CHARACTERS = 4096;
/** A character is seldom more than this many UTF-16 units (an emoji with its joiners and modifiers). */
const UNITS_PER_CHARACTER = 16;

export function insert(editor: Editor, text: string): Editor {
  return edit(editor, (chars, cursor) => {
    const room = Math.max(0, MAX_INPUT_CHARACTERS - chars.length);
    const added = splitGraphemes(text.slice(0, room * UNITS_PER_CHARACTER)).slice(0, room);
    return [[...chars.slice(0, cursor), ...added, ...chars.slice(cursor)], cursor + added.length];
  });
}

export function backspace(editor: Editor): Editor {
  return edit(editor, (chars, cursor) =>
    cursor === 0 ? [chars, cursor] : [[...chars.slice(0, cursor - 1), ...chars.slice(cursor)], cursor - 1],
  );
}

export function deleteForward(editor: Editor): Editor {
  return edit(editor, (chars, cursor) => [[...chars.slice(0, cursor), ...chars.slice(cursor + 1)], cursor]);
}

export function deleteWordBack(editor: Editor): Editor {
  return edit(editor, (chars, cursor) => {
    let start = cursor;
    while (start > 0 && chars[start - 1] === ' ') start -= 1;
    while (start > 0 && chars[start - 1] !== ' ') start -= 1;
    return [[...chars.slice(0, start), ...chars.slice(cursor)], start];
  });
}

export function moveCursor(editor: Editor, to: 'left' | 'right' | 'start' | 'end'): Editor {
  return edit(editor, (chars, cursor) => {
    const position = { left: cursor - 1, right: cursor + 1, start: 0, end: chars.length }[to];
    return [chars, position];
  });
}

/** Tab completion state: which word we complete and where in the candidates we are. */
export interface Completion {
  readonly before: string;
  readonly after: string;
  readonly candidates: readonly string[];
  readonly index: number;
}

/**
 * Completes the word before the cursor from `names` (case-insensitive prefix). Pressing Tab again with
 * the returned completion cycles to the next candidate.
 */
export function complete(
  editor: Editor,
  names: readonly string[],
  previous?: Completion,
): { editor: Editor; completion?: Completion } {
  let completion = previous;
  if (completion) {
    completion = { ...completion, index: (completion.index + 1) % completion.candidates.length };
  } else {
    const chars = splitGraphemes(editor.text);
    const head = chars.slice(0, editor.cursor).join('');
    const after = chars.slice(editor.cursor).join('');
    const wordStart = head.lastIndexOf(' ') + 1;
    const word = head.slice(wordStart).toLowerCase();
    const candidates = [...new Set(names)].filter((name) => name.toLowerCase().startsWith(word)).sort();
    if (word === '' || candidates.length === 0) return { editor };
    completion = { before: head.slice(0, wordStart), after, candidates, index: 0 };
  }
  const filled = `${completion.before}${completion.candidates[completion.index]} `;
  return {
    editor: { text: filled + completion.after.replace(/^ /, ''), cursor: splitGraphemes(filled).length },
    completion,
  };
}

/**
 * Input history, newest last; browsing starts past the newest entry, where the draft lives. Each entry
 * keeps the mode it was sent in (`M`), so recalling a line brings its mode back with it: a line sent
 * privately is recalled as a private line to the same person, never as public text.
 */
export interface History<M = undefined> {
  readonly entries: ReadonlyArray<{ readonly text: string; readonly mode: M }>;
  readonly index: number;
  readonly draft: { readonly text: string; readonly mode: M } | undefined;
}

export const MAX_HISTORY = 500;

export function emptyHistory<M = undefined>(): History<M> {
  return { entries: [], index: 0, draft: undefined };
}

export function remember<M>(history: History<M>, text: string, mode: M, same = Object.is): History<M> {
  const last = history.entries.at(-1);
  const repeated = last !== undefined && last.text === text && same(last.mode, mode);
  const entries = text.trim() === '' || repeated ? history.entries : [...history.entries, { text, mode }];
  const bounded = entries.slice(-MAX_HISTORY);
  return { entries: bounded, index: bounded.length, draft: undefined };
}

/** One step older or newer. `current` is what the input line holds now, in the mode the screen is in. */
export function browse<M>(
  history: History<M>,
  current: { text: string; mode: M },
  direction: 'older' | 'newer',
): { history: History<M>; text: string; mode: M } {
  const draft = history.index === history.entries.length ? current : (history.draft ?? current);
  const index =
    direction === 'older' ? Math.max(0, history.index - 1) : Math.min(history.entries.length, history.index + 1);
  const shown = index === history.entries.length ? draft : history.entries[index]!;
  return { history: { ...history, index, draft }, text: shown.text, mode: shown.mode };
}
