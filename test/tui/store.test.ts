import { describe, expect, it } from 'vitest';
import { parseServerLine, replies } from '../../src/protocol/index.js';
import type { ClientEvent } from '../../src/tui/client.js';
import { labelsFor } from '../../src/tui/i18n.js';
import { lineText, rowsOf } from '../../src/tui/layout.js';
import { initialState, mentions, reduce, selfName, type ChatState } from '../../src/tui/store.js';

const labels = labelsFor('en');
const ME = '127.0.0.1:5000';
const BOB = '127.0.0.1:5001';
const CAROL = '127.0.0.1:5002';

/** Feeds wire lines through the real parser, as the client would. */
function lines(...wire: string[]): ClientEvent[] {
  return wire.map((line) => ({ type: 'server', event: parseServerLine(line.replace(/\n$/, '')) }));
}

function apply(state: ChatState, ...events: ClientEvent[]): ChatState {
  return reduce(state, { type: 'client', events, now: 0 });
}

function connected(): ChatState {
  const state = initialState({ server: '127.0.0.1:8888', name: 'me' });
  return apply(
    state,
    { type: 'connected', localAddr: ME },
    { type: 'self', addr: ME },
    ...lines(replies.joined(ME, ME), replies.renamed('me')),
    { type: 'whoSent' },
    ...lines(replies.listed(ME, 'me'), replies.listed(BOB, 'bob')),
  );
}

const texts = (state: ChatState) => state.lines.map((line) => lineText(line, labels));

