import { BoundedMap } from './bounded-map.js';
import type { MessageLine } from './store.js';
import type { Labels } from './i18n.js';
import { noteText } from './notes.js';
import { displayable, splitGraphemes, widthOf } from './text.js';

export interface Style {
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
  /** The address this text links to (drawn as an OSC 8 hyperlink where the terminal has them). */
  readonly link?: string;
}

export interface Segment extends Style {
  readonly text: string;
}

export type Row = readonly Segment[];

const NAME_COLOURS = ['cyan', 'yellow', 'blue', 'green', 'redBright', 'cyanBright', 'yellowBright', 'blueBright'];

/** The same name gets the same colour on every screen and in every session. */
export function colourOf(name: string): string {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619);
  return NAME_COLOURS[(hash >>> 0) % NAME_COLOURS.length]!;
}

export function clock(time: number, seconds = false): string {
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  const minutes = `${two(date.getHours())}:${two(date.getMinutes())}`;
  return seconds ? `${minutes}:${two(date.getSeconds())}` : minutes;
}

/** How lines are drawn, beyond the words: settings the user switches. */
export interface LineStyle {
  readonly seconds: boolean;
}

const PLAIN: LineStyle = { seconds: false };

/** `* alice waves` from alice: an action, sent with /me by a client that knows them. */
function isAction(text: string, name: string): boolean {
  return name !== '' && text.startsWith(`* ${name} `);
}

const PRIVATE = 'magenta';
const ERROR = 'red';

/**
 * A message as styled pieces, before wrapping: `12:01 bob: hi`, `12:02 you → bob: hey`. The head (time,
 * who) and the body apart, so that wrapped rows can be indented under the body.
 */
export function lineSegments(
  line: MessageLine,
  labels: Labels,
  style: LineStyle = PLAIN,
): { head: Segment[]; body: Segment[] } {
  const time: Segment = { text: `${clock(line.time, style.seconds)} `, dim: true };
  const text = displayable(lineText(line, labels));
  const name = displayable(line.name ?? '');
  if ((line.kind === 'public' || line.kind === 'privateIn') && isAction(text, name)) {
    const colour = line.kind === 'privateIn' ? PRIVATE : colourOf(name);
    return {
      head: [time, { text: `* ${name} `, color: colour, bold: true }],
      body: [{ text: text.slice(name.length + 3), color: line.kind === 'privateIn' ? PRIVATE : undefined }],
    };
  }
  switch (line.kind) {
    case 'public':
      return {
        head: [time, { text: name, color: colourOf(name), bold: line.own }, { text: ': ' }],
        body: line.mention ? highlighted(text, line.mention) : [{ text, bold: line.own }],
      };
    case 'privateIn':
      return {
        head: [time, { text: name, color: colourOf(name), bold: true }, { text: ` → ${labels.you}: `, color: PRIVATE }],
        body: [{ text, color: PRIVATE }],
      };
    case 'privateOut': {
      // Shown at once, dim until the server has taken it; refused (no such user), it says it was not sent.
      const pending = line.delivery === 'pending';
      const body: Segment[] = [{ text, color: PRIVATE, dim: pending }];
      if (pending) body.push({ text: ' …', dim: true });
      if (line.delivery === 'refused') body.push({ text: ` ✗ ${labels.privateRefused}`, color: ERROR });
      return {
        head: [
          time,
          { text: `${labels.you} → `, color: PRIVATE, bold: true, dim: pending },
          { text: name, color: colourOf(name), bold: true, dim: pending },
          { text: ': ', color: PRIVATE, dim: pending },
        ],
        body,
      };
    }
    case 'presence':
      return { head: [time, { text: '* ', dim: true }], body: [{ text, dim: true }] };
    case 'notice':
      return { head: [time, { text: '- ', dim: true }], body: [{ text, dim: true }] };
    case 'error':
      return { head: [time, { text: '! ', color: ERROR }], body: [{ text, color: ERROR }] };
  }
}

// An http(s) address up to a space or a quote; punctuation at its end is the sentence's, not the link's.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}]/g;

