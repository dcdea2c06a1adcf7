import type { ServerEvent } from '../protocol/index.js';
import type { ClientEvent } from './client.js';
import type { Note } from './notes.js';
import { emptyRoom, seen, userAt, userNamed, without, type Room, type User } from './room.js';

export type { User } from './room.js';

export type LineKind = 'public' | 'privateIn' | 'privateOut' | 'presence' | 'notice' | 'error';

/**
 * One entry of the message pane. `name` is who spoke (public) or the other side (private); `text` is what
 * came off the wire, `note` what the screen says itself (worded when drawn). A line that every screen of
 * a process shows alike may be one object shared by all their states (see sharedLine).
 */
export interface MessageLine {
  readonly time: number;
  readonly kind: LineKind;
  readonly text?: string;
  readonly note?: Note;
  readonly name?: string;
  /** Who it came from, for a line a user sent or a line about them. */
  readonly addr?: string;
  readonly own?: boolean;
  /** A private message we sent: the client's id for it, and whether the server has taken it yet. */
  readonly privateId?: number;
  readonly delivery?: 'pending' | 'delivered' | 'refused';
  /** Someone else's public line that names us: the name it mentions, highlighted when drawn. */
  readonly mention?: string;
}

/** A private chat partner: the name is what the wire needs, the addr keeps it right across renames. */
export interface Target {
  readonly name: string;
  readonly addr?: string;
}

export type Mode = { kind: 'public' } | { kind: 'private'; target: Target } | { kind: 'rename' };

export function sameMode(a: Mode, b: Mode): boolean {
  if (a.kind !== 'private' || b.kind !== 'private') return a.kind === b.kind;
  return a.target.name === b.target.name && a.target.addr === b.target.addr;
}

/** What the user can switch on and off: join/leave lines, seconds in the times. */
export type Setting = 'joins' | 'seconds';

export type Connection =
  | { status: 'connecting' }
  | { status: 'connected' }
  | { status: 'reconnecting'; retryInMs: number }
  | { status: 'kicked' }
  /** The peer is not a chat server: we stopped, until the user asks to reconnect. */
  | { status: 'notChat' };

export interface ChatState {
  readonly server: string;
  readonly connection: Connection;
  readonly selfAddr?: string;
  /** Our name before the server has listed us: what we asked for, or our addr. */
  readonly pendingName?: string;
  /** Who is online: the client's one picture of the room. */
  readonly users: Room;
  /** Unread private messages, by the sender's addr. */
  readonly unread: ReadonlyMap<string, number>;
  /** Unread private messages from names not (yet) in the user list; moved to `unread` when they show up. */
  readonly unreadByName: ReadonlyMap<string, number>;
  readonly lines: readonly MessageLine[];
  readonly maxLines: number;
  /** Lines added to the pane so far, those since cleared or dropped from the scrollback included. */
  readonly appended: number;
  /** How many lines are hidden below the pane (0: following the newest), and how many arrived since. */
  readonly scroll: { readonly offset: number; readonly unseen: number; readonly mentions: number };
  /** Private messages and mentions since the user last pressed a key: the bell rings, the title counts. */
  readonly alerts: number;
  /** Ring the terminal bell on a private message or a mention. */
  readonly bell: boolean;
  /** Show join, leave and rename lines. */
  readonly joins: boolean;
  readonly seconds: boolean;
  /** Users whose lines are hidden here: by name, and by addr once we know it (so a rename does not help). */
  readonly ignored: { readonly names: ReadonlySet<string>; readonly addrs: ReadonlySet<string> };
  /** When each addr last spoke in public, for the sidebar. */
  readonly lastSpoke: ReadonlyMap<string, number>;
  readonly mode: Mode;
  readonly lastTarget?: Target;
  readonly focus: 'input' | 'users';
  readonly selected: number;
  readonly help: boolean;
  /** How far the help overlay is scrolled, in rows, when it does not fit. */
  readonly helpOffset: number;
  /** The next `who` reply replaces the user list (it is the whole room, and we may have missed a `left`). */
  readonly whoReplaces: boolean;
  /** The user typed /who: show its reply in the pane, not only in the sidebar. */
  readonly whoEcho: boolean;
  /** The list as it was before the `who` reply now arriving replaced it: how renames are noticed in it. */
  readonly roomBeforeWho?: Room;
  /** Something showed the user list is stale (a private message from a stranger): `who` should be asked. */
  readonly whoWanted: boolean;
}