describe('store', () => {
  it('builds the user list from joined, who and rename, keyed by addr', () => {
    const state = connected();
    expect(state.users).toEqual([
      { addr: ME, name: 'me' },
      { addr: BOB, name: 'bob' },
    ]);
    expect(selfName(state)).toBe('me');
    expect(state.connection).toEqual({ status: 'connected' });
  });

  it('keeps the list current from joined and left lines, and a user line updates that addr’s name', () => {
    let state = apply(connected(), ...lines(replies.joined(CAROL, CAROL)));
    expect(state.users.map((user) => user.name)).toEqual(['me', 'bob', CAROL]);
    state = apply(state, ...lines(replies.public(CAROL, 'carol', 'hi')));
    expect(state.users.map((user) => user.name)).toEqual(['me', 'bob', 'carol']);
    state = apply(state, ...lines(replies.left(BOB, 'bob')));
    expect(state.users.map((user) => user.name)).toEqual(['me', 'carol']);
    expect(texts(state)).toEqual(expect.arrayContaining([`${CAROL} joined`, 'hi', 'bob left']));
  });

  it('tells of someone else’s rename once, inferred from a line under a new name, and the list follows', () => {
    let state = apply(connected(), ...lines(replies.joined(CAROL, CAROL)));
    expect(texts(state).at(-1)).toBe(`${CAROL} joined`);
    state = apply(state, ...lines(replies.public(CAROL, 'carol', 'hi'), replies.public(CAROL, 'carol', 'again')));
    expect(texts(state).slice(-3)).toEqual([`${CAROL} is now carol`, 'hi', 'again']);
    expect(state.lines.at(-3)).toMatchObject({ kind: 'presence' });
    expect(state.users.map((user) => user.name)).toEqual(['me', 'bob', 'carol']);
    state = apply(state, { type: 'whoSent' }, ...lines(replies.listed(ME, 'me'), replies.listed(BOB, 'robert')));
    expect(texts(state).at(-1)).toBe('bob is now robert');
    expect(state.users.map((user) => user.name)).toEqual(['me', 'robert']);
    // Our own rename is told by the server's reply, not guessed.
    state = apply(state, ...lines(replies.renamed('me2'), replies.public(ME, 'me2', 'mine')));
    expect(texts(state).filter((text) => text.includes('is now'))).toHaveLength(2);
  });

  it('lets a new who reply replace the list, so a missed `left` cannot leave a ghost', () => {
    let state = apply(connected(), ...lines(replies.joined(CAROL, 'carol')));
    state = apply(state, { type: 'whoSent' }, ...lines(replies.listed(ME, 'me'), replies.listed(CAROL, 'carol')));
    expect(state.users.map((user) => user.name)).toEqual(['me', 'carol']);
  });

  it('marks own public messages and counts unread private ones per sender, cleared when chatting with them', () => {
    let state = apply(connected(), ...lines(replies.public(ME, 'me', 'mine'), replies.public(BOB, 'bob', 'his')));
    expect(state.lines.filter((line) => line.kind === 'public').map((line) => line.own)).toEqual([true, false]);
    state = apply(state, ...lines(replies.private('bob', 'psst'), replies.private('bob', 'again')));
    expect(state.unread.get(BOB)).toBe(2);
    state = reduce(state, { type: 'privateWith', target: { name: 'bob', addr: BOB } });
    expect(state.unread.get(BOB)).toBeUndefined();
    expect(state.mode).toEqual({ kind: 'private', target: { name: 'bob', addr: BOB } });
  });

  it('opens the user list on whoever wrote to us unread', () => {
    let state = apply(connected(), ...lines(replies.joined(CAROL, 'carol'), replies.private('carol', 'hi')));
    state = reduce(state, { type: 'focus', focus: 'users' });
    expect(state.users[state.selected]!.name).toBe('carol');
  });

  it('keeps the unread count of a sender not listed yet until who names them', () => {
    let state = apply(connected(), ...lines(replies.private('dave', 'hello')));
    expect(state.unreadByName.get('dave')).toBe(1);
    state = apply(state, ...lines(replies.listed('127.0.0.1:5003', 'dave')));
    expect(state.unread.get('127.0.0.1:5003')).toBe(1);
    expect(state.unreadByName.size).toBe(0);
  });

  it('wants who asked again when a stranger writes privately or the server knows no such user', () => {
    let state = apply(connected(), ...lines(replies.private('bob', 'known')));
    expect(state.whoWanted).toBe(false);
    state = apply(state, ...lines(replies.left(BOB, 'bob'), replies.private('bob', 'still here?')));
    expect(state.whoWanted).toBe(true);
    state = apply(state, { type: 'whoSent' });
    expect(state.whoWanted).toBe(false);
    state = apply(state, ...lines(replies.noSuchUser()));
    expect(state.whoWanted).toBe(true);
  });

  it('follows the private target when its addr renames', () => {
    let state = reduce(connected(), { type: 'privateWith', target: { name: 'bob', addr: BOB } });
    state = apply(state, ...lines(replies.public(BOB, 'robert', 'new name')));
    expect(state.mode).toEqual({ kind: 'private', target: { name: 'robert', addr: BOB } });
  });

  it('echoes sent private messages', () => {
    const state = apply(connected(), { type: 'privateSent', to: 'bob', text: 'hey', id: 0 });
    expect(state.lines.at(-1)).toMatchObject({ kind: 'privateOut', name: 'bob', text: 'hey', own: true });
  });

  it('shows a private message pending until the server takes it, and refused when it knows no such user', () => {
    let state = apply(connected(), { type: 'privateSent', to: 'nobody', text: 'hi', id: 7 });
    const shown = () =>
      rowsOf(state.lines.at(-1)!, 80, labels)[0]!
        .map((segment) => segment.text)
        .join('');
    expect(state.lines.at(-1)).toMatchObject({ delivery: 'pending' });
    expect(shown()).toMatch(/you → nobody: hi …$/);
    state = apply(state, ...lines(replies.noSuchUser()), { type: 'privateResult', id: 7, delivered: false });
    const sent = state.lines.find((line) => line.privateId === 7)!;
    expect(sent.delivery).toBe('refused');
    expect(
      rowsOf(sent, 80, labels)[0]!
        .map((segment) => segment.text)
        .join(''),
    ).toMatch(/you → nobody: hi ✗ not sent$/);
    state = apply(
      state,
      { type: 'privateSent', to: 'bob', text: 'ok', id: 8 },
      { type: 'privateResult', id: 8, delivered: true },
    );
    expect(state.lines.at(-1)).toMatchObject({ text: 'ok', delivery: 'delivered' });
    expect(shown()).toMatch(/you → bob: ok$/);
  });

  it('says when the peer is not a chat server, and waits for the user', () => {
    const state = apply(connected(), { type: 'notChatServer' });
    expect(state.connection).toEqual({ status: 'notChat' });
    expect(texts(state).slice(-2)).toEqual([labels.notChatServer('127.0.0.1:8888'), labels.pressToReconnect]);
    expect(texts(state).at(-2)).toMatch(/^127\.0\.0\.1:8888 is not a chat server/);
  });

  it('marks a public line that names us, counts it and private messages as alerts until a key is pressed', () => {
    let state = apply(
      connected(),
      ...lines(replies.public(BOB, 'bob', 'hey ME, look'), replies.public(BOB, 'bob', 'meh')),
    );
    expect(state.lines.at(-2)).toMatchObject({ mention: 'me' });
    expect(state.lines.at(-1)!.mention).toBeUndefined();
    state = apply(state, ...lines(replies.private('bob', 'psst'), replies.public(ME, 'me', 'me me me')));
    expect(state.lines.at(-1)!.mention).toBeUndefined();
    expect(state.alerts).toBe(2);
    state = reduce(state, { type: 'seen' });
    expect(state.alerts).toBe(0);
  });

  it('counts mentions apart while scrolled up', () => {
    let state = connected();
    for (let index = 0; index < 20; index++) state = apply(state, ...lines(replies.public(BOB, 'bob', `m${index}`)));
    state = reduce(state, { type: 'scroll', to: 'pageUp', page: 5 });
    state = apply(state, ...lines(replies.public(BOB, 'bob', 'plain'), replies.public(BOB, 'bob', 'me?')));
    expect(state.scroll).toMatchObject({ unseen: 2, mentions: 1 });
    expect(labels.newMessages(2, 1)).toBe('↓ 2 new · 1 for you');
    state = reduce(state, { type: 'scroll', to: 'bottom', page: 5 });
    expect(state.scroll).toEqual({ offset: 0, unseen: 0, mentions: 0 });
  });

  it('finds a Latin name as a word of its own and a CJK name anywhere', () => {
    expect(mentions('hi al!', 'al')).toBe(true);
    expect(mentions('also', 'al')).toBe(false);
    expect(mentions('ask Al.', 'al')).toBe(true);
    expect(mentions('张三你好', '张三')).toBe(true);
    expect(mentions('bob_2 here', 'bob')).toBe(false);
  });

  it('hides an ignored user’s lines, public and private, even after they rename, until unignored', () => {
    let state = reduce(connected(), { type: 'ignore', name: 'bob', on: true });
    state = apply(state, ...lines(replies.public(BOB, 'bob', 'noise'), replies.private('bob', 'psst')));
    state = apply(state, ...lines(replies.public(BOB, 'robert', 'still me'), replies.public(CAROL, 'carol', 'hi')));
    expect(texts(state)).not.toContain('noise');
    expect(texts(state)).not.toContain('psst');
    expect(texts(state)).not.toContain('still me');
    expect(texts(state)).toContain('hi');
    expect(state.alerts).toBe(0);
    state = reduce(state, { type: 'ignore', on: false });
    state = apply(state, ...lines(replies.public(BOB, 'robert', 'back')));
    expect(texts(state)).toContain('back');
  });

  it('hides joins and leaves when asked, clears the pane, and remembers when each user last spoke', () => {
    let state = reduce(connected(), { type: 'toggle', setting: 'joins' });
    expect(state.joins).toBe(false);
    state = apply(state, ...lines(replies.joined(CAROL, 'carol'), replies.left(CAROL, 'carol')));
    expect(texts(state).filter((text) => text.startsWith('carol'))).toEqual([]);
    state = reduce(state, { type: 'client', events: lines(replies.public(BOB, 'bob', 'hi')), now: 1234 });
    expect(state.lastSpoke.get(BOB)).toBe(1234);
    state = reduce(state, { type: 'clear' });
    expect(state.lines).toEqual([]);
  });

  it('says how many messages a dropped connection left unsent', () => {
    const state = apply(
      connected(),
      { type: 'disconnected', reason: 'closed', kicked: false, retryInMs: 250 },
      { type: 'unsent', count: 3 },
    );
    expect(state.lines.at(-1)).toMatchObject({ kind: 'error', note: { key: 'unsent', count: 3 } });
    expect(lineText(state.lines.at(-1)!, labels)).toBe(labels.unsent(3));
    expect(labels.unsent(3)).toMatch(/^3 messages were not sent/);
    expect(labelsFor('zh').unsent(2)).toContain('2条消息未发送');
  });

  it('turns server replies into notices and errors', () => {
    const state = apply(
      connected(),
      ...lines(
        replies.nameInUse(),
        replies.noSuchUser(),
        replies.lineTooLong(4096),
        '你被超时踢出了',
        'something else',
      ),
    );
    expect(state.lines.slice(-4)).toEqual([
      expect.objectContaining({ kind: 'error', note: { key: 'nameInUse' } }),
      expect.objectContaining({ kind: 'error', note: { key: 'noSuchUser' } }),
      expect.objectContaining({ kind: 'error', note: { key: 'lineTooLong', maxLineBytes: 4096 } }),
      expect.objectContaining({ kind: 'notice', text: 'something else' }),
    ]);
    // The words are chosen when drawn: the same state reads in either language.
    expect(texts(state).slice(-4, -1)).toEqual([labels.nameInUse, labels.noSuchUser, labels.lineTooLong(4096)]);
    const zh = labelsFor('zh');
    expect(state.lines.slice(-4, -1).map((line) => lineText(line, zh))).toEqual([
      '当前用户名被使用',
      '该用户名不存在',
      zh.lineTooLong(4096),
    ]);
  });

  it('says what happened on an idle kick and on a dropped connection', () => {
    const kicked = apply(connected(), { type: 'disconnected', reason: 'idle', kicked: true });
    expect(kicked.connection).toEqual({ status: 'kicked' });
    expect(texts(kicked)).toContain(labels.kicked);
    expect(kicked.users).toEqual([]);
    const dropped = apply(connected(), { type: 'disconnected', reason: 'closed', kicked: false, retryInMs: 500 });
    expect(dropped.connection).toEqual({ status: 'reconnecting', retryInMs: 500 });
    expect(texts(dropped)).toContain(labels.connectionLost('closed'));
  });

  it('bounds the scrollback', () => {
    let state = initialState({ server: 's', maxLines: 100 });
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from(
        { length: 50 },
        (_, index) => lines(replies.public(BOB, 'bob', `${batch}-${index}`))[0]!,
      );
      state = apply(state, ...events);
    }
    expect(state.lines).toHaveLength(100);
    expect(state.lines.at(-1)!.text).toBe('9-49');
    expect(state.lines[0]!.text).toBe('8-0');
    // A batch larger than the scrollback keeps its own last lines; the state before it is left as it was.
    const before = state.lines;
    const flood = Array.from({ length: 150 }, (_, index) => lines(replies.public(BOB, 'bob', `f-${index}`))[0]!);
    state = apply(state, ...flood);
    expect(state.lines).toHaveLength(100);
    expect(state.lines[0]!.text).toBe('f-50');
    expect(state.lines.at(-1)!.text).toBe('f-149');
    expect(before).toHaveLength(100);
    expect(before.at(-1)!.text).toBe('9-49');
  });

  it('holds the view still while scrolled up and counts what arrives below', () => {
    let state = connected();
    for (let index = 0; index < 30; index++) state = apply(state, ...lines(replies.public(BOB, 'bob', `m${index}`)));
    state = reduce(state, { type: 'scroll', to: 'pageUp', page: 10 });
    expect(state.scroll).toEqual({ offset: 10, unseen: 0, mentions: 0 });
    state = apply(state, ...lines(replies.public(BOB, 'bob', 'new 1'), replies.public(BOB, 'bob', 'new 2')));
    expect(state.scroll).toEqual({ offset: 12, unseen: 2, mentions: 0 });
    state = reduce(state, { type: 'scroll', to: 'pageDown', page: 10 });
    expect(state.scroll).toEqual({ offset: 2, unseen: 2, mentions: 0 });
    state = reduce(state, { type: 'scroll', to: 'bottom', page: 10 });
    expect(state.scroll).toEqual({ offset: 0, unseen: 0, mentions: 0 });
    state = reduce(state, { type: 'scroll', to: 'top', page: 10 });
    // The top is the first line itself: the window fills downwards from it.
    expect(state.scroll.offset).toBe(state.lines.length - 1);
  });

  it('asks for a user to be chosen when entering private mode with nobody chosen yet', () => {
    const state = reduce(connected(), { type: 'mode', mode: 'private' });
    expect(state.focus).toBe('users');
    expect(state.users[state.selected]!.name).toBe('bob');
    expect(state.mode).toEqual({ kind: 'public' });
    const chosen = reduce(reduce(state, { type: 'select', delta: 1 }), {
      type: 'privateWith',
      target: { name: 'bob', addr: BOB },
    });
    expect(chosen.focus).toBe('input');
    expect(reduce(reduce(chosen, { type: 'mode', mode: 'public' }), { type: 'mode', mode: 'private' }).mode).toEqual({
      kind: 'private',
      target: { name: 'bob', addr: BOB },
    });
  });

  it('shows the who reply in the pane only when the user asked with /who', () => {
    const quiet = apply(connected(), { type: 'whoSent' }, ...lines(replies.listed(BOB, 'bob')));
    expect(texts(quiet)).not.toContain(labels.listed('bob', BOB));
    const asked = apply(
      reduce(connected(), { type: 'whoEcho' }),
      { type: 'whoSent' },
      ...lines(replies.listed(BOB, 'bob'), replies.public(BOB, 'bob', 'hi'), replies.listed(BOB, 'bob')),
    );
    expect(texts(asked).filter((text) => text === labels.listed('bob', BOB))).toHaveLength(1);
  });
});

