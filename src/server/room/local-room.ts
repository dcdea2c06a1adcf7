import { nameKey, replies } from '../../protocol/index.js';
import type { Fanout } from '../delivery/fanout.js';
import type { Member, Room } from './room.js';

/**
 * The room of one server process: every member is a session in this process. Names are held by nameKey,
 * so a name is taken in every spelling that looks like it (`Bob`, `bоb` with a Cyrillic о), and a name
 * given to has() or whisper() finds the one member whose name looks like it.
 */
export class LocalRoom implements Room {
  private readonly byJoinOrder = new Set<Member>();
  private readonly byNameKey = new Map<string, Member>();
  private whoReply: Buffer | undefined;

  constructor(private readonly fanout: Fanout) {}

  join(member: Member, names?: Iterable<string>): void {
    if (names) member.name = first(names, (name) => !this.byNameKey.has(nameKey(name)));
    this.byJoinOrder.add(member);
    this.byNameKey.set(nameKey(member.name), member);
    this.whoReply = undefined;
    this.fanout.joined(member);
    this.broadcast(replies.joined(member.addr, member.name));
  }

  leave(member: Member, quietly = false): void {
    if (!this.byJoinOrder.delete(member)) return;
    this.whoReply = undefined;
    this.fanout.left(member);
    const key = nameKey(member.name);
    if (this.byNameKey.get(key) === member) this.byNameKey.delete(key);
    if (!quietly) this.broadcast(replies.left(member.addr, member.name));
  }

  rename(member: Member, newName: string): boolean {
    const newKey = nameKey(newName);
    if (this.byNameKey.has(newKey)) return false;
    const oldKey = nameKey(member.name);
    if (this.byNameKey.get(oldKey) === member) this.byNameKey.delete(oldKey);
    member.name = newName;
    this.byNameKey.set(newKey, member);
    this.whoReply = undefined;
    return true;
  }

  has(name: string): boolean {
    return this.byNameKey.has(nameKey(name));
  }

  whisper(name: string, line: string): boolean {
    const recipient = this.byNameKey.get(nameKey(name));
    recipient?.deliver(Buffer.from(line));
    return recipient !== undefined;
  }

  who(): Buffer {
    this.whoReply ??= Buffer.from(
      Array.from(this.byJoinOrder, (member) => replies.listed(member.addr, member.name)).join(''),
    );
    return this.whoReply;
  }

  broadcast(line: string): void {
    this.fanout.publish(line);
  }
}

function first(names: Iterable<string>, free: (name: string) => boolean): string {
  for (const name of names) if (free(name)) return name;
  throw new Error('no free name among those offered');
}