export type Action =
  | { type: 'client'; events: readonly ClientEvent[]; now: number }
  | { type: 'mode'; mode: 'public' | 'private' | 'rename' }
  | { type: 'privateWith'; target: Target }
  | { type: 'focus'; focus: 'input' | 'users' }
  | { type: 'select'; delta: number }
  | { type: 'scroll'; to: 'pageUp' | 'pageDown' | 'top' | 'bottom'; page: number }
  | { type: 'help'; open: boolean }
  | { type: 'helpScroll'; delta: number }
  | { type: 'notice'; note: Note; error?: boolean; now: number }
  | { type: 'whoEcho' }
  /** The user pressed a key: they have seen what alerted them. */
  | { type: 'seen' }
  | { type: 'bell'; on: boolean }
  | { type: 'toggle'; setting: Setting }
  | { type: 'ignore'; name?: string; on: boolean }
  | { type: 'clear' };

export const DEFAULT_MAX_LINES = 5_000;

export function initialState(options: { server: string; name?: string; maxLines?: number; bell?: boolean }): ChatState {
  return {
    server: options.server,
    connection: { status: 'connecting' },
    pendingName: options.name,
    users: emptyRoom,
    unread: new Map(),
    unreadByName: new Map(),
    lines: [],
    maxLines: options.maxLines ?? DEFAULT_MAX_LINES,
    appended: 0,
    scroll: { offset: 0, unseen: 0, mentions: 0 },
    alerts: 0,
    bell: options.bell ?? true,
    joins: true,
    seconds: false,
    ignored: { names: new Set(), addrs: new Set() },
    lastSpoke: new Map(),
    mode: { kind: 'public' },
    focus: 'input',
    selected: 0,
    help: false,
    helpOffset: 0,
    whoReplaces: false,
    whoEcho: false,
    whoWanted: false,
  };
}

export function selfName(state: ChatState): string | undefined {
  return userAt(state.users, state.selfAddr)?.name ?? state.pendingName ?? state.selfAddr;
}

export function reduce(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case 'client':
      return applyClientEvents(state, action.events, action.now);
    case 'mode':
      return switchMode(state, action.mode);
    case 'privateWith':
      return {
        ...state,
        mode: { kind: 'private', target: action.target },
        lastTarget: action.target,
        focus: 'input',
        unread: withoutUnread(state.unread, action.target.addr),
      };
    case 'focus':
      return action.focus === 'users' ? chooseUser(state) : { ...state, focus: 'input' };
    case 'select':
      return { ...state, selected: clampIndex(state.selected + action.delta, state.users.length) };
    case 'scroll':
      return { ...state, scroll: scrolled(state, action.to, action.page) };
    case 'help':
      return { ...state, help: action.open, helpOffset: 0 };
    case 'helpScroll':
      return { ...state, helpOffset: Math.max(0, state.helpOffset + action.delta) };
    case 'notice':
      return appendLines(state, [{ kind: action.error ? 'error' : 'notice', note: action.note }], action.now);
    case 'whoEcho':
      return { ...state, whoEcho: true };
    case 'seen':
      return state.alerts === 0 ? state : { ...state, alerts: 0 };
    case 'toggle': {
      const on = !state[action.setting];
      const note = { key: 'setting', setting: action.setting, on } as const;
      return appendLines({ ...state, [action.setting]: on }, [{ kind: 'notice', note }], Date.now());
    }
    case 'ignore':
      return ignore(state, action.name, action.on);
    case 'clear':
      return { ...state, lines: [], scroll: { offset: 0, unseen: 0, mentions: 0 } };
    case 'bell':
      return appendLines(
        { ...state, bell: action.on },
        [{ kind: 'notice', note: { key: 'bell', on: action.on } }],
        Date.now(),
      );
  }
}

