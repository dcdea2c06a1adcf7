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

export function splitGraphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
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
