import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { KEY_TABLE, keysOf } from '../../src/tui/key-table.js';
import { Header } from '../../src/tui/components/Header.js';
import { Help } from '../../src/tui/components/Help.js';
import { InputLine } from '../../src/tui/components/InputLine.js';
import { MessagePane } from '../../src/tui/components/MessagePane.js';
import { StatusBar } from '../../src/tui/components/StatusBar.js';
import { UserList, sameList, sinceText } from '../../src/tui/components/UserList.js';
import { labelsFor } from '../../src/tui/i18n.js';
import { rowsOf, windowRows } from '../../src/tui/layout.js';
import type { MessageLine } from '../../src/tui/store.js';

const labels = labelsFor('en');
const ANSI = /\x1b\[[0-9;]*m/g;
const frame = (output: string | undefined) => (output ?? '').replace(ANSI, '');

describe('MessagePane', () => {
  const lines: MessageLine[] = [
    { time: 0, kind: 'presence', text: 'bob joined', name: 'bob' },
    { time: 0, kind: 'public', name: 'bob', text: 'hi all' },
    { time: 0, kind: 'privateIn', name: 'bob', text: 'psst' },
    { time: 0, kind: 'privateOut', name: 'bob', text: 'hey', own: true },
    { time: 0, kind: 'error', text: 'that name is already in use' },
  ];

  it('draws each kind of line', () => {
    const window = windowRows(lines, 0, 50, 10, labels);
    const { lastFrame } = render(
      <MessagePane rows={window.rows} unseen={0} scrolled={false} width={50} height={10} labels={labels} />,
    );
    const text = frame(lastFrame());
    expect(text).toMatch(/\d\d:\d\d \* bob joined/);
    expect(text).toContain('bob: hi all');
    expect(text).toContain('bob → you: psst');
    expect(text).toContain('you → bob: hey');
    expect(text).toContain('! that name is already in use');
  });

  it('shows how many lines arrived below while scrolled up', () => {
    const window = windowRows(lines, 2, 50, 4, labels);
    const { lastFrame } = render(
      <MessagePane rows={window.rows} unseen={7} scrolled width={50} height={4} labels={labels} />,
    );
    const text = frame(lastFrame());
    expect(text).toContain('↓ 7 new');
    expect(text.split('\n')).toHaveLength(4);
  });
});

describe('UserList', () => {
  it('lists users with a count, marks ours, shows unread counts and the selection', () => {
    const users = [
      { addr: 'a', name: 'alice' },
      { addr: 'b', name: 'bob' },
      { addr: 'c', name: '张三' },
    ];
    const { lastFrame } = render(
      <UserList
        users={users}
        selfAddr="a"
        unread={new Map([['b', 2]])}
        selected={1}
        focused
        width={22}
        height={6}
        labels={labels}
      />,
    );
    const rows = frame(lastFrame()).split('\n');
    expect(rows[0]).toContain('Online (3)');
    expect(rows[1]).toContain('alice (you)');
    expect(rows[2]).toMatch(/› bob\s+2/);
    expect(rows[3]).toContain('张三');
  });
});

describe('UserList, narrow', () => {
  it('cuts a row that cannot fit instead of wrapping it onto the next', () => {
    const users = [
      { addr: 'a', name: 'alice' },
      { addr: 'b', name: 'bob' },
    ];
    const { lastFrame } = render(
      <UserList
        users={users}
        selfAddr="a"
        unread={new Map([['b', 12345]])}
        selected={0}
        focused={false}
        width={8}
        height={4}
        labels={labels}
      />,
    );
    const rows = frame(lastFrame()).split('\n');
    // Bob's row, its name and unread count cut to the width; the row below it stays empty.
    expect(rows).toEqual(['│ Onlin…', '│   … (y', '│   … 1…', '│']);
  });
});

describe('UserList, quiet times', () => {
  it('shows how long since each other user last spoke', () => {
    const users = [
      { addr: 'a', name: 'alice' },
      { addr: 'b', name: 'bob' },
    ];
    const rows = frame(
      render(
        <UserList
          users={users}
          selfAddr="a"
          unread={new Map()}
          lastSpoke={new Map([['b', 0]])}
          now={5 * 60_000}
          selected={0}
          focused={false}
          width={22}
          height={4}
          labels={labels}
        />,
      ).lastFrame(),
    ).split('\n');
    expect(rows[2]).toMatch(/bob\s+5m/);
    expect(sinceText(30_000)).toBe('now');
    expect(sinceText(30_000, labelsFor('zh').justNow)).toBe('刚刚');
    expect(sinceText(3 * 3_600_000)).toBe('3h');
  });

  it('is not drawn again for a line said by someone whose minutes stay the same, or by someone out of view', () => {
    const users = Array.from({ length: 10 }, (_, index) => ({ addr: `u${index}`, name: `user${index}` }));
    const props = {
      users,
      selfAddr: 'u0',
      unread: new Map<string, number>(),
      lastSpoke: new Map([['u1', 0]]),
      now: 30_000,
      selected: 0,
      focused: false,
      width: 22,
      height: 4,
      labels,
    };
    // u1 spoke again: still `now` beside it.
    expect(sameList(props, { ...props, lastSpoke: new Map([['u1', 20_000]]), now: 40_000 })).toBe(true);
    // u9 is below the three rows in view.
    expect(
      sameList(props, {
        ...props,
        lastSpoke: new Map([
          ['u1', 0],
          ['u9', 40_000],
        ]),
        now: 40_000,
      }),
    ).toBe(true);
    // u2 is in view and spoke for the first time; a minute later u1 shows `1m`.
    expect(
      sameList(props, {
        ...props,
        lastSpoke: new Map([
          ['u1', 0],
          ['u2', 40_000],
        ]),
        now: 40_000,
      }),
    ).toBe(false);
    expect(sameList(props, { ...props, lastSpoke: new Map([['u1', 0]]), now: 70_000 })).toBe(false);
    expect(sameList(props, { ...props, selected: 1 })).toBe(false);
  });
});

describe('StatusBar', () => {
  it('shows the modes with their keys and the private target', () => {
    const { lastFrame } = render(
      <StatusBar mode={{ kind: 'private', target: { name: 'bob' } }} choosing={false} labels={labels} width={80} />,
    );
    const text = frame(lastFrame());
    expect(text).toContain('[F2 Public] [F3 Private: bob] [F4 Rename]');
    expect(text).toContain('F1 help');
  });
});

describe('at 40 columns', () => {
  it('the status bar keeps every mode key and the partner’s name, dropping hints and other labels first', () => {
    const statusAt = (name: string) =>
      frame(
        render(
          <StatusBar mode={{ kind: 'private', target: { name } }} choosing={false} labels={labels} width={40} />,
        ).lastFrame(),
      );
    const text = statusAt('bob');
    expect(text).toContain('[F2] [F3 Private: bob] [F4]');
    expect(text).not.toContain('PgUp');
    expect(stringWidth(text)).toBeLessThanOrEqual(40);
    const long = statusAt('a_very_long_name_for_a_partner');
    expect(long).toMatch(/\[F3 Private: a_very_long_[^\]]*…\] \[F4\]/);
    expect(stringWidth(long)).toBeLessThanOrEqual(40);
  });

  it('the header keeps who you are, and cuts with an ellipsis', () => {
    const headerAt = (width: number, name: string) =>
      frame(
        render(
          <Header
            server="127.0.0.1:8888"
            name={name}
            connection={{ status: 'connected' }}
            labels={labels}
            width={width}
          />,
        ).lastFrame(),
      );
    expect(headerAt(50, 'alice')).toContain(' 127.0.0.1:8888 · you are alice');
    expect(headerAt(40, 'alice')).toContain(' you are alice');
    expect(headerAt(40, 'alice')).toContain('● connected');
    expect(headerAt(30, 'someone_with_a_long_name')).toMatch(/ you are someone…/);
  });

  it('the sidebar cuts names with an ellipsis and never cuts your own marker', () => {
    const users = [
      { addr: '127.0.0.1:57388', name: '127.0.0.1:57388' },
      { addr: 'b', name: 'bartholomew_the_third' },
    ];
    const rows = frame(
      render(
        <UserList
          users={users}
          selfAddr="127.0.0.1:57388"
          unread={new Map()}
          selected={0}
          focused={false}
          width={22}
          height={4}
          labels={labels}
        />,
      ).lastFrame(),
    ).split('\n');
    expect(rows[1]).toMatch(/127\.0\.0\.1:\d*…\s?\(you\)/);
    expect(rows[2]).toMatch(/bartholomew_the_t…/);
  });

  it('indents wrapped rows under the text, without a leading space', () => {
    const line: MessageLine = {
      time: 0,
      kind: 'public',
      name: 'bob',
      text: 'one two three four five six seven',
    };
    const rows = rowsOf(line, 24, labels).map((row) => row.map((segment) => segment.text).join(''));
    expect(rows[0]).toMatch(/^\d\d:\d\d bob: one two/);
    const indent = '00:00 bob: '.length;
    for (const row of rows.slice(1)) expect(row).toMatch(new RegExp(`^ {${indent}}\\S`));
  });
});