function switchMode(state: ChatState, mode: 'public' | 'private' | 'rename'): ChatState {
  if (mode === 'public' || mode === 'rename') return { ...state, mode: { kind: mode }, focus: 'input' };
  const target = state.mode.kind === 'private' ? state.mode.target : state.lastTarget;
  if (target) return reduce(state, { type: 'privateWith', target });
  // Nobody chosen yet: let the user pick from the list.
  return chooseUser(state);
}

/** Into the user list, on whoever wrote to us unread, else on the first user who is not us. */
function chooseUser(state: ChatState): ChatState {
  const unread = state.users.findIndex((user) => (state.unread.get(user.addr) ?? 0) > 0);
  const other = state.users.findIndex((user) => user.addr !== state.selfAddr);
  const selected = unread !== -1 ? unread : other !== -1 ? other : 0;
  return { ...state, focus: 'users', selected };
}

/** A line before it is added: it takes the time it is added at, unless it came with one (a shared line). */
type NewLine = Omit<MessageLine, 'time'> & { time?: number };

/**
 * Lines every screen shows alike (someone else's public line that does not name us, someone coming or
 * going), by the event they came from: screens of one process that share their events (SharedParser)
 * share these lines too, with their times and wrapped rows, instead of each keeping a copy.
 */
const linesByEvent = new WeakMap<ServerEvent, NewLine>();

/** Someone came online or went: the same line on every screen. */
function presenceLine(event: ServerEvent & User, key: 'joined' | 'left'): NewLine {
  return sharedLine(event, () => ({
    kind: 'presence',
    name: event.name,
    addr: event.addr,
    note: { key, name: event.name },
  }));
}

function sharedLine(event: ServerEvent, make: () => NewLine): NewLine {
  let line = linesByEvent.get(event);
  if (line === undefined) {
    line = make();
    linesByEvent.set(event, line);
  }
  return line;
}

/** A whole frame's worth of events in one pass: one new state, one render. */
function applyClientEvents(state: ChatState, events: readonly ClientEvent[], now: number): ChatState {
  const added: NewLine[] = [];
  let next = state;
  for (const event of events) next = applyClientEvent(next, event, added);
  return appendLines(next, added, now);
}

function applyClientEvent(state: ChatState, event: ClientEvent, added: NewLine[]): ChatState {
  switch (event.type) {
    case 'connecting':
      return state.connection.status !== 'connected' && state.connection.status !== 'connecting'
        ? { ...state, connection: { status: 'connecting' } }
        : state;
    case 'connected':
      added.push({ kind: 'notice', note: { key: 'connectedTo', server: state.server } });
      return { ...state, connection: { status: 'connected' }, selfAddr: undefined, users: [], whoReplaces: false };
    case 'self':
      return { ...state, selfAddr: event.addr };
    case 'disconnected':
      if (event.kicked) {
        added.push({ kind: 'error', note: { key: 'kicked' } }, { kind: 'notice', note: { key: 'pressToReconnect' } });
        return { ...state, connection: { status: 'kicked' }, users: [] };
      }
      if (state.connection.status === 'connected') {
        added.push({ kind: 'error', note: { key: 'connectionLost', reason: event.reason } });
      }
      return {
        ...state,
        connection: { status: 'reconnecting', retryInMs: event.retryInMs ?? 0 },
        users: [],
      };
    case 'whoSent':
      return { ...state, whoReplaces: true, whoWanted: false };
    case 'nameTaken':
      added.push({ kind: 'notice', note: { key: 'nameTaken', name: event.name, next: event.next } });
      return { ...state, pendingName: event.next };
    case 'notChatServer':
      added.push(
        { kind: 'error', note: { key: 'notChatServer', server: state.server } },
        { kind: 'notice', note: { key: 'pressToReconnect' } },
      );
      return { ...state, connection: { status: 'notChat' }, users: emptyRoom };
    case 'privateSent': {
      added.push({
        kind: 'privateOut',
        name: event.to,
        text: event.text,
        own: true,
        privateId: event.id,
        delivery: 'pending',
      });
      return state;
    }
    case 'privateResult':
      return settlePrivate(state, added, event.id, event.delivered ? 'delivered' : 'refused');
    case 'unsent':
      added.push({ kind: 'error', note: { key: 'unsent', count: event.count } });
      return state;
    case 'server':
      return applyServerEvent(state, event.event, added);
  }
}