/** The body's segments with each address in them made a link of its own. */
function withLinks(segments: readonly Segment[]): Segment[] {
  return segments.flatMap((segment) => {
    if (!segment.text.includes('://')) return [segment];
    const pieces: Segment[] = [];
    let from = 0;
    for (const match of segment.text.matchAll(URL_PATTERN)) {
      if (match.index > from) pieces.push({ ...segment, text: segment.text.slice(from, match.index) });
      pieces.push({ ...segment, text: match[0], link: match[0], underline: true });
      from = match.index + match[0].length;
    }
    if (from < segment.text.length) pieces.push({ ...segment, text: segment.text.slice(from) });
    return pieces;
  });
}

/** The text with every place it names `name` set apart. */
function highlighted(text: string, name: string): Segment[] {
  const segments: Segment[] = [];
  // Case-insensitive where lower case keeps the length (nearly always), else exactly as written.
  const folds = text.toLowerCase().length === text.length && name.toLowerCase().length === name.length;
  const lower = folds ? text.toLowerCase() : text;
  const needle = folds ? name.toLowerCase() : name;
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1 && needle !== ''; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) segments.push({ text: text.slice(from, at) });
    segments.push({ text: text.slice(at, at + needle.length), bold: true, inverse: true });
    from = at + needle.length;
  }
  if (from < text.length) segments.push({ text: text.slice(from) });
  return segments;
}

/** A line as the pane shows it, without its time or styles: for the transcript. */
export function plainText(line: MessageLine, labels: Labels): string {
  // A private message is logged as written, not as the pending mark it first shows with.
  const settled = line.delivery === 'pending' ? { ...line, delivery: 'delivered' as const } : line;
  const { head, body } = lineSegments(settled, labels);
  return [...head.slice(1), ...body].map((segment) => segment.text).join('');
}

export function segmentsOf(line: MessageLine, labels: Labels): Segment[] {
  const { head, body } = lineSegments(line, labels);
  return [...head, ...body];
}

/** What a line says: its wire text, or the screen's own words for its note. */
export function lineText(line: MessageLine, labels: Labels): string {
  return line.note ? noteText(line.note, labels) : (line.text ?? '');
}

/**
 * Styled pieces cut into rows of at most `width` display columns. CJK and emoji count two columns; a
 * row breaks after the last space that fits when there is one, else between characters. Rows after the
 * first start `indent` columns in (under the message text), without the space the break fell on.
 */
export function wrapSegments(segments: readonly Segment[], width: number, indent = 0): Row[] {
  const cells: Array<{ grapheme: string; width: number; style: Style }> = [];
  for (const { text, ...style } of segments) {
    for (const grapheme of splitGraphemes(text)) cells.push({ grapheme, width: widthOf(grapheme), style });
  }
  const hanging = indent > 0 && indent <= width / 2 ? indent : 0;
  const rows: Row[] = [];
  let start = 0;
  while (start < cells.length) {
    const continued = rows.length > 0;
    if (continued) while (start < cells.length - 1 && cells[start]!.grapheme === ' ') start += 1;
    const room = Math.max(1, width - (continued ? hanging : 0));
    let used = 0;
    let end = start;
    // Where the row may end: after a space, or just before a link starts (text written without a space
    // before the address, as Chinese is), so that an address that fits a row is never cut in two.
    let lastBreak = -1;
    while (end < cells.length && used + cells[end]!.width <= room) {
      if (cells[end]!.grapheme === ' ' && end > start) lastBreak = end + 1;
      else if (end > start && startsLink(cells, end)) lastBreak = end;
      used += cells[end]!.width;
      end += 1;
    }
    if (end === start)
      end = start + 1; // a character wider than the pane: show it alone
    else if (end < cells.length && cells[end]!.grapheme !== ' ' && lastBreak > start) end = lastBreak;
    const row = joinCells(cells.slice(start, end));
    rows.push(continued && hanging > 0 ? [{ text: ' '.repeat(hanging) }, ...row] : row);
    start = end;
  }
  return rows.length > 0 ? rows : [[]];
}

function startsLink(cells: ReadonlyArray<{ style: Style }>, index: number): boolean {
  const link = cells[index]!.style.link;
  return link !== undefined && cells[index - 1]?.style.link !== link;
}

function joinCells(cells: ReadonlyArray<{ grapheme: string; style: Style }>): Row {
  const row: Segment[] = [];
  for (const cell of cells) {
    const last = row[row.length - 1];
    if (last && sameStyle(last, cell.style)) row[row.length - 1] = { ...last, text: last.text + cell.grapheme };
    else row.push({ ...cell.style, text: cell.grapheme });
  }
  return row;
}

