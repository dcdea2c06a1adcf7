import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { labelsFor } from '../../src/tui/i18n.js';
import { colourOf, rowsOf, windowRows, wrapSegments, type Row } from '../../src/tui/layout.js';
import type { MessageLine } from '../../src/tui/store.js';
import { padToWidth, truncateToWidth } from '../../src/tui/text.js';

const labels = labelsFor('en');
const text = (row: Row) => row.map((segment) => segment.text).join('');

function line(body: string): MessageLine {
  return { time: 0, kind: 'public', name: 'bob', text: body };
}

describe('wrapping by display width', () => {
  it('wraps CJK at two columns a character and never splits one', () => {
    const rows = wrapSegments([{ text: '汉字'.repeat(10) }], 9);
    expect(rows.map(text)).toEqual(['汉字汉字', '汉字汉字', '汉字汉字', '汉字汉字', '汉字汉字']);
    for (const row of rows) expect(stringWidth(text(row))).toBeLessThanOrEqual(9);
  });

  it('keeps emoji (even joined ones) whole and counts them two columns', () => {
    const rows = wrapSegments([{ text: 'ab👍👨‍👩‍👧cd' }], 4);
    expect(rows.map(text)).toEqual(['ab👍', '👨‍👩‍👧cd']);
  });

  it('breaks after the last space that fits, keeping styles per piece', () => {
    const rows = wrapSegments([{ text: 'bob', color: 'cyan' }, { text: ': hello there world' }], 12);
    expect(rows.map(text)).toEqual(['bob: hello ', 'there world']);
    expect(rows[0]![0]).toEqual({ text: 'bob', color: 'cyan' });
  });

  it('puts a character wider than the pane on a row of its own rather than looping', () => {
    expect(wrapSegments([{ text: '汉汉' }], 1).map(text)).toEqual(['汉', '汉']);
  });

  it('truncates and pads by display width', () => {
    expect(truncateToWidth('张三李四', 5)).toBe('张三');
    expect(padToWidth('张三', 6)).toBe('张三  ');
  });
});

describe('the message window', () => {
  const many = Array.from({ length: 100 }, (_, index) => line(`message ${index}`));

  it('shows the newest lines that fit when following the end', () => {
    const window = windowRows(many, 0, 40, 5, labels);
    expect(window.rows.map(text).map((row) => row.slice(6))).toEqual([
      'bob: message 95',
      'bob: message 96',
      'bob: message 97',
      'bob: message 98',
      'bob: message 99',
    ]);
    expect(window.lineCount).toBe(5);
  });

  it('ends `offset` lines above the newest when scrolled', () => {
    const window = windowRows(many, 10, 40, 3, labels);
    expect(window.rows.map(text).map((row) => row.slice(6))).toEqual([
      'bob: message 87',
      'bob: message 88',
      'bob: message 89',
    ]);
  });

  it('fills downwards from the top of the scrollback', () => {
    const window = windowRows(many, 99, 40, 3, labels);
    expect(window.rows.map(text).map((row) => row.slice(6))).toEqual([
      'bob: message 0',
      'bob: message 1',
      'bob: message 2',
    ]);
  });

  it('shows the very first line from its first row at the top, even when lines above the old page wrap', () => {
    const tall = [line('first '.repeat(20)), ...many.slice(1, 12)];
    const window = windowRows(tall, tall.length - 1, 40, 5, labels);
    expect(text(window.rows[0]!)).toMatch(/^\d\d:\d\d bob: first first/);
    expect(window.rows).toHaveLength(5);
  });

  it('cuts a wrapped line at the top of the pane, keeping its end', () => {
    const long = line(`${'x'.repeat(60)}END`);
    const all = rowsOf(long, 20, labels).map(text);
    const window = windowRows([line('before'), long], 0, 20, 2, labels);
    expect(window.rows.map(text)).toEqual(all.slice(-2));
    expect(text(window.rows[1]!)).toMatch(/END$/);
    expect(window.lineCount).toBe(1);
  });

  it('keeps every row in order when wrapped lines lie above and below a scrolled view near the top', () => {
    const lines = [line('a'.repeat(30)), line('b'), line('c'.repeat(30)), line('d'), line('e')];
    const rowsOfAll = lines.map((each) => rowsOf(each, 20, labels).map(text));
    // Scrolled so that the view ends at 'b': above it there is only 'a', and the rest fills from below.
    const window = windowRows(lines, 3, 20, 6, labels);
    expect(window.rows.map(text)).toEqual(rowsOfAll.flat().slice(0, 6));
    expect(window.lineCount).toBe(3);
  });
});

describe('links', () => {
  it('never cuts an address that fits a row, even with no space before it', () => {
    const url = 'https://example.com/a/b/c';
    const line: MessageLine = { time: 0, kind: 'public', name: 'bob', text: `看这个${url}，很好` };
    const rows = rowsOf(line, 36, labels).map(text);
    expect(rows.some((row) => row.includes(url))).toBe(true);
  });

  it('makes the address a link, without the punctuation after it', () => {
    const line: MessageLine = { time: 0, kind: 'public', name: 'bob', text: 'see (https://a.example/x).' };
    const segments = rowsOf(line, 80, labels).flat();
    expect(segments.filter((segment) => segment.link)).toEqual([
      expect.objectContaining({ text: 'https://a.example/x', link: 'https://a.example/x', underline: true }),
    ]);
  });
});

describe('IRC habits on screen', () => {
  it('draws `* bob waves` from bob as an action, and times with seconds when asked', () => {
    const action: MessageLine = { time: 0, kind: 'public', name: 'bob', text: '* bob waves' };
    expect(text(rowsOf(action, 40, labels)[0]!)).toMatch(/^\d\d:\d\d \* bob waves$/);
    const fake: MessageLine = { time: 0, kind: 'public', name: 'eve', text: '* bob waves' };
    expect(text(rowsOf(fake, 40, labels)[0]!)).toMatch(/eve: \* bob waves$/);
    expect(text(rowsOf(action, 40, labels, { seconds: true })[0]!)).toMatch(/^\d\d:\d\d:\d\d \* bob waves$/);
  });
});

describe('name colours', () => {
  it('gives a name the same colour every time', () => {
    expect(colourOf('alice')).toBe(colourOf('alice'));
    const colours = new Set(['alice', 'bob', 'carol', 'dave', '张三', '李四'].map(colourOf));
    expect(colours.size).toBeGreaterThan(2);
  });
});

describe('rows shared by every screen of the process', () => {
  it('wraps a line once for every copy of it, and apart for anything that shows differently', () => {
    const base: MessageLine = { time: 60_000, kind: 'public', name: 'bob', text: 'hello there', addr: 'a' };
    const rows = rowsOf(base, 30, labels);
    // Another screen's copy of the same line.
    expect(rowsOf({ ...base }, 30, labels)).toBe(rows);
    const different: MessageLine[] = [
      { ...base, text: 'hello where' },
      { ...base, name: 'bob2' },
      { ...base, time: 3_600_000 },
      { ...base, own: true },
      { ...base, mention: 'there' },
      { ...base, kind: 'privateIn' },
    ];
    for (const other of different) expect(rowsOf(other, 30, labels)).not.toBe(rows);
    expect(rowsOf({ ...base }, 31, labels)).not.toBe(rows);
    expect(rowsOf({ ...base }, 30, labelsFor('zh'))).not.toBe(rows);
    expect(rowsOf({ ...base }, 30, labels, { seconds: true })).not.toBe(rows);
  });
});