function applyServerEvent(state: ChatState, event: ServerEvent, added: NewLine[]): ChatState {
  // Any line but a `who` entry ends a `who` reply. Most lines come outside one: then nothing changes.
  const inWho = state.whoEcho || state.roomBeforeWho !== undefined;
  const ended = event.type === 'listed' || !inWho ? state : { ...state, whoEcho: false, roomBeforeWho: undefined };
  switch (event.type) {
    case 'joined':
      added.push(presenceLine(event, 'joined'));
      return upsertUser(ended, event);
    case 'left':
      added.push(presenceLine(event, 'left'));
      return removeUser(ended, event.addr);
    case 'listed': {
      announceRename(state, event, added);
      if (state.whoEcho) added.push({ kind: 'notice', note: { key: 'listed', name: event.name, addr: event.addr } });
      if (!state.whoReplaces) return upsertUser(state, event);
      const keep = state.users.filter((user) => user.addr === state.selfAddr && user.addr !== event.addr);
      return upsertUser({ ...state, users: keep, whoReplaces: false, roomBeforeWho: state.users }, event);
    }
    case 'public': {
      announceRename(state, event, added);
      const own = event.addr === state.selfAddr;
      const me = selfName(state);
      const mention = !own && me !== undefined && mentions(event.text, me) ? me : undefined;
      const line = (): NewLine => ({
        kind: 'public',
        name: event.name,
        addr: event.addr,
        text: event.text,
        own,
        ...(mention ? { mention } : {}),
      });
      added.push(own || mention ? line() : sharedLine(event, line));
      return upsertUser(ended, event);
    }
    case 'private': {
      added.push({ kind: 'privateIn', name: event.from, text: event.text });
      const from = userNamed(ended.users, event.from);
      const reading = state.mode.kind === 'private' && state.mode.target.name === event.from && state.focus === 'input';
      if (!from) {
        const stale = { ...ended, whoWanted: true };
        return reading ? stale : { ...stale, unreadByName: incremented(ended.unreadByName, event.from) };
      }
      if (reading) return ended;
      return { ...ended, unread: incremented(ended.unread, from.addr) };
    }
    case 'renamed': {
      added.push({ kind: 'notice', note: { key: 'renamed', name: event.name } });
      const self = ended.selfAddr;
      const users = ended.users.map((user) => (user.addr === self ? { ...user, name: event.name } : user));
      return { ...ended, users, pendingName: event.name };
    }
    case 'lineTooLong':
      added.push({ kind: 'error', note: { key: 'lineTooLong', maxLineBytes: event.maxLineBytes } });
      return ended;
    case 'notice':
      added.push({ kind: 'notice', text: event.text });
      return ended;
    case 'idleKick':
      // The client's 'disconnected' event that follows tells the user what to do.
      return ended;
    case 'noSuchUser':
      added.push({ kind: 'error', note: { key: event.type } });
      return { ...ended, whoWanted: true };
    case 'serverClosing':
    case 'serverFull':
    case 'tooManyConnections':
    case 'nameInUse':
    case 'invalidName':
    case 'emptyPrivate':
    case 'badPrivateFormat':
    case 'reserved':
      added.push({ kind: 'error', note: { key: event.type } });
      return ended;
  }
}

