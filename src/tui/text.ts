import stringWidth from 'string-width';
import { BoundedMap } from './bounded-map.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Tabs have no width of their own in a terminal cell grid; show them as spaces. */
export function displayable(text: string): string {
  return text.replaceAll('\t', '    ');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const widthCache = new BoundedMap<string, number>(10_000);

/** Display columns: CJK and most emoji take two. Plain ASCII, most of any chat, skips the full measure. */
export function widthOf(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = widthCache.get(text);
  if (width === undefined) {
    width = stringWidth(text);
    if (text.length <= 16) widthCache.set(text, width);
  }
  return width;
}

/**
 * How much text the segmenter is given at a time: walking the segments of one long text takes time that
 * grows faster than its length, so a long text is split a window at a time.
 */
const SEGMENT_WINDOW = 256;

/** The characters (grapheme clusters) of `text`, in time that grows with its length. */
export function splitGraphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  if (text.length <= SEGMENT_WINDOW) return segments(text);
  const characters: string[] = [];
  let from = 0;
  let size = SEGMENT_WINDOW;
  while (from < text.length) {
    let end = Math.min(text.length, from + size);
    // Never between the two halves of a character outside the BMP: half of one reads as a character of its own.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const found = segments(text.slice(from, end));
    if (end === text.length) {
      for (const character of found) characters.push(character);
      break;
    }
    // The window's last character may go on past it: it starts the next window, which begins where a
    // character begins. A window of one character is doubled until it holds two.
    if (found.length < 2) {
      size *= 2;
      continue;
    }
    const last = found.pop()!;
    for (const character of found) characters.push(character);
    from = end - last.length;
    size = SEGMENT_WINDOW;
  }
  return characters;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function segments(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** The longest prefix of `text` that fits in `width` columns, cut between characters, never inside one. */
export function truncateToWidth(text: string, width: number): string {
  if (widthOf(text) <= width) return text;
  let used = 0;
  let out = '';
  for (const grapheme of splitGraphemes(text)) {
    const w = widthOf(grapheme);
    if (used + w > width) break;
    used += w;
    out += grapheme;
  }
  return out;
}

/** `text` within `width` columns, ending in `…` when something had to go. */
export function ellipsize(text: string, width: number): string {
  if (widthOf(text) <= width) return text;
  if (width <= 0) return '';
  return `${truncateToWidth(text, width - 1)}…`;
}

export function padToWidth(text: string, width: number): string {
  const fitted = truncateToWidth(text, width);
  return fitted + ' '.repeat(Math.max(0, width - widthOf(fitted)));
}
