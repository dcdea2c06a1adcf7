import chalk from 'chalk';
import type { Drawing } from './colour.js';
import type { Row, Style } from './layout.js';

/**
 * Text in its style, as escape codes: what Ink's `<Text>` props would make of it, in the same order
 * (dim, colour, bold, underline, inverse), so that a row can be one string instead of one Ink node per
 * piece.
 */
export function styledText(text: string, style: Style, drawing: Drawing): string {
  let out = drawing.links && style.link ? `\x1b]8;;${style.link}\x07${text}\x1b]8;;\x07` : text;
  if (style.dim) out = chalk.dim(out);
  if (style.color && drawing.colour) out = paintIn(style.color)(out);
  if (style.bold) out = chalk.bold(out);
  if (style.underline) out = chalk.underline(out);
  if (style.inverse) out = chalk.inverse(out);
  return out;
}

/** Chalk's painter for a named colour (`cyanBright`), as Ink's `color` prop picks it. */
function paintIn(name: string): (text: string) => string {
  const paint = (chalk as unknown as Record<string, unknown>)[name];
  return typeof paint === 'function' ? (paint as (text: string) => string) : (text) => text;
}

// Rows are shared by every screen that shows the same line (see rowsOf): each is styled once per way of
// drawing.
const styledRows = [0, 1, 2, 3].map(() => new WeakMap<Row, string>());

/** A row of the message pane as one string. */
export function styledRow(row: Row, drawing: Drawing): string {
  const cache = styledRows[(drawing.colour ? 1 : 0) + (drawing.links ? 2 : 0)]!;
  let styled = cache.get(row);
  if (styled === undefined) {
    styled = row.map(({ text, ...style }) => styledText(text, style, drawing)).join('');
    cache.set(row, styled);
  }
  return styled;
}
