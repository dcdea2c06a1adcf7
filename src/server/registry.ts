import type { Fanout } from './fanout.js';

/** One online user as the room sees it: where it connects from, what it is called, how to reach it alone. */
export interface Member {
  readonly addr: string;
  name: string;
  /** Queues bytes for this member only, after any broadcast lines it is owed; never blocks or throws. */
  deliver(bytes: Buffer): void;
}

/**
 * Who is online and how a line reaches all of them. The chat logic talks only to this interface, so a room
 * shared by several server processes can stand in for the in-process one.
 */
export interface Room {
  add(member: Member): void;
  remove(member: Member): void;
  /** Renames in one step; false (and nothing changes) when the name is taken, the member's own included. */
  rename(member: Member, newName: string): boolean;
  findByName(name: string): Member | undefined;
  /** Online members in join order. */
  members(): Iterable<Member>;
  /** Sends one line to every member; it is encoded once, not once per recipient. */
  broadcast(line: string): void;
}

export class LocalRoom implements Room {
  private readonly byJoinOrder = new Set<Member>();
  private readonly byName = new Map<string, Member>();

  constructor(private readonly fanout: Fanout) {}

  add(member: Member): void {
    this.byJoinOrder.add(member);
    this.byName.set(member.name, member);
    this.fanout.joined(member);
  }

  remove(member: Member): void {
    if (!this.byJoinOrder.delete(member)) return;
    this.fanout.left(member);
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
  }

  rename(member: Member, newName: string): boolean {
    if (this.byName.has(newName)) return false;
    if (this.byName.get(member.name) === member) this.byName.delete(member.name);
    member.name = newName;
    this.byName.set(newName, member);
    return true;
  }

  findByName(name: string): Member | undefined {
    return this.byName.get(name);
  }

  members(): Iterable<Member> {
    return this.byJoinOrder;
  }

  broadcast(line: string): void {
    this.fanout.publish(line);
  }
}