/** A user line carries the addr's current name: the only way we learn of other people's renames. */
/**
 * Nobody is told of other people's renames: a known addr under a new name is one. Say so once (the list
 * follows in upsertUser), so that `127.0.0.1:50446 joined` is not the last word on who that was.
 */
function announceRename(state: ChatState, user: User, added: NewLine[]): void {
  if (user.addr === state.selfAddr) return;
  const before = userAt(state.users, user.addr) ?? userAt(state.roomBeforeWho ?? emptyRoom, user.addr);
  if (before === undefined || before.name === user.name) return;
  added.push({
    kind: 'presence',
    name: user.name,
    addr: user.addr,
    note: { key: 'nowKnownAs', from: before.name, name: user.name },
  });
}

function upsertUser(state: ChatState, user: User): ChatState {
  const { room } = seen(state.users, user);
  if (room === state.users) return state;
  return followTarget(claimUnread({ ...state, users: room }, user), user);
}

function claimUnread(state: ChatState, user: User): ChatState {
  const count = state.unreadByName.get(user.name);
  if (count === undefined) return state;
  const unreadByName = new Map(state.unreadByName);
  unreadByName.delete(user.name);
  const unread = new Map(state.unread);
  unread.set(user.addr, (unread.get(user.addr) ?? 0) + count);
  return { ...state, unread, unreadByName };
}

function incremented(counts: ReadonlyMap<string, number>, key: string): ReadonlyMap<string, number> {
  const next = new Map(counts);
  next.set(key, (next.get(key) ?? 0) + 1);
  return next;
}

/** Keep the private target's name current when its addr renames. */
function followTarget(state: ChatState, user: User): ChatState {
  const renamed = (target: Target | undefined) =>
    target?.addr === user.addr && target.name !== user.name ? { ...target, name: user.name } : target;
  const mode = state.mode.kind === 'private' ? { ...state.mode, target: renamed(state.mode.target)! } : state.mode;
  return { ...state, mode, lastTarget: renamed(state.lastTarget) };
}

function removeUser(state: ChatState, addr: string): ChatState {
  const users = without(state.users, addr);
  return {
    ...state,
    users,
    unread: withoutUnread(state.unread, addr),
    selected: clampIndex(state.selected, users.length),
  };
}

function withoutUnread(unread: ReadonlyMap<string, number>, addr: string | undefined): ReadonlyMap<string, number> {
  if (addr === undefined || !unread.has(addr)) return unread;
  const next = new Map(unread);
  next.delete(addr);
  return next;
}

/** The line of a private message we sent, marked delivered or refused: it may still wait in `added`. */
function settlePrivate(state: ChatState, added: NewLine[], id: number, delivery: 'delivered' | 'refused'): ChatState {
  const waiting = added.findIndex((line) => line.privateId === id);
  if (waiting !== -1) {
    added[waiting] = { ...added[waiting]!, delivery };
    return state;
  }
  // Newest first: the line is almost always among the last few.
  for (let index = state.lines.length - 1; index >= 0; index--) {
    const line = state.lines[index]!;
    if (line.privateId !== id) continue;
    const lines = state.lines.slice();
    lines[index] = { ...line, delivery };
    return { ...state, lines };
  }
  return state;
}

