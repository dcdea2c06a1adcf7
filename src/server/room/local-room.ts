import { replies } from '../../protocol/index.js';
import type { Fanout } from '../delivery/fanout.js';
import type { Member, Room } from './room.js';

/** The room of one server process: every member is a session in this process. */
export class LocalRoom implements Room {
  private readonly byJoinOrder = new Set<Member>();
  private readonly byName = new Map<string, Member>();
  private whoReply: Buffer | undefined;

  constructor(private readonly fanout: Fanout) {}

  join(member: Member): void {
    this.byJoinOrder.add(member);
    this.byName.set(member.name, member);
    this.whoReply = undefined;
    this.fanout.joined(member);
    this.broadcast(replies.joined(member.addr, member.name));
  }

  leave(member: Member, quietly = false): void {
    if (!this.byJoinOrder.delete(member)) return;
    this.whoReply = undefined;
    this.fanout.left(member);
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
    if (!quietly) this.broadcast(replies.left(member.addr, member.name));
  }

  rename(member: Member, newName: string): boolean {
    if (this.byName.has(newName)) return false;
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
    member.name = newName;
    this.byName.set(newName, member);
    this.whoReply = undefined;
    return true;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  whisper(name: string, line: string): boolean {
    const recipient = this.byName.get(name);
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
