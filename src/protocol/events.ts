import { LINE_TOO_LONG, PRESENCE, PRIVATE_MARK, RENAMED_PREFIX, replies } from './replies.js';

export type NoticeKind =
  | 'nameInUse'
  | 'badPrivateFormat'
  | 'noSuchUser'
  | 'emptyPrivate'
  | 'idleKick'
  | 'invalidName'
  | 'reserved'
  | 'serverFull'
  | 'tooManyConnections'
  | 'serverClosing';

export type ServerEvent =
  | { type: 'joined'; addr: string; name: string }
  | { type: 'left'; addr: string; name: string }
  | { type: 'listed'; addr: string; name: string }
  | { type: 'public'; addr: string; name: string; text: string }
  | { type: 'private'; from: string; text: string }
  | { type: 'renamed'; name: string }
  | { type: 'lineTooLong'; maxLineBytes: number }
  | { type: NoticeKind }
  | { type: 'notice'; text: string };

const NOTICES: ReadonlyMap<string, NoticeKind> = new Map(
  (
    [
      'nameInUse',
      'badPrivateFormat',
      'noSuchUser',
      'emptyPrivate',
      'idleKick',
      'invalidName',
      'reserved',
      'serverFull',
      'tooManyConnections',
      'serverClosing',
    ] as const
  ).map((kind) => [replies[kind]().trimEnd(), kind]),
);

/**
 * Any line from a server (without its line end) as a typed event. Never throws: against the article's own
 * server names are unrestricted, so this is best effort, and anything unrecognised is a plain notice.
 */
export function parseServerLine(line: string): ServerEvent {
  return parsePrivateFromAddr(line) ?? parseUserLine(line) ?? parseServerReply(line);
}

// A sender who never renamed is named by its addr, which holds `:` (and, for IPv6, starts with `[`).
const ADDR_SENDER = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+(?:%[\w.-]+)?\]):\d{1,5}$/;

function parsePrivateFromAddr(line: string): ServerEvent | undefined {
  const mark = line.indexOf(PRIVATE_MARK);
  if (mark <= 0 || !ADDR_SENDER.test(line.slice(0, mark))) return undefined;
  return { type: 'private', from: line.slice(0, mark), text: line.slice(mark + PRIVATE_MARK.length) };
}

function parseUserLine(line: string): ServerEvent | undefined {
  if (!line.startsWith('[')) return undefined;
  // An IPv6 addr brings its own brackets: `[[::1]:5000]name:text`.
  const innerClose = line.startsWith('[[') ? line.indexOf(']', 2) : 0;
  if (innerClose === -1) return undefined;
  const close = line.indexOf(']', innerClose + 1);
  if (close === -1) return undefined;
  const addr = line.slice(1, close);
  const rest = line.slice(close + 1);
  let name: string;
  let text: string;
  if (rest.startsWith(`${addr}:`)) {
    name = addr;
    text = rest.slice(addr.length + 1);
  } else {
    const colon = rest.indexOf(':');
    if (colon === -1) return undefined;
    name = rest.slice(0, colon);
    text = rest.slice(colon + 1);
  }
  switch (text) {
    case PRESENCE.joined:
      return { type: 'joined', addr, name };
    case PRESENCE.left:
      return { type: 'left', addr, name };
    case PRESENCE.listed:
      return { type: 'listed', addr, name };
    default:
      return { type: 'public', addr, name, text };
  }
}

function parseServerReply(line: string): ServerEvent {
  const notice = NOTICES.get(line);
  if (notice) return { type: notice };
  if (line.startsWith(RENAMED_PREFIX)) return { type: 'renamed', name: line.slice(RENAMED_PREFIX.length) };
  const mark = line.indexOf(PRIVATE_MARK);
  if (mark > 0 && !line.slice(0, mark).includes(':')) {
    return { type: 'private', from: line.slice(0, mark), text: line.slice(mark + PRIVATE_MARK.length) };
  }
  if (line.startsWith(LINE_TOO_LONG.before) && line.endsWith(LINE_TOO_LONG.after)) {
    const digits = line.slice(LINE_TOO_LONG.before.length, line.length - LINE_TOO_LONG.after.length);
    if (/^\d+$/.test(digits)) return { type: 'lineTooLong', maxLineBytes: Number(digits) };
  }
  return { type: 'notice', text: line };
}