function ignore(state: ChatState, name: string | undefined, on: boolean): ChatState {
  const names = new Set(state.ignored.names);
  const addrs = new Set(state.ignored.addrs);
  if (name === undefined) {
    names.clear();
    addrs.clear();
  } else {
    const addr = userNamed(state.users, name)?.addr;
    if (on) {
      names.add(name);
      if (addr) addrs.add(addr);
    } else {
      names.delete(name);
      if (addr) addrs.delete(addr);
    }
  }
  const note = { key: 'ignoring', name: name ?? '*', on } as const;
  return appendLines({ ...state, ignored: { names, addrs } }, [{ kind: 'notice', note }], Date.now());
}

function ignores(state: ChatState, line: NewLine): boolean {
  const { names, addrs } = state.ignored;
  if (names.size === 0 && addrs.size === 0) return false;
  if (line.kind !== 'public' && line.kind !== 'privateIn' && line.kind !== 'presence') return false;
  return (line.addr !== undefined && addrs.has(line.addr)) || (line.name !== undefined && names.has(line.name));
}

function appendLines(state: ChatState, incoming: readonly NewLine[], now: number): ChatState {
  const added = incoming.filter((line) => !ignores(state, line) && (state.joins || line.kind !== 'presence'));
  if (added.length === 0) return state;
  // The new lines were made for this state (or for every screen alike): they are stamped where they are.
  for (const line of added) line.time ??= now;
  const fresh = added as MessageLine[];
  // The scrollback keeps its last maxLines: copied once, as a screen of a busy room does every frame.
  const dropped = state.lines.length + fresh.length - state.maxLines;
  let lines: MessageLine[];
  if (dropped <= 0) lines = state.lines.concat(fresh);
  else if (dropped >= state.lines.length) lines = fresh.slice(fresh.length - state.maxLines);
  else {
    lines = state.lines.slice(dropped);
    for (const line of fresh) lines.push(line);
  }
  // Scrolled up, the view stays where it is and counts what arrived below it.
  let lastSpoke = state.lastSpoke;
  for (const line of fresh) {
    if (line.kind !== 'public' || line.addr === undefined) continue;
    if (lastSpoke === state.lastSpoke) lastSpoke = new Map(lastSpoke);
    (lastSpoke as Map<string, number>).set(line.addr, now);
  }
  let alerting = 0;
  let mentioned = 0;
  for (const line of fresh) {
    if (line.mention !== undefined) mentioned += 1;
    if (line.mention !== undefined || line.kind === 'privateIn') alerting += 1;
  }
  const scroll =
    state.scroll.offset === 0
      ? state.scroll
      : {
          offset: Math.min(state.scroll.offset + fresh.length, lines.length - 1),
          unseen: state.scroll.unseen + fresh.length,
          mentions: state.scroll.mentions + mentioned,
        };
  return {
    ...state,
    lines,
    appended: state.appended + fresh.length,
    scroll,
    alerts: state.alerts + alerting,
    lastSpoke,
  };
}

function scrolled(state: ChatState, to: 'pageUp' | 'pageDown' | 'top' | 'bottom', page: number) {
  const last = Math.max(0, state.lines.length - 1);
  const step = Math.max(1, page);
  const offset = {
    pageUp: Math.min(last, state.scroll.offset + step),
    pageDown: Math.max(0, state.scroll.offset - step),
    top: last,
    bottom: 0,
  }[to];
  const unseen = Math.min(offset, state.scroll.unseen);
  return { offset, unseen, mentions: unseen === 0 ? 0 : state.scroll.mentions };
}

/**
 * Whether `text` names `name`: anywhere for a name in a script without spaces (张三), and as a word of its
 * own for a name in Latin letters and digits, so that "al" is not mentioned in "also".
 */
export function mentions(text: string, name: string): boolean {
  const haystack = text.toLowerCase();
  const needle = name.toLowerCase();
  const wordy = /[a-z0-9_]/;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? ' ';
    const after = haystack[at + needle.length] ?? ' ';
    if (!(wordy.test(needle[0]!) && wordy.test(before)) && !(wordy.test(needle.at(-1)!) && wordy.test(after)))
      return true;
  }
  return false;
}

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(index, length - 1));
}
