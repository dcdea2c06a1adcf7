import { nameKey, namesFor, replies } from '../../protocol/index.js';
import type { Fanout } from '../delivery/fanout.js';
import type { Member, Room } from './room.js';

/**
 * The room of one server process: every member is a session in this process. Names are held by nameKey,
 * so a name is taken in every spelling that looks like it (`Bob`, `bоb` with a Cyrillic о), and a name
 * given to has() or whisper() finds the one member whose name looks like it.
 */
export class LocalRoom implements Room {
  /** Every member in join order, with its name's key and its line of the `who` reply, kept as it renames. */
  private readonly byJoinOrder = new Map<Member, { key: string; listed: Buffer }>();
  private readonly byNameKey = new Map<string, Member>();
  private whoReply: Buffer | undefined;

  constructor(private readonly fanout: Fanout) {}

  join(member: Member, wanted?: string): void {
    if (wanted !== undefined) {
      this.evictGhost(member, wanted);
      member.name = first(namesFor(wanted), (name) => !this.byNameKey.has(nameKey(name)));
    }
    const key = nameKey(member.name);
    this.byJoinOrder.set(member, { key, listed: listedLine(member) });
    this.byNameKey.set(key, member);
    this.whoReply = undefined;
    this.fanout.joined(member);
    this.broadcast(replies.joined(member.addr, member.name));
  }

  leave(member: Member, quietly = false): void {
    const entry = this.byJoinOrder.get(member);
    if (!entry) return;
    this.byJoinOrder.delete(member);
    this.whoReply = undefined;
    this.fanout.left(member);
    if (this.byNameKey.get(entry.key) === member) this.byNameKey.delete(entry.key);
    if (!quietly) this.broadcast(replies.left(member.addr, member.name));
  }

  rename(member: Member, newName: string): boolean {
    const newKey = nameKey(newName);
    const entry = this.byJoinOrder.get(member);
    if (!entry || this.byNameKey.has(newKey)) return false;
    if (this.byNameKey.get(entry.key) === member) this.byNameKey.delete(entry.key);
    member.name = newName;
    this.byNameKey.set(newKey, member);
    entry.key = newKey;
    entry.listed = listedLine(member);
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
    this.whoReply ??= Buffer.concat(Array.from(this.byJoinOrder.values(), (entry) => entry.listed));
    return this.whoReply;
  }

  broadcast(line: string): void {
    this.fanout.publish(line);
  }

  /** Evicts whoever holds exactly `wanted` if it signed in with the newcomer's key: its name is free after. */
  private evictGhost(newcomer: Member, wanted: string): void {
    const holder = this.byNameKey.get(nameKey(wanted));
    const { fingerprint } = newcomer;
    if (holder?.name === wanted && fingerprint !== undefined && holder.fingerprint === fingerprint) holder.evict();
  }
}

function listedLine(member: Member): Buffer {
  return Buffer.from(replies.listed(member.addr, member.name));
}

function first(names: Iterable<string>, free: (name: string) => boolean): string {
  for (const name of names) if (free(name)) return name;
  throw new Error('no free name among those offered');
}
