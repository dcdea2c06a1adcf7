import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Tabs have no width of their own in a terminal cell grid; show them as spaces. */
export function displayable(text: string): string {
  return text.replaceAll('\t', '    ');
}

export function widthOf(text: string): number {
  return stringWidth(text);
}

export function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** The longest prefix of `text` that fits in `width` columns, cut between characters, never inside one. */
export function truncateToWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let used = 0;
  let out = '';
  for (const grapheme of splitGraphemes(text)) {
    const w = stringWidth(grapheme);
    if (used + w > width) break;
    used += w;
    out += grapheme;
  }
  return out;
}

export function padToWidth(text: string, width: number): string {
  const fitted = truncateToWidth(text, width);
  return fitted + ' '.repeat(Math.max(0, width - stringWidth(fitted)));
}