function sameStyle(a: Style, b: Style): boolean {
  return (
    a.color === b.color &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.inverse === b.inverse &&
    a.underline === b.underline &&
    a.link === b.link
  );
}

interface DrawnLine {
  width: number;
  labels: Labels;
  style: LineStyle;
  rows: Row[];
}

/**
 * A line's rows for each way it was drawn lately: a line shared by the screens of one process is drawn at
 * each screen's width and language, and one entry would be overwritten by the next screen.
 */
const rowCache = new WeakMap<MessageLine, DrawnLine[]>();
const WAYS_KEPT = 4;

/**
 * Rows by what a line shows, for every screen of the process: an SSH server draws the same line on
 * hundreds of screens, each of which holds its own copy of it. Forgets everything when full.
 */
const sharedRows = new BoundedMap<string, Row[]>(20_000);
const labelIds = new WeakMap<Labels, number>();
let nextLabelId = 0;

export function rowsOf(line: MessageLine, width: number, labels: Labels, style: LineStyle = PLAIN): Row[] {
  const drawn = rowCache.get(line) ?? [];
  const cached = drawn.find((way) => way.width === width && way.labels === labels && way.style === style);
  if (cached) return cached.rows;
  const key = sharedKey(line, width, labels, style);
  let rows = sharedRows.get(key);
  if (rows === undefined) {
    const { head, body } = lineSegments(line, labels, style);
    const indent = head.reduce((sum, segment) => sum + widthOf(segment.text), 0);
    rows = wrapSegments([...head, ...withLinks(body)], width, indent);
    sharedRows.set(key, rows);
  }
  if (drawn.length === 0) rowCache.set(line, drawn);
  if (drawn.length === WAYS_KEPT) drawn.shift();
  drawn.push({ width, labels, style, rows });
  return rows;
}

/** Everything lineSegments reads from a line, and how wide the rows are. */
function sharedKey(line: MessageLine, width: number, labels: Labels, style: LineStyle): string {
  let labelId = labelIds.get(labels);
  if (labelId === undefined) labelIds.set(labels, (labelId = nextLabelId++));
  return [
    width,
    labelId,
    clock(line.time, style.seconds),
    line.kind,
    line.name ?? '',
    lineText(line, labels),
    line.own ? 1 : 0,
    line.mention ?? '',
    line.delivery ?? '',
  ].join('\u0000');
}

export interface Window {
  readonly rows: Row[];
  /** How many lines the window shows, whole or in part: the size of a page. */
  readonly lineCount: number;
}

/**
 * The rows that fit in `height`, ending with the line `offset` lines above the newest. Only the lines on
 * screen are wrapped, so a 5,000-line scrollback costs no more to draw than a full screen. At the top of
 * the scrollback the window fills downwards instead, so Home shows the first page.
 */
export function windowRows(
  lines: readonly MessageLine[],
  offset: number,
  width: number,
  height: number,
  labels: Labels,
  style: LineStyle = PLAIN,
): Window {
  if (lines.length === 0 || height <= 0) return { rows: [], lineCount: 0 };
  const anchor = Math.max(0, lines.length - 1 - offset);
  // At the top of the scrollback the first line shows from its first row, however tall it is.
  if (anchor === 0) return fillDown(lines, 0, [], 0, width, height, labels, style);
  // Each line's rows, from the anchor upwards, until they fill the window.
  const upwards: Row[][] = [];
  let rowCount = 0;
  for (let index = anchor; index >= 0 && rowCount < height; index--) {
    const lineRows = rowsOf(lines[index]!, width, labels, style);
    upwards.push(lineRows);
    rowCount += lineRows.length;
  }
  const rows: Row[] = [];
  for (let at = upwards.length - 1; at >= 0; at--) for (const row of upwards[at]!) rows.push(row);
  const lineCount = upwards.length;
  if (rows.length > height) return { rows: rows.slice(rows.length - height), lineCount };
  return fillDown(lines, anchor + 1, rows, lineCount, width, height, labels, style);
}

function fillDown(
  lines: readonly MessageLine[],
  from: number,
  rows: Row[],
  lineCount: number,
  width: number,
  height: number,
  labels: Labels,
  style: LineStyle,
): Window {
  for (let below = from; below < lines.length && rows.length < height; below++) {
    for (const row of rowsOf(lines[below]!, width, labels, style)) rows.push(row);
    lineCount += 1;
  }
  return { rows: rows.slice(0, height), lineCount };
}
