import {
  type Command,
  type Framed,
  isPresenceWord,
  isValidName,
  parseCommand,
  replies,
  stripControlCharacters,
} from '../../protocol/index.js';
import type { Awaitable, Member, Room } from '../room/room.js';

/** What a member asked for in one line: a command, or a line too long to read. */
export type Request = Command | { kind: 'overlong' };

export function requestOf(framed: Framed): Request {
  return framed.kind === 'overlong' ? framed : parseCommand(stripControlCharacters(framed.text));
}

export interface ChatContext {
  room: Room;
  maxLineBytes: number;
  /** Told of every rename that took effect. */
  onRenamed(member: Member, from: string): void;
}

/**
 * Carries out one request of `sender`: the chat itself, knowing nothing of sockets or of how the member
 * is connected. Replies go to the sender through deliver(), like any line meant for it alone.
 */
export function carryOut(request: Request, sender: Member, context: ChatContext): Awaitable<void> {
  const reply = (line: string) => sender.deliver(Buffer.from(line));
  const { room } = context;
  switch (request.kind) {
    case 'empty':
      return;
    case 'overlong':
      return reply(replies.lineTooLong(context.maxLineBytes));
    case 'who':
      return sender.deliver(room.who());
    case 'rename': {
      if (!isValidName(request.name)) return reply(replies.invalidName());
      const from = sender.name;
      return then(room.rename(sender, request.name), (renamed) => {
        if (!renamed) return reply(replies.nameInUse());
        context.onRenamed(sender, from);
        reply(replies.renamed(request.name));
      });
    }
    case 'private': {
      if (request.target === '') return reply(replies.badPrivateFormat());
      if (request.content === '') {
        // The recipient is checked first: an empty message to nobody is "no such user", as in the article.
        return then(room.has(request.target), (found) => reply(found ? replies.emptyPrivate() : replies.noSuchUser()));
      }
      const line = replies.private(sender.name, request.content);
      return then(room.whisper(request.target, line), (found) => {
        if (!found) reply(replies.noSuchUser());
      });
    }
    case 'public':
      if (isPresenceWord(request.text)) return reply(replies.reserved());
      return room.broadcast(replies.public(sender.addr, sender.name, request.text));
  }
}

/**
 * Whether carrying out `request` sends its sender nothing of its own: a public line (not a refused presence
 * word). Such lines may go out while the sender's earlier ones are still on their way into a shared room's
 * order; anything that answers the sender waits until they are in, so its answer comes after them.
 */
export function answersNobody(request: Request): boolean {
  return request.kind === 'public' && !isPresenceWord(request.text);
}

function then<T>(value: Awaitable<T>, next: (value: T) => void): Awaitable<void> {
  return value instanceof Promise ? value.then(next) : next(value);
}