describe('InputLine', () => {
  it('keeps the cursor in view on a long line', () => {
    const text = 'x'.repeat(100) + 'END';
    const { lastFrame } = render(<InputLine editor={{ text, cursor: 103 }} prompt="› " focused width={30} />);
    expect(frame(lastFrame())).toMatch(/› x+END/);
    expect(frame(lastFrame()).length).toBeLessThanOrEqual(30);
  });
});

describe('InputLine with wide characters', () => {
  it('scrolls by display width, so CJK never pushes the line past the terminal', () => {
    const text = '汉字'.repeat(30);
    const { lastFrame } = render(<InputLine editor={{ text, cursor: 60 }} prompt="› " focused width={30} />);
    const shown = frame(lastFrame());
    expect(stringWidth(shown)).toBeLessThanOrEqual(30);
    expect(shown).toMatch(/汉字 ?$/);
  });
});

describe('Help', () => {
  it('draws every row of the key table at 80×24, scrolling to the ones that do not fit', () => {
    // The overlay's height on a 24-row terminal: the body and the separator.
    const top = frame(render(<Help labels={labels} width={80} height={20} />).lastFrame());
    expect(top).toContain('↓');
    const bottom = frame(render(<Help labels={labels} width={80} height={20} offset={99} />).lastFrame());
    expect(bottom).toContain('↑');
    const text = top + bottom;
    for (const entry of [...KEY_TABLE.keys, ...KEY_TABLE.commands]) expect(text).toContain(keysOf(entry, 'en'));
    for (const key of ['/reconnect', '//text']) expect(text).toContain(key);
  });
});
