// What a client may send so that both servers read it as meant: the limits of one command, and how a
// long text is cut to fit them.
import { parseCommand } from './commands.js';
import { isPresenceWord } from './replies.js';

/**
 * Longest command a client should write, in UTF-8 bytes, line ends included. The article's server reads each command
 * with one 4096-byte read, and ours takes lines of up to 4096 bytes: anything longer is split into several
 * commands, each with its own prefix, so no part of a private message can arrive without its `to|name|`.
 */
export const MAX_COMMAND_BYTES = 4096;

/** A public line the server would take for a command (or refuse as reserved) instead of chat. */
export function isCommandLike(piece: string): boolean {
  return parseCommand(piece).kind !== 'public' || isPresenceWord(piece);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text in pieces of at most `budget` UTF-8 bytes whose concatenation is the text. Cuts fall between
 * graphemes (between code points inside a grapheme too long on its own), never inside a UTF-8 sequence or
 * a surrogate pair. No piece after the first starts a rest of the text that `avoid` refuses: the cut before
 * it moves back a little.
 * `undefined` when not even one character fits; an empty text is one empty piece.
 */
export function splitText(text: string, budget: number, avoid?: (rest: string) => boolean): string[] | undefined {
  if (Buffer.byteLength(text) <= budget) return [text];
  if (budget < 4) return undefined;
  // The units a cut may fall between, with their byte lengths and where each starts in the text.
  const units: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (Buffer.byteLength(segment) <= budget) units.push(segment);
    else units.push(...Array.from(segment));
  }
  const sizes = units.map((unit) => Buffer.byteLength(unit));
  const offsets = [0];
  for (const unit of units) offsets.push(offsets.at(-1)! + unit.length);
  const pieces: string[] = [];
  let start = 0;
  while (start < units.length) {
    let end = start;
    let bytes = 0;
    while (end < units.length && bytes + sizes[end]! <= budget) bytes += sizes[end++]!;
    // The next piece starts with the rest of the text: move the cut back while the rest reads as a
    // command (`to|…`, `rename|…`, `who`); one unit of ordinary text before it is enough.
    while (avoid && end < units.length && end - start > 1 && avoid(text.slice(offsets[end]))) end -= 1;
    pieces.push(text.slice(offsets[start], offsets[end]));
    start = end;
  }
  return pieces;
}