describe('lines shared by the screens of one process', () => {
  /** Another screen in the same process: the same room, a user of its own. */
  function otherScreen(): ChatState {
    const CAROL_NAME = 'carol';
    return apply(
      initialState({ server: '127.0.0.1:8888', name: CAROL_NAME }),
      { type: 'connected', localAddr: CAROL },
      { type: 'self', addr: CAROL },
      ...lines(replies.joined(CAROL, CAROL), replies.renamed(CAROL_NAME)),
    );
  }

  it('are one object, with the time of the screen that showed it first, for an event both screens got', () => {
    const [said] = lines(replies.public(BOB, 'bob', 'hello all'));
    const mine = reduce(connected(), { type: 'client', events: [said!], now: 1000 });
    const theirs = reduce(otherScreen(), { type: 'client', events: [said!], now: 2500 });
    expect(theirs.lines.at(-1)).toBe(mine.lines.at(-1));
    expect(theirs.lines.at(-1)!.time).toBe(1000);
    // The same words on the wire again, read afresh: a line of its own.
    const again = reduce(mine, { type: 'client', events: lines(replies.public(BOB, 'bob', 'hello all')), now: 3000 });
    expect(again.lines.at(-1)).not.toBe(mine.lines.at(-1));
    expect(again.lines.at(-1)!.time).toBe(3000);
  });

  it("are never a line that names one screen's user or is its own", () => {
    const [naming] = lines(replies.public(BOB, 'bob', 'hi me and carol'));
    const [own] = lines(replies.public(ME, 'me', 'my line'));
    const mine = reduce(connected(), { type: 'client', events: [naming!, own!], now: 0 });
    const theirs = reduce(otherScreen(), { type: 'client', events: [naming!, own!], now: 0 });
    const [mineNaming, mineOwn] = mine.lines.slice(-2);
    const [theirsNaming, theirsOwn] = theirs.lines.slice(-2);
    expect(mineNaming).not.toBe(theirsNaming);
    expect(mineNaming!.mention).toBe('me');
    expect(theirsNaming!.mention).toBe('carol');
    expect(mineOwn).not.toBe(theirsOwn);
    expect(mineOwn!.own).toBe(true);
    expect(theirsOwn!.own).toBe(false);
  });

  it('count in what a transcript has yet to write, after a clear as before it', () => {
    let state = apply(connected(), ...lines(replies.public(BOB, 'bob', 'one')));
    const before = state.appended;
    state = reduce(state, { type: 'clear' });
    state = apply(state, ...lines(replies.public(BOB, 'bob', 'two'), replies.public(BOB, 'bob', 'three')));
    expect(state.appended).toBe(before + 2);
    expect(state.lines).toHaveLength(2);
  });
});
